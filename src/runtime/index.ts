// Why: the public API of @batch-manager/runtime — everything a workload imports comes from here.
export { Application, type ApplicationOptions, type WorkloadFactory } from "./application/application";
export type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
export { ExitCode, type ExitCodeValue } from "./contract/exitCodes";
export { ERROR_REPORT_FILE_NAME, ERROR_REPORT_TASK_FILE_PATH, type ErrorReport } from "./contract/errorReport";
export { applicationPackageVariable } from "./contract/nodeCommandLine";
export { FINALIZE_GUARD_TASK_ID, FINALIZE_TASK_ID, JOB_MANAGER_TASK_ID, ROLES, type Role } from "./contract/roles";
export { readTaskFile, readTaskProgress } from "./batch/taskFiles";
export { BatchClientFactory } from "./client/batchClientFactory";
export { BATCH_SCOPE } from "./client/entraIdCredentials";
export { toOutputFile, toResourceFile } from "./files/batchFileMapping";
export { inputFromOutput, type InputFileSpecification, type OutputFileSpecification } from "./files/fileSpecifications";
export { StorageAccess } from "./files/storageAccess";
export { CallbackDeliveryError, deliverCallback } from "./finalize/callbackDelivery";
export { SUMMARY_FILE_NAME } from "./finalize/finalizeTask";
export type { JobSummary, OutputLocation, SummaryError, TaskSummary } from "./finalize/jobSummary";
export { CallbackHeaders, isValidCallbackSignature, signCallback } from "./finalize/callbackSignature";
export { getLogger, Logger } from "./logging/logger";
export type { LogFormat } from "./logging/logFormat";
export type { LoggingConfig } from "./logging/loggingConfig";
export type { LogLevel } from "./logging/logLevels";
export { setupLogging } from "./logging/setupLogging";
export { PROGRESS_FILE_NAME, PROGRESS_TASK_FILE_PATH, type TaskProgress } from "./progress/progressFile";
export { computeJobProgress, describeJobProgress, type JobProgress, type JobProgressCounts, type RunningTask } from "./progress/jobProgress";
export { readJobProgress } from "./batch/jobProgressReader";
export type { JobProgressReport } from "./application/jobProgressReporter";
export { BatchClientSettings, SettingsError, type SettingProblem } from "./settings/batchClientSettings";
export type { AuthMode } from "./settings/settingDefinitions";
export { submitTasks, TaskSubmissionError, type SubmissionResult, type SubmitOptions } from "./submission/taskSubmitter";
export { EntryPointsRepository } from "./workload/entryPointsRepository";
export { JobManager, JobManagerBuilder, type JobManagerContext } from "./workload/jobManager";
export { TaskSpecification, type RunAfter, type WorkloadTaskOptions } from "./submission/taskSpecification";
export { WorkloadBase, type JobCompletedContext } from "./workload/workloadBase";
export {
  WorkloadTask,
  WorkloadTaskBuilder,
  type ParentTaskResult,
  type TaskBuildContext,
  type TaskContext,
  type TaskDirectories,
} from "./workload/workloadTask";
