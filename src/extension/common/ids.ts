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
  // job schedules (host/scheduleCommands.ts)
  scheduleEnable: "batchManager.jobSchedule.enable",
  scheduleDisable: "batchManager.jobSchedule.disable",
  scheduleTerminate: "batchManager.jobSchedule.terminate",
  // debugging (host/debugFeatures.ts)
  taskDebugLocally: "batchManager.task.debugLocally",
  // autoscale formulas (host/autoscaleCommands.ts)
  autoscaleNew: "batchManager.autoscale.new",
  autoscaleEdit: "batchManager.autoscale.edit",
  autoscaleEvaluate: "batchManager.autoscale.evaluate",
  autoscaleSimulate: "batchManager.autoscale.simulate",
  // create and manage pools, jobs, tasks and nodes (host/manageCreateCommands.ts, host/managePoolCommands.ts)
  poolCreate: "batchManager.pool.create",
  jobCreate: "batchManager.job.create",
  taskCreate: "batchManager.task.create",
  createFromJson: "batchManager.createFromJson",
  poolClone: "batchManager.pool.clone",
  jobClone: "batchManager.job.clone",
  taskClone: "batchManager.task.clone",
  poolResize: "batchManager.pool.resize",
  poolDelete: "batchManager.pool.delete",
  poolEnableAutoscale: "batchManager.pool.enableAutoscale",
  poolDisableAutoscale: "batchManager.pool.disableAutoscale",
  poolEditStartTask: "batchManager.pool.editStartTask",
  poolApplyStartTask: "batchManager.pool.applyStartTask",
  nodeReboot: "batchManager.node.reboot",
  nodeReimage: "batchManager.node.reimage",
  nodeRemove: "batchManager.node.remove",
  nodeDisableScheduling: "batchManager.node.disableScheduling",
  nodeEnableScheduling: "batchManager.node.enableScheduling",
  nodeOpenStartTaskLogs: "batchManager.node.openStartTaskLogs",
  // job and pool views (host/resourceViewCommands.ts)
  openJobView: "batchManager.job.openView",
  openPoolView: "batchManager.pool.openView",
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

/** Language id of autoscale formulas (*.batchscale); syntaxes/batch-autoscale.tmLanguage.json, host/autoscaleLanguage.ts. */
export const AUTOSCALE_LANGUAGE = "batch-autoscale";

/** Context key: true while the active editor's `batch:` file is followed (menus toggle follow/unfollow). */
export const FOLLOWING_CONTEXT_KEY = "batchManager.files.following";

/** The debug type of Batch tasks run on a local node (host/debugFeatures.ts, src/core/debug). */
export const DEBUG_TYPE = "batch-task";
/** A Python task's child session when the Python Debugger extension is absent: VS Code talks DAP straight to the task's debugpy adapter. */
export const DEBUGPY_DIRECT_TYPE = "batch-task-debugpy";

/** The walkthrough contributed in package.json (`contributes.walkthroughs`): local service → new workload → F5 → run → deploy. */
export const WALKTHROUGH_ID = "batchManager.gettingStarted";

/** The extension's id as VS Code sees it: `${publisher}.${name}` from package.json. */
export const EXTENSION_ID = "batch-manager.azure-batch-manager";

/** Name of the LogOutputChannel the extension writes to. */
export const OUTPUT_CHANNEL_NAME = "Azure Batch";
