// Why: wires the explorer's actions, filters, auto-refresh and status bar item into the extension (one call from extension.ts).

import * as vscode from "vscode";
import { connectionClient } from "../../core/localService/batchClient";
import type { LocalServiceController } from "../../core/localService/localServiceController";
import type { EditorUi } from "../common/editorUi";
import { Setting } from "../common/ids";
import { AutoRefresher, DEFAULT_REFRESH_INTERVAL_S } from "../tree/autoRefresh";
import type { ExplorerModel } from "../tree/explorerModel";
import type { TreeNode } from "../tree/treeNode";
import type { CommandRegistry } from "./commands";
import { registerExplorerCommands } from "./explorerCommands";
import { registerFilterCommands } from "./filterCommands";
import { registerScheduleCommands } from "./scheduleCommands";
import { BatchStatusBar } from "./statusBar";

export interface ExplorerFeatures {
  readonly autoRefresh: AutoRefresher;
  readonly statusBar: BatchStatusBar;
}

export interface ExplorerFeatureDeps {
  readonly subscriptions: vscode.Disposable[];
  readonly commands: CommandRegistry;
  readonly model: ExplorerModel;
  readonly explorer: vscode.TreeView<TreeNode>;
  readonly controller: LocalServiceController;
  /** the data folder the service uses (or would use) */
  readonly dataDir: () => string;
  readonly ui: () => EditorUi;
}

export function registerExplorerFeatures(deps: ExplorerFeatureDeps): ExplorerFeatures {
  const { commands, model, explorer, controller, ui } = deps;
  const client = connectionClient(() => controller.connection);
  registerExplorerCommands({ commands, model, ui, client, dataDir: () => controller.connection?.dataDir ?? deps.dataDir() });
  registerFilterCommands(commands, model, ui);
  registerScheduleCommands({ commands, model, ui, client });

  const statusBar = new BatchStatusBar(commands, controller, client);
  const interval = () => vscode.workspace.getConfiguration(Setting.section).get<number>(Setting.refreshInterval) ?? DEFAULT_REFRESH_INTERVAL_S;
  const autoRefresh = new AutoRefresher(model, { intervalSeconds: interval, onRefreshed: () => statusBar.scheduleRecount() });
  autoRefresh.setVisible(explorer.visible);
  const modelChanged = model.onDidChange(() => statusBar.scheduleRecount());
  deps.subscriptions.push(
    statusBar,
    autoRefresh,
    { dispose: () => modelChanged.dispose() },
    explorer.onDidChangeVisibility((e) => autoRefresh.setVisible(e.visible)),
    // auto-refresh reads nothing under a collapsed item, and reads it again at once when it is expanded
    explorer.onDidExpandElement((e) => void model.setExpanded(e.element, true)),
    explorer.onDidCollapseElement((e) => void model.setExpanded(e.element, false)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Setting.section}.${Setting.refreshInterval}`)) autoRefresh.reschedule();
    }),
  );
  return { autoRefresh, statusBar };
}
