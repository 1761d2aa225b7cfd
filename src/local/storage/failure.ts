// Why: one place for the Batch task failure codes/messages of resource-file and output-file errors, and the error type the dispatcher catches.
import type { NameValuePair, TaskFailureInformation } from "./types";

/**
 * Codes as Batch reports them (TaskFailureInformationCodes of the Batch SDKs, and docs/issues for the upload ones).
 * Which code a given local failure maps to is an emulator choice where the sources are silent.
 */
export const FailureCodes = {
  BlobNotFound: "BlobNotFound",
  BlobAccessDenied: "BlobAccessDenied",
  BlobDownloadMiscError: "BlobDownloadMiscError",
  ResourceContainerAccessDenied: "ResourceContainerAccessDenied",
  ResourceContainerListMiscError: "ResourceContainerListMiscError",
  ResourceDirectoryCreateFailed: "ResourceDirectoryCreateFailed",
  ResourceFileCreateFailed: "ResourceFileCreateFailed",
  ResourceFileWriteFailed: "ResourceFileWriteFailed",
  DiskFull: "DiskFull",
  FileUploadContainerNotFound: "FileUploadContainerNotFound",
  FileUploadAccessDenied: "FileUploadAccessDenied",
  FileUploadMiscError: "FileUploadMiscError",
} as const;

export type FailureCode = (typeof FailureCodes)[keyof typeof FailureCodes];

const MESSAGES: Record<FailureCode, string> = {
  BlobNotFound: "One of the specified Azure Blob(s) was not found",
  BlobAccessDenied: "Access for one of the specified Azure Blob(s) is denied",
  BlobDownloadMiscError: "Miscellaneous error encountered while downloading one of the specified Azure Blob(s)",
  ResourceContainerAccessDenied: "Access for one of the specified Azure Blob container(s) is denied",
  ResourceContainerListMiscError: "Miscellaneous error encountered while listing one of the specified Azure Blob container(s)",
  ResourceDirectoryCreateFailed: "The compute node could not create a directory for one of the task's resource files",
  ResourceFileCreateFailed: "The compute node could not create a local file for one of the task's resource files",
  ResourceFileWriteFailed: "The compute node could not write a local file for one of the task's resource files",
  DiskFull: "The compute node ran out of disk space while downloading the task's resource files",
  FileUploadContainerNotFound: "One of the specified Azure container(s) was not found while attempting to upload an output file",
  FileUploadAccessDenied: "Access for one of the specified Azure container(s) is denied while attempting to upload an output file",
  FileUploadMiscError: "Miscellaneous error encountered while uploading one of the output files",
};

/** Builds failureInfo; detail values must already be free of secrets (see secrets.ts). */
export function failureInfo(code: FailureCode, details: Record<string, string | number | undefined>, reason?: string): TaskFailureInformation {
  const pairs: NameValuePair[] = Object.entries(details)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([name, value]) => ({ name, value: String(value) }));
  return { category: "usererror", code, message: reason ? `${MESSAGES[code]}: ${reason}` : MESSAGES[code], details: pairs };
}

/** Thrown by downloadResourceFiles: a pre-processing error; the task completes with result=failure and this failureInfo. */
export class ResourceFileError extends Error {
  constructor(readonly failureInfo: TaskFailureInformation) {
    super(failureInfo.message ?? failureInfo.code ?? "Resource file download failed");
    this.name = "ResourceFileError";
  }
}
