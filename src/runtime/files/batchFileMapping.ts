// Why: maps input/output file specifications to Batch resource files and output files — managed identity when given, otherwise short-lived SAS.
import type { BatchServiceModels } from "@azure/batch";
import type { InputFileSpecification, OutputFileSpecification } from "./fileSpecifications";
import type { StorageAccess } from "./storageAccess";

export type UploadCondition = BatchServiceModels.OutputFileUploadCondition;

const identity = (resourceId: string | undefined): { identityReference?: BatchServiceModels.ComputeNodeIdentityReference } =>
  resourceId ? { identityReference: { resourceId } } : {};

export async function toResourceFile(input: InputFileSpecification, storage: StorageAccess): Promise<BatchServiceModels.ResourceFile> {
  const { storageAccountName: account, containerName: container, sourceBlobPath, identityReference } = input;
  if (sourceBlobPath.endsWith("/") || sourceBlobPath === "") {
    const storageContainerUrl = identityReference ? storage.containerUrl(account, container) : await storage.withSas(account, container, undefined, "rl");
    return { storageContainerUrl, ...(sourceBlobPath ? { blobPrefix: sourceBlobPath } : {}), filePath: input.targetFilePath, ...identity(identityReference) };
  }
  const httpUrl = identityReference ? storage.blobUrl(account, container, sourceBlobPath) : await storage.withSas(account, container, sourceBlobPath, "r");
  return { httpUrl, filePath: input.targetFilePath, ...identity(identityReference) };
}

export async function toOutputFile(
  output: OutputFileSpecification,
  storage: StorageAccess,
  uploadCondition: UploadCondition,
): Promise<BatchServiceModels.OutputFile> {
  const { storageAccountName: account, containerName: container, identityReference } = output;
  const containerUrl = identityReference ? storage.containerUrl(account, container) : await storage.withSas(account, container, undefined, "cw");
  return {
    filePattern: output.sourceFilePath,
    destination: { container: { containerUrl, path: output.targetBlobPath, ...identity(identityReference) } },
    uploadOptions: { uploadCondition },
  };
}
