// Why: the FinalizeTask the job manager adds to every job: depends on all workload tasks, runs even when they failed, uploads summary.json.
import type { BatchServiceModels } from "@azure/batch";
import { applicationPackageReferences, nodeCommandLine } from "../contract/nodeCommandLine";
import { FINALIZE_TASK_ID } from "../contract/roles";
import { runtimeContainerUploadUrl, runtimeOutputFile, runtimeOutputFiles, type RuntimeStorage } from "../submission/runtimeOutputs";
import { toTaskDependencies } from "../submission/taskDependencies";

export const SUMMARY_FILE_NAME = "summary.json";
export const summaryBlobPath = (jobId: string): string => `${jobId}/${SUMMARY_FILE_NAME}`;

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
