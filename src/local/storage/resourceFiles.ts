// Why: downloads a task's resource files into its working directory before the command line runs, as a Batch node does.
import { createWriteStream } from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { ContainerClient } from "@azure/storage-blob";
import type { Logger } from "../common/logger";
import { autoStorageContainerClient, blobClient, containerClient, usesAccountKey } from "./clients";
import { runLimited } from "./concurrency";
import { FailureCodes, ResourceFileError, failureInfo, type FailureCode } from "./failure";
import { hasParentSegment } from "./paths";
import { errorFacts, stripSas, type ErrorFacts } from "./secrets";
import { LocalFileProblem, isLocalFsError, writeInside } from "./safeWrite";
import type { AutoStorageAccount, ResourceFile } from "./types";
import { validateResourceFile } from "./validateResourceFile";

export interface ResourceFileContext {
  /** the task working directory; every file lands inside it */
  workingDir: string;
  /** the account's auto-storage (Azurite locally): used for autoStorageContainerName and identityReference */
  autoStorage?: AutoStorageAccount;
  logger: Logger;
  signal?: AbortSignal;
}

const DEFAULT_FILE_MODE = "0770";
const PARALLEL_BLOBS = 8;

/** One file to fetch: where from (for messages, no SAS), where to, and how. */
interface Download {
  source: string;
  filePath: string;
  fetch: (tempPath: string, signal?: AbortSignal) => Promise<void>;
}

function fail(code: FailureCode, source: string, filePath: string | undefined, error: unknown): ResourceFileError {
  const facts: ErrorFacts = error instanceof LocalFileProblem ? { text: error.message } : errorFacts(error);
  const details = { BlobSource: source, FilePath: filePath, HttpStatusCode: facts.statusCode, ErrorCode: facts.code };
  return new ResourceFileError(failureInfo(code, details, facts.text));
}

function downloadFailureCode(error: unknown): FailureCode {
  if (error instanceof LocalFileProblem) return error.code;
  const { statusCode, code } = errorFacts(error);
  if (code === "ENOSPC" || code === "EDQUOT") return FailureCodes.DiskFull;
  if (isLocalFsError(error)) return FailureCodes.ResourceFileWriteFailed;
  if (statusCode === 404) return FailureCodes.BlobNotFound;
  if (statusCode === 401 || statusCode === 403) return FailureCodes.BlobAccessDenied;
  return FailureCodes.BlobDownloadMiscError;
}

async function fetchToFile(url: string, tempPath: string, signal?: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal, redirect: "follow" });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw Object.assign(new Error(`HTTP ${response.status} ${response.statusText}`), {
      statusCode: response.status,
      code: response.headers.get("x-ms-error-code") ?? undefined,
    });
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(tempPath), { signal });
}

function httpDownload(file: ResourceFile & { httpUrl: string }, ctx: ResourceFileContext): Download {
  const request = { url: file.httpUrl, identityReference: file.identityReference, autoStorage: ctx.autoStorage };
  const viaKey = usesAccountKey(request);
  return {
    source: stripSas(file.httpUrl),
    filePath: file.filePath ?? "",
    fetch: async (tempPath, signal) => {
      if (viaKey) await blobClient(request).downloadToFile(tempPath, 0, undefined, { abortSignal: signal });
      else await fetchToFile(file.httpUrl, tempPath, signal);
    },
  };
}

async function containerDownloads(file: ResourceFile, ctx: ResourceFileContext): Promise<Download[]> {
  let client: ContainerClient;
  if (file.autoStorageContainerName !== undefined) {
    if (!ctx.autoStorage)
      throw fail(
        FailureCodes.ResourceContainerListMiscError,
        file.autoStorageContainerName,
        file.filePath,
        new Error("the Batch account has no auto-storage account"),
      );
    client = autoStorageContainerClient(ctx.autoStorage, file.autoStorageContainerName);
  } else {
    client = containerClient({ url: file.storageContainerUrl ?? "", identityReference: file.identityReference, autoStorage: ctx.autoStorage });
  }
  const containerSource = stripSas(client.url);
  const names: string[] = [];
  try {
    for await (const blob of client.listBlobsFlat({ prefix: file.blobPrefix || undefined, abortSignal: ctx.signal })) {
      if (!blob.name.endsWith("/")) names.push(blob.name);
    }
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const status = errorFacts(error).statusCode;
    const code = status === 401 || status === 403 ? FailureCodes.ResourceContainerAccessDenied : FailureCodes.ResourceContainerListMiscError;
    throw fail(code, containerSource, file.filePath, error);
  }
  return names.map((name) => ({
    source: `${containerSource.replace(/\/+$/, "")}/${name}`,
    filePath: path.posix.join(file.filePath ?? "", name),
    fetch: async (tempPath, signal) => {
      await client.getBlobClient(name).downloadToFile(tempPath, 0, undefined, { abortSignal: signal });
    },
  }));
}

async function runDownload(download: Download, mode: number, ctx: ResourceFileContext): Promise<void> {
  const destination = path.join(ctx.workingDir, ...download.filePath.split(/[\\/]/));
  ctx.logger.debug(`Downloading ${download.source} to ${download.filePath}`);
  if (hasParentSegment(download.filePath)) {
    throw fail(
      FailureCodes.ResourceFileCreateFailed,
      download.source,
      download.filePath,
      new LocalFileProblem(FailureCodes.ResourceFileCreateFailed, "the blob name has '..' segments"),
    );
  }
  try {
    await writeInside(ctx.workingDir, destination, mode, (tempPath) => download.fetch(tempPath, ctx.signal));
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    throw fail(downloadFailureCode(error), download.source, download.filePath, error);
  }
}

const sourceOf = (file: ResourceFile): string => stripSas(file.httpUrl ?? file.storageContainerUrl ?? file.autoStorageContainerName ?? "");

/**
 * Downloads `files` in order into `ctx.workingDir`. Throws ResourceFileError (a Batch pre-processing failure with
 * failureInfo) on the first failure; rethrows the abort reason when `ctx.signal` aborts.
 */
export async function downloadResourceFiles(files: readonly ResourceFile[], ctx: ResourceFileContext): Promise<void> {
  for (const [index, file] of files.entries()) {
    ctx.signal?.throwIfAborted();
    try {
      validateResourceFile(file, `resourceFiles[${index}]`);
    } catch (error) {
      const problem = new LocalFileProblem(FailureCodes.ResourceFileCreateFailed, (error as Error).message);
      throw fail(problem.code, sourceOf(file), file.filePath, problem);
    }
    const mode = parseInt(file.fileMode ?? DEFAULT_FILE_MODE, 8);
    const downloads = file.httpUrl !== undefined ? [httpDownload({ ...file, httpUrl: file.httpUrl }, ctx)] : await containerDownloads(file, ctx);
    await runLimited(downloads, PARALLEL_BLOBS, (download) => runDownload(download, mode, ctx));
    ctx.logger.info(`Resource file ${index}: downloaded ${downloads.length} file(s) from ${sourceOf(file)}`);
  }
}
