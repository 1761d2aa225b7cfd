// Why: the VS Code entry point (bundled to dist/extension.js): wires the logger, the local service, the explorer tree and the commands.

import * as path from "node:path";
import * as vscode from "vscode";
import type { Logger } from "../local/logger";
import { CommandRegistry } from "./host/commands";
import { ExplorerTreeProvider } from "./host/explorerTreeProvider";
import { registerLocalCommands } from "./host/localCommands";
import { createOutputLogger } from "./host/outputLogger";
import { CommandId, OUTPUT_CHANNEL_NAME, Setting, ViewId } from "./ids";
import { createBatchClient } from "./local/batchClient";
import { resolveLocalDataDir } from "./local/dataDir";
import { LocalServiceController } from "./local/localServiceController";
import { controllerProbe } from "./local/localServiceProbe";
import { ExplorerModel } from "./tree/explorerModel";
import { DEFAULT_PAGE_SIZE } from "./tree/paging";
import type { TreeNode } from "./tree/treeNode";

/** What activate() returns; integration tests read it through `extension.exports`. */
export interface BatchManagerApi {
  readonly logger: Logger;
  readonly model: ExplorerModel;
  readonly treeProvider: ExplorerTreeProvider;
  readonly explorer: vscode.TreeView<TreeNode>;
  readonly commands: CommandRegistry;
  /** The local Batch service this window runs: state and connection info (`connection` while running). */
  readonly localService: LocalServiceController;
}

let localService: LocalServiceController | undefined;

export function activate(context: vscode.ExtensionContext): BatchManagerApi {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(channel);
  const logger = createOutputLogger(channel);

  const settings = () => vscode.workspace.getConfiguration(Setting.section);
  const controller = new LocalServiceController({
    cliPath: path.join(context.extensionPath, "dist", "cli.js"),
    dataDir: () => resolveLocalDataDir(settings().get<string>(Setting.localDataDir), context.globalStorageUri.fsPath),
    logger,
  });
  localService = controller;
  context.subscriptions.push({ dispose: () => void controller.dispose() });

  const pageSize = () => Math.max(1, Math.min(1000, settings().get<number>(Setting.pageSize) ?? DEFAULT_PAGE_SIZE));
  const model = new ExplorerModel({ localService: controllerProbe(controller, createBatchClient), logger, pageSize });
  const treeProvider = new ExplorerTreeProvider(model);
  const explorer = vscode.window.createTreeView(ViewId.explorer, { treeDataProvider: treeProvider, showCollapseAll: true });
  context.subscriptions.push(treeProvider, explorer);

  const commands = new CommandRegistry(context.subscriptions, logger);
  commands.registerCommand(CommandId.refresh, (node?: TreeNode) => {
    model.refresh(node);
  });
  context.subscriptions.push(registerLocalCommands(commands, controller, model));

  const version = (context.extension.packageJSON as { version?: string }).version ?? "?";
  logger.info(`Azure Batch Manager ${version} activated (VS Code ${vscode.version}, ${vscode.env.appHost}, Node ${process.version})`);
  return { logger, model, treeProvider, explorer, commands, localService: controller };
}

/** Stops the local service this window started (and waits for it) before the extension host goes away. */
export async function deactivate(): Promise<void> {
  const controller = localService;
  localService = undefined;
  await controller?.dispose();
}
