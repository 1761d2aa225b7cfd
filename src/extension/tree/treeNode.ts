// Why: the vscode-free shape of an explorer tree node plus the generic info/action/error leaves, so tree logic is unit-testable in plain node.

import { CommandId } from "../common/ids";

export type Collapsible = "none" | "collapsed" | "expanded";

/** A command run when the item is clicked; the adapter passes `args` (default: the node itself). */
export interface NodeCommand {
  readonly id: string;
  readonly title: string;
  readonly args?: readonly unknown[];
}

/** One node of the Azure Batch explorer. host/explorerTreeProvider.ts turns it into a vscode.TreeItem. */
export interface TreeNode {
  /** Stable and unique across the whole tree (VS Code keeps expansion state by id). */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** A codicon id such as "server"; the adapter maps it to a ThemeIcon (and picks its colour). */
  readonly icon?: string;
  /** Token matched by `view/item/context` menus (`viewItem == ...`). */
  readonly contextValue: string;
  readonly collapsible: Collapsible;
  readonly parent?: TreeNode;
  readonly command?: NodeCommand;
  /** True while the item may change by itself (a running task, an active job): auto-refresh reloads its parent. */
  readonly active?: boolean;
  /** Only for nodes that are not leaves. May throw; the model turns a failure into an ErrorNode. */
  getChildren?(signal?: AbortSignal): Promise<TreeNode[]>;
  /** Forget cached children so the next getChildren loads them again (called by ExplorerModel.refresh). */
  invalidate?(): void;
  /**
   * Auto-refresh: the next getChildren reads the loaded pages again and updates the children in place (states, counts),
   * keeping every loaded page and the children that are still there (with their own loaded children and expansion).
   */
  markStale?(): void;
  /** Takes over the texts, icon, context and activity of `fresh` (the same item, read again), keeping this node's children. */
  update?(fresh: TreeNode): void;
}

/** Base of the explorer's own items: the id is the parent's id plus a key (so ids stay unique), the texts are given once. */
export abstract class ChildNode implements TreeNode {
  abstract readonly contextValue: string;
  abstract readonly collapsible: Collapsible;
  abstract readonly icon: string;
  readonly id: string;
  constructor(
    readonly parent: TreeNode | undefined,
    key: string,
    readonly label: string,
    readonly tooltip?: string,
    readonly description?: string,
  ) {
    this.id = `${parent?.id ?? "root"}/${key}`;
  }
}

/** A leaf that only tells the user something ("Starting the local Batch service…"). */
export class InfoNode implements TreeNode {
  readonly contextValue: string = "info";
  readonly collapsible = "none" as const;
  readonly icon: string;
  readonly id: string;
  readonly tooltip?: string;
  constructor(
    readonly parent: TreeNode,
    readonly label: string,
    options: { key?: string; icon?: string; tooltip?: string } = {},
  ) {
    this.id = `${parent.id}/info:${options.key ?? label}`;
    this.icon = options.icon ?? "info";
    this.tooltip = options.tooltip;
  }
}

/** A leaf that runs a command when clicked ("Start the local Batch service"). */
export class ActionNode implements TreeNode {
  readonly contextValue = "action";
  readonly collapsible = "none" as const;
  readonly id: string;
  readonly command: NodeCommand;
  constructor(
    readonly parent: TreeNode,
    readonly label: string,
    commandId: string,
    readonly icon: string,
    readonly tooltip?: string,
  ) {
    this.id = `${parent.id}/action:${commandId}`;
    this.command = { id: commandId, title: label, args: [] };
  }
}

/** Stands in for children that could not be loaded, so one failure never empties the whole list; clicking it retries. */
export class ErrorNode extends ChildNode {
  readonly contextValue = "error";
  readonly collapsible = "none" as const;
  readonly icon = "error";
  readonly command: NodeCommand = { id: CommandId.retry, title: "Retry" };
  constructor(
    parent: TreeNode | undefined,
    readonly message: string,
    key = "children",
  ) {
    super(parent, `error:${key}`, `Error: ${message}`, `${message}\nClick to retry.`);
  }
}
