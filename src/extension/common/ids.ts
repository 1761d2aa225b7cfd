// Why: the extension's fixed identifiers (commands, views, settings, debug type) in one vscode-free place, so code, tests and package.json checks agree.

/** Command ids contributed in package.json. Every command is registered through host/commands.ts. */
export const CommandId = {
  refresh: "batchManager.refresh",
  localStart: "batchManager.local.start",
  localStop: "batchManager.local.stop",
  retry: "batchManager.retry",
  loadMore: "batchManager.loadMore",
  // task and node files (host/fileFeatures.ts)
  filesOpen: "batchManager.files.open",
  filesFollow: "batchManager.files.follow",
  filesUnfollow: "batchManager.files.unfollow",
  // explorer actions (host/explorerCommands.ts)
  jobTerminate: "batchManager.job.terminate",
  jobDelete: "batchManager.job.delete",
  jobDisable: "batchManager.job.disable",
  jobEnable: "batchManager.job.enable",
  jobReactivateFailed: "batchManager.job.reactivateFailedTasks",
  taskTerminate: "batchManager.task.terminate",
  taskReactivate: "batchManager.task.reactivate",
  taskDelete: "batchManager.task.delete",
  copyId: "batchManager.copyId",
  openInPortal: "batchManager.openInPortal",
  localOpenDataFolder: "batchManager.local.openDataFolder",
  filterJobs: "batchManager.filterJobs",
  filterTasks: "batchManager.filterTasks",
  clearFilters: "batchManager.clearFilters",
  statusBarClick: "batchManager.statusBar.click",
  accountsAddSharedKey: "batchManager.accounts.addSharedKey",
  accountsRemove: "batchManager.accounts.remove",
  accountsSignIn: "batchManager.accounts.signIn",
  // workload scaffolding (host/scaffoldCommands.ts)
  newWorkload: "batchManager.newWorkload",
  addWorkloadTask: "batchManager.addWorkloadTask",
  // deploy and run (host/deployCommands.ts)
  deploy: "batchManager.deploy",
  runJob: "batchManager.runJob",
  // debugging (host/debugFeatures.ts)
  taskDebugLocally: "batchManager.task.debugLocally",
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
  /** relative to the section: `batchManager.files.maxOpenBytes` (0 = whole files) */
  maxOpenBytes: "files.maxOpenBytes",
  /** relative to the section: `batchManager.explorer.refreshInterval` (seconds, 0 = off) */
  refreshInterval: "explorer.refreshInterval",
} as const;

/** Context key (setContext) holding the local service's state, used by `when` clauses in package.json menus. */
export const LOCAL_STATE_CONTEXT_KEY = "batchManager.local.state";

/** Language id of task output (stdout.txt, stderr.txt, fileupload*.txt under `batch:`, *.batchlog); syntaxes/batch-task-log.tmLanguage.json. */
export const TASK_LOG_LANGUAGE = "batch-task-log";

/** Context key: true while the active editor's `batch:` file is followed (menus toggle follow/unfollow). */
export const FOLLOWING_CONTEXT_KEY = "batchManager.files.following";

/** The debug type of Batch tasks run on a local node (host/debugFeatures.ts, src/core/debug). */
export const DEBUG_TYPE = "batch-task";

/** The walkthrough contributed in package.json (`contributes.walkthroughs`): local service → new workload → F5 → run → deploy. */
export const WALKTHROUGH_ID = "batchManager.gettingStarted";

/** The extension's id as VS Code sees it: `${publisher}.${name}` from package.json. */
export const EXTENSION_ID = "batch-manager.azure-batch-manager";

/** Name of the LogOutputChannel the extension writes to. */
export const OUTPUT_CHANNEL_NAME = "Azure Batch";
