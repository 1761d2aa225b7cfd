// Why: adapts the vscode-free ExplorerModel to vscode.TreeDataProvider; no tree logic lives here.

import * as vscode from "vscode";
import type { ExplorerModel } from "../tree/explorerModel";
import type { Collapsible, TreeNode } from "../tree/treeNode";

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** The model picks codicon ids; colours are a presentation detail chosen here. */
const ICON_COLOURS: Record<string, string> = {
  pass: "testing.iconPassed",
  error: "testing.iconFailed",
  "vm-outline": "list.errorForeground",
  "vm-active": "testing.iconPassed",
  "vm-running": "charts.blue",
  play: "debugIcon.startForeground",
  clock: "charts.yellow",
  "circle-slash": "disabledForeground",
  "circle-outline": "disabledForeground",
};

export function toTreeItem(node: TreeNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.contextValue = node.contextValue;
  // Without this VS Code announces a string tooltip instead of the label (screen readers, and the UI test's row lookup).
  item.accessibilityInformation = { label: node.description ? `${node.label}, ${node.description}` : node.label };
  if (node.icon) {
    const colour = ICON_COLOURS[node.icon];
    item.iconPath = new vscode.ThemeIcon(node.icon, colour ? new vscode.ThemeColor(colour) : undefined);
  }
  if (node.command) {
    item.command = { command: node.command.id, title: node.command.title, arguments: [...(node.command.args ?? [node])] };
  }
  return item;
}

export class ExplorerTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: ExplorerModel) {
    this.subscription = model.onDidChange((node) => this.changed.fire(node));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
