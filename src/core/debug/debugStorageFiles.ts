// Why: the workload-task form's input files (local paths uploaded to Azurite, or Azurite blobs) and output files, as the resource/output files the service handles.
import type { BatchServiceModels } from "@azure/batch";
import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import * as fs from "node:fs";
import * as path from "node:path";
import { AZURITE_ACCOUNT_KEY } from "../../local/common/defaults";
import type { LocalConnection } from "../localService/localServiceController";
import { DebugConfigurationError } from "./debugConfigurationError";

/** A local file (uploaded for the run) or an Azurite blob; a `blob` ending in `/` is a prefix (a folder). */
export interface DebugInputFile {
  readonly localPath?: string;
  readonly container?: string;
  readonly blob?: string;
  /** relative to the task's working directory (default: the file's or blob's name) */
  readonly targetFilePath?: string;
}

export interface DebugOutputFile {
  /** file or Batch pattern relative to the working directory */
  readonly sourceFilePath: string;
  readonly container: string;
  /** blob name (a virtual folder for a pattern); default: the source path */
  readonly targetBlobPath?: string;
  readonly uploadCondition?: "tasksuccess" | "taskfailure" | "taskcompletion";
}

export const DEBUG_INPUT_CONTAINER = "batch-debug-inputs";
const SAS_HOURS = 8;

export function validateInputFiles(value: unknown, cwd: string): DebugInputFile[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new DebugConfigurationError("inputFiles", "must be a list of {localPath} or {container, blob} objects");
  return value.map((item: Record<string, unknown>, index) => {
    const at = `inputFiles[${index}]`;
    if (typeof item !== "object" || item === null)
      throw new DebugConfigurationError(at, "must be {localPath, targetFilePath?} or {container, blob, targetFilePath?}");
    const target = item.targetFilePath;
    if (target !== undefined && (typeof target !== "string" || path.isAbsolute(target) || target.split(/[\\/]/).includes(".."))) {
      throw new DebugConfigurationError(`${at}.targetFilePath`, "must be a relative path inside the working directory");
    }
    if (typeof item.localPath === "string") {
      const file = path.resolve(cwd, item.localPath);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile())
        throw new DebugConfigurationError(`${at}.localPath`, `no file at ${file}: point it at a file to give the task`);
      return { localPath: file, targetFilePath: target as string | undefined };
    }
    if (typeof item.container === "string" && typeof item.blob === "string" && item.blob !== "")
      return { container: item.container, blob: item.blob, targetFilePath: target as string | undefined };
    throw new DebugConfigurationError(at, 'set "localPath" (a local file), or "container" and "blob" (an Azurite blob; ending in / for a folder)');
  });
}

export function validateOutputFiles(value: unknown): DebugOutputFile[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new DebugConfigurationError("outputFiles", "must be a list of {sourceFilePath, container, targetBlobPath?, uploadCondition?}");
  return value.map((item: Record<string, unknown>, index) => {
    const at = `outputFiles[${index}]`;
    if (typeof item?.sourceFilePath !== "string" || item.sourceFilePath === "")
      throw new DebugConfigurationError(`${at}.sourceFilePath`, "set the file (or pattern) to upload, relative to the working directory");
    if (typeof item.container !== "string" || !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(item.container))
      throw new DebugConfigurationError(`${at}.container`, "set a blob container name (3-63 lower-case letters, digits and single '-')");
    const condition = item.uploadCondition ?? "tasksuccess";
    if (!["tasksuccess", "taskfailure", "taskcompletion"].includes(condition as string))
      throw new DebugConfigurationError(`${at}.uploadCondition`, 'use "tasksuccess", "taskfailure" or "taskcompletion"');
    return {
      sourceFilePath: item.sourceFilePath,
      container: item.container,
      targetBlobPath: item.targetBlobPath as string | undefined,
      uploadCondition: condition as DebugOutputFile["uploadCondition"],
    };
  });
}

/** Uploads local inputs under `<jobId>/`, creates output containers, and returns the task's resource and output files (SAS URLs). */
export async function storageFiles(
  connection: LocalConnection,
  jobId: string,
  inputs: readonly DebugInputFile[],
  outputs: readonly DebugOutputFile[],
  say: (text: string) => void,
) {
  const credential = new StorageSharedKeyCredential(connection.storageAccountName, AZURITE_ACCOUNT_KEY);
  const service = new BlobServiceClient(connection.blobEndpoint, credential);
  const sas = (container: string, blob: string | undefined, permissions: string) => {
    const expiresOn = new Date(Date.now() + SAS_HOURS * 3600_000);
    const values = {
      containerName: container,
      blobName: blob,
      expiresOn,
      startsOn: new Date(Date.now() - 300_000),
      permissions: blob === undefined ? ContainerSASPermissions.parse(permissions) : BlobSASPermissions.parse(permissions),
    };
    return generateBlobSASQueryParameters(values, credential).toString();
  };
  const resourceFiles: BatchServiceModels.ResourceFile[] = [];
  for (const [index, input] of inputs.entries()) {
    if (input.localPath) {
      const container = service.getContainerClient(DEBUG_INPUT_CONTAINER);
      await container.createIfNotExists();
      const blob = `${jobId}/${index}-${path.basename(input.localPath)}`;
      await container.getBlockBlobClient(blob).uploadFile(input.localPath);
      say(`Uploaded input ${input.localPath} to ${DEBUG_INPUT_CONTAINER}/${blob}`);
      resourceFiles.push({
        httpUrl: `${container.getBlockBlobClient(blob).url}?${sas(DEBUG_INPUT_CONTAINER, blob, "r")}`,
        filePath: input.targetFilePath ?? path.basename(input.localPath),
      });
    } else if (input.blob!.endsWith("/")) {
      resourceFiles.push({
        storageContainerUrl: `${service.getContainerClient(input.container!).url}?${sas(input.container!, undefined, "rl")}`,
        blobPrefix: input.blob,
        filePath: input.targetFilePath,
      });
    } else {
      const blob = service.getContainerClient(input.container!).getBlockBlobClient(input.blob!);
      resourceFiles.push({
        httpUrl: `${blob.url}?${sas(input.container!, input.blob, "r")}`,
        filePath: input.targetFilePath ?? path.posix.basename(input.blob!),
      });
    }
  }
  const outputFiles: BatchServiceModels.OutputFile[] = [];
  for (const output of outputs) {
    const container = service.getContainerClient(output.container);
    await container.createIfNotExists();
    outputFiles.push({
      filePattern: output.sourceFilePath,
      destination: {
        container: { containerUrl: `${container.url}?${sas(output.container, undefined, "cw")}`, path: output.targetBlobPath ?? output.sourceFilePath },
      },
      uploadOptions: { uploadCondition: output.uploadCondition ?? "tasksuccess" },
    });
  }
  return { resourceFiles, outputFiles };
}
