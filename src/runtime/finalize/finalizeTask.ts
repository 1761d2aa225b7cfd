// Why: the FinalizeTask the job manager adds to every job: depends on all workload tasks, runs even when they failed, uploads summary.json.
import type { BatchServiceModels } from "@azure/batch";
import { applicationPackageReferences, nodeCommandLine } from "../contract/nodeCommandLine";
import { FINALIZE_GUARD_TASK_ID, FINALIZE_TASK_ID, RuntimeVariables } from "../contract/roles";
import type { BatchClientSettings } from "../settings/batchClientSettings";
import { runtimeContainerUploadUrl, runtimeOutputFile, runtimeOutputFiles, type RuntimeStorage } from "../submission/runtimeOutputs";
import { toTaskDependencies } from "../submission/taskDependencies";
import { traceEnvironment } from "../tracing/tracing";

export const SUMMARY_FILE_NAME = "summary.json";
export const summaryBlobPath = (jobId: string): string => `${jobId}/${SUMMARY_FILE_NAME}`;

/**
 * What the job manager, the guard and the FinalizeTask get in their own environment (never the job's common one): the
 * workload name, the callback URL, the callback secret and the progress URL. Settings logs mask the secret.
 */
export function finalizeEnvironment(settings: BatchClientSettings, workloadName: string): BatchServiceModels.EnvironmentSetting[] {
  return [
    { name: RuntimeVariables.workloadName, value: workloadName },
    ...(settings.callbackUrl ? [{ name: "BATCH_CALLBACK_URL", value: settings.callbackUrl }] : []),
    ...(settings.callbackSecret ? [{ name: "BATCH_CALLBACK_SECRET", value: settings.callbackSecret }] : []),
    ...(settings.progressUrl
      ? [
          { name: "BATCH_PROGRESS_URL", value: settings.progressUrl },
          { name: "BATCH_PROGRESS_INTERVAL_SECONDS", value: String(settings.progressIntervalSeconds) },
        ]
      : []),
    // the task's process continues the span creating it
    ...traceEnvironment(),
  ];
}

/** The guard submit adds beside the job manager (no dependencies: it waits for the job manager itself). */
export async function finalizeGuardTaskParameter(
  runtime: RuntimeStorage,
  jobId: string,
  environment: BatchServiceModels.EnvironmentSetting[],
): Promise<BatchServiceModels.TaskAddParameter> {
  return {
    id: FINALIZE_GUARD_TASK_ID,
    displayName: "FinalizeTask guard",
    commandLine: nodeCommandLine(runtime.settings, "finalize-guard"),
    environmentSettings: environment,
    applicationPackageReferences: applicationPackageReferences(runtime.settings),
    outputFiles: runtimeOutputFiles(await runtimeContainerUploadUrl(runtime), jobId, FINALIZE_GUARD_TASK_ID),
    // adding the FinalizeTask is idempotent (TaskExists), so a retry is harmless
    constraints: { maxTaskRetryCount: 2 },
  };
}

export async function finalizeTaskParameter(
  runtime: RuntimeStorage,
  jobId: string,
  workloadTaskIds: readonly string[],
  environment: BatchServiceModels.EnvironmentSetting[],
): Promise<BatchServiceModels.TaskAddParameter> {
  const dependsOn = toTaskDependencies(workloadTaskIds);
  const containerUrl = await runtimeContainerUploadUrl(runtime);
  return {
    id: FINALIZE_TASK_ID,
    displayName: "FinalizeTask",
    commandLine: nodeCommandLine(runtime.settings, "finalize"),
    environmentSettings: environment,
    ...(dependsOn ? { dependsOn } : {}),
    applicationPackageReferences: applicationPackageReferences(runtime.settings),
    outputFiles: [
      ...runtimeOutputFiles(containerUrl, jobId, FINALIZE_TASK_ID),
      runtimeOutputFile(containerUrl, SUMMARY_FILE_NAME, summaryBlobPath(jobId), "taskcompletion"),
    ],
  };
}
