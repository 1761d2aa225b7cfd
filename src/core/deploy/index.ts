// Why: the deploy/run/promote API the CLI, the extension and the testing API share (the contract in the deploy issue), re-exporting the real implementations.

export { deployWorkload, type DeployOptions, type DeployResult } from "./deployWorkflow";
export { runWorkloadJob, settleRun, type RunOptions, type RunResult, type SettleRunOptions } from "./runJob";
export type { JobSnapshot } from "./jobWatch";
export { DEPLOYMENT_SETTINGS_FILE, DeploymentSettingsError, readDeploymentSettings, type DeploymentSettings } from "./deploySettings";
export { VersionConflictError } from "./versioning";
