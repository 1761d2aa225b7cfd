// Why: the extension's fixed identifiers (commands, views, settings, debug type) in one vscode-free place, so code, tests and package.json checks agree.

/** Command ids contributed in package.json. Every command is registered through host/commands.ts. */
export const CommandId = {
  refresh: "batchManager.refresh",
  localStart: "batchManager.local.start",
  localStop: "batchManager.local.stop",
  retry: "batchManager.retry",
  loadMore: "batchManager.loadMore",
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/** View and view-container ids contributed in package.json. */
export const ViewId = {
  container: "batchManager",
  explorer: "batchManager.explorer",
} as const;

/** Settings contributed in package.json (`contributes.configuration`). */
export const Setting = {
  section: "batchManager",
  /** relative to the section: `batchManager.local.dataDir` */
  localDataDir: "local.dataDir",
  /** relative to the section: `batchManager.explorer.pageSize` */
  pageSize: "explorer.pageSize",
} as const;

/** Context key (setContext) holding the local service's state, used by `when` clauses in package.json menus. */
export const LOCAL_STATE_CONTEXT_KEY = "batchManager.local.state";

/** The debug type reserved for Batch tasks (contributed later, not implemented yet). */
export const DEBUG_TYPE = "batch-task";

/** The extension's id as VS Code sees it: `${publisher}.${name}` from package.json. */
export const EXTENSION_ID = "batch-manager.azure-batch-manager";

/** Name of the LogOutputChannel the extension writes to. */
export const OUTPUT_CHANNEL_NAME = "Azure Batch";
