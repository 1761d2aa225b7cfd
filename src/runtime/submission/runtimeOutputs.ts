// Why: the outputs the runtime adds to every task it creates: error.json on failure and the task's stdout/stderr, under <jobId>/<taskId>/ of the runtime container.
import type { BatchServiceModels } from "@azure/batch";
import { ERROR_REPORT_FILE_NAME } from "../contract/errorReport";
import type { UploadCondition } from "../files/batchFileMapping";
import type { StorageAccess } from "../files/storageAccess";
import type { BatchClientSettings } from "../settings/batchClientSettings";

export const runtimeBlobPrefix = (jobId: string, taskId: string): string => `${jobId}/${taskId}/`;

/** Where the runtime container lives and what it is called. */
export interface RuntimeStorage {
  storage: StorageAccess;
  settings: BatchClientSettings;
}

/** The runtime container's URL with a write SAS (signed once per batch of tasks). */
export async function runtimeContainerUploadUrl(runtime: RuntimeStorage): Promise<string> {
  const storageAccountName = runtime.settings.storageAccountName;
  if (!storageAccountName) throw new Error("BATCH_STORAGE_ACCOUNT_NAME is needed for the runtime's outputs (error reports, logs, summary)");
  return runtime.storage.withSas(storageAccountName, runtime.settings.runtimeContainer, undefined, "cw");
}

export function runtimeOutputFile(
  containerUrl: string,
  sourceFilePath: string,
  targetBlobPath: string,
  uploadCondition: UploadCondition,
): BatchServiceModels.OutputFile {
  return { filePattern: sourceFilePath, destination: { container: { containerUrl, path: targetBlobPath } }, uploadOptions: { uploadCondition } };
}

export function runtimeOutputFiles(containerUrl: string, jobId: string, taskId: string): BatchServiceModels.OutputFile[] {
  const prefix = runtimeBlobPrefix(jobId, taskId);
  return [
    runtimeOutputFile(containerUrl, ERROR_REPORT_FILE_NAME, `${prefix}${ERROR_REPORT_FILE_NAME}`, "taskfailure"),
    // a pattern's path is a virtual directory: stdout.txt and stderr.txt land under the prefix with their own names
    runtimeOutputFile(containerUrl, "../std*.txt", prefix.slice(0, -1), "taskcompletion"),
  ];
}
