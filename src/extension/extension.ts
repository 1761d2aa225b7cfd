// Why: the VS Code entry point (bundled to dist/extension.js): wires the logger, the local service, the explorer tree and the commands.

import * as path from "node:path";
import * as vscode from "vscode";
import type { Logger } from "../local/common/logger";
import { type AccountsApi, createAccounts } from "./host/accounts";
import { CommandRegistry } from "./host/commands";
import { registerExplorerFeatures, type ExplorerFeatures } from "./host/explorerFeatures";
import { registerFileFeatures, type FileFeatures } from "./host/fileFeatures";
import { ExplorerTreeProvider } from "./host/explorerTreeProvider";
import { registerLocalCommands } from "./host/localCommands";
import { createOutputLogger } from "./host/outputLogger";
import { registerScaffoldCommands } from "./host/scaffoldCommands";
import { registerDeployCommands } from "./host/deployCommands";
import { registerTerminalPath } from "./host/scaffoldTerminalPath";
import { registerDebugFeatures } from "./host/debugFeatures";
import { type AutoscaleFeatures, registerAutoscaleFeatures } from "./host/autoscaleCommands";
import { registerManageCommands } from "./host/manageCommands";
import { registerResourceViews } from "./host/resourceViewCommands";
import type { EditorUi } from "./common/editorUi";
import { createVscodeEditorUi } from "./host/vscodeEditorUi";
import { CommandId, OUTPUT_CHANNEL_NAME, Setting, ViewId } from "./common/ids";
import { connectionClient, createBatchClient } from "../core/localService/batchClient";
import { LOCAL_AUTHORITY } from "./files/batchUri";
import { resolveLocalDataDir } from "../core/localService/dataDir";
import { LocalServiceController } from "../core/localService/localServiceController";
import { controllerProbe } from "./tree/localServiceProbe";
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
  /** Auto-refresh and the status bar item of the explorer. */
  readonly features: ExplorerFeatures;
  /** Shared-key and Azure accounts (stores, credential source). */
  readonly accounts: AccountsApi;
  /** Task and node files: the `batch:` file system and its follow sessions. */
  readonly files: FileFeatures;
  /**
   * The one UI every command and wizard asks, tells and shows progress through (prompts, messages, progress notifications);
   * tests replace `current`, or spread it and override some methods, to answer prompts, record messages and watch or cancel progress.
   */
  readonly ui: { current: EditorUi };
  /** The autoscale formula editor: diagnostics, the pool of each formula document, the last evaluation and simulation. */
  readonly autoscale: AutoscaleFeatures;
}

let localService: LocalServiceController | undefined;

export function activate(context: vscode.ExtensionContext): BatchManagerApi {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(channel);
  const logger = createOutputLogger(channel);

  const settings = () => vscode.workspace.getConfiguration(Setting.section);
  const dataDir = () => resolveLocalDataDir(settings().get<string>(Setting.localDataDir));
  const controller = new LocalServiceController({
    cliPath: path.join(context.extensionPath, "dist", "cli.js"),
    dataDir,
    logger,
    // batchManager.local.keepAliveSeconds: a reload (or closing the window) leaves the service running this long, for the next window to adopt
    keepAliveSeconds: () => Math.max(0, settings().get<number>("local.keepAliveSeconds") ?? 120),
  });
  localService = controller;
  context.subscriptions.push({ dispose: () => void controller.dispose() });
  // after a reload: the service the previous extension host left running (keepAliveSeconds) becomes this window's again
  void controller.reattach();

  const pageSize = () => Math.max(1, Math.min(1000, settings().get<number>(Setting.pageSize) ?? DEFAULT_PAGE_SIZE));
  const accounts = createAccounts(context);
  const model = new ExplorerModel({ localService: controllerProbe(controller, createBatchClient, dataDir), logger, pageSize, remoteAccounts: accounts.deps });
  const treeProvider = new ExplorerTreeProvider(model);
  const explorer = vscode.window.createTreeView(ViewId.explorer, { treeDataProvider: treeProvider, showCollapseAll: true });
  context.subscriptions.push(treeProvider, explorer);

  const ui: { current: EditorUi } = { current: createVscodeEditorUi() };
  const currentUi = () => ui.current;
  const commands = new CommandRegistry(context.subscriptions, logger, currentUi);
  commands.registerCommand(CommandId.refresh, (node?: TreeNode) => {
    model.refresh(node);
  });
  context.subscriptions.push(registerLocalCommands(commands, controller, model, currentUi));
  const features = registerExplorerFeatures({ subscriptions: context.subscriptions, commands, model, explorer, controller, dataDir, ui: currentUi });
  accounts.register(commands, model, currentUi);
  const localClient = connectionClient(() => controller.connection);
  const files = registerFileFeatures({
    subscriptions: context.subscriptions,
    commands,
    clientFor: (account) => (account === LOCAL_AUTHORITY ? localClient() : accounts.clientForAuthority(account)),
    ui: currentUi,
  });

  registerScaffoldCommands({ commands, distDir: path.join(context.extensionPath, "dist"), ui: currentUi });
  registerDeployCommands({
    commands,
    controller,
    model,
    treeProvider,
    explorer,
    cliPath: path.join(context.extensionPath, "dist", "cli.js"),
    dataDir,
    ui: currentUi,
  });
  registerDebugFeatures({
    subscriptions: context.subscriptions,
    commands,
    logger,
    distDir: path.join(context.extensionPath, "dist"),
    dataDir,
    ui: currentUi,
    controller,
  });
  registerResourceViews({ commands, ui: currentUi });
  const autoscale = registerAutoscaleFeatures({ subscriptions: context.subscriptions, commands, ui: currentUi, localClient });
  registerManageCommands({ commands, model, ui: currentUi, localClient });
  const terminalPath = registerTerminalPath({ context, dataDir, dataDirConfigured: () => !!settings().get<string>(Setting.localDataDir)?.trim() });
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(`${Setting.section}.${Setting.localDataDir}`) && terminalPath.update()),
  );

  const version = (context.extension.packageJSON as { version?: string }).version ?? "?";
  logger.info(`Azure Batch Manager ${version} activated (VS Code ${vscode.version}, ${vscode.env.appHost}, Node ${process.version})`);
  return { logger, model, treeProvider, explorer, commands, localService: controller, accounts, features, files, ui, autoscale };
}

/** Stops the local service this window started (and waits for it) before the extension host goes away, or lets it go for a reloaded window to adopt (keepAliveSeconds). */
export async function deactivate(): Promise<void> {
  const controller = localService;
  localService = undefined;
  await controller?.dispose();
}
