// Why: uploads a task's output files to blob storage after its process exits, with Batch's conditions, blob naming and failure reporting.
import * as path from "node:path";
import type { Logger } from "../common/logger";
import { containerClient } from "./clients";
import { runLimited } from "./concurrency";
import { FailureCodes, failureInfo, type FailureCode } from "./failure";
import { resolveOutputFile, type OutputMatch } from "./outputMatches";
import { errorFacts, stripSas } from "./secrets";
import { mapUploadHeaders } from "./uploadHeaders";
import { UploadLog } from "./uploadLog";
import type { AutoStorageAccount, OutputFile, TaskFailureInformation } from "./types";

export interface OutputFileContext {
  workingDir: string;
  taskDir: string;
  /** the process exit code; undefined = the task never ran, so nothing is uploaded and no logs are written */
  exitCode: number | undefined;
  /** the task's environment, for `$VAR` expansion in file patterns */
  env: Record<string, string>;
  /** used to sign uploads that give an identityReference instead of a SAS */
  autoStorage?: AutoStorageAccount;
  logger: Logger;
  signal?: AbortSignal;
}

const PARALLEL_UPLOADS = 4;

export function conditionApplies(condition: string | undefined, exitCode: number): boolean {
  switch ((condition ?? "taskcompletion").toLowerCase()) {
    case "tasksuccess":
      return exitCode === 0;
    case "taskfailure":
      return exitCode !== 0;
    default:
      return true;
  }
}

function uploadFailureCode(error: unknown): FailureCode {
  const { statusCode } = errorFacts(error);
  if (statusCode === 404) return FailureCodes.FileUploadContainerNotFound;
  if (statusCode === 401 || statusCode === 403) return FailureCodes.FileUploadAccessDenied;
  return FailureCodes.FileUploadMiscError;
}

/** Uploads all matches of one spec; returns the first failure (after trying every file). */
async function uploadSpec(file: OutputFile, ctx: OutputFileContext, log: UploadLog): Promise<TaskFailureInformation | undefined> {
  const destination = file.destination.container;
  const containerUrl = stripSas(destination?.containerUrl ?? "");
  const describe = (error: unknown, code: FailureCode, extra: Record<string, string | undefined>): TaskFailureInformation => {
    const facts = errorFacts(error);
    log.error(`${code}: pattern '${file.filePattern}' to ${containerUrl}${extra.BlobName ? `/${extra.BlobName}` : ""}: ${facts.text}`);
    const details = { FilePattern: file.filePattern, ContainerUrl: containerUrl, ...extra, HttpStatusCode: facts.statusCode, ErrorCode: facts.code };
    return failureInfo(code, details, facts.text);
  };
  let matches: OutputMatch[];
  try {
    if (!destination?.containerUrl) throw new Error("the output file has no destination container URL");
    matches = await resolveOutputFile(file, ctx);
  } catch (error) {
    return describe(error, FailureCodes.FileUploadMiscError, {});
  }
  log.info(`Pattern '${file.filePattern}' matched ${matches.length} file(s) to upload to ${containerUrl}`);
  const { options, extra } = mapUploadHeaders(destination.uploadHeaders);
  const client = containerClient({
    url: destination.containerUrl,
    identityReference: destination.identityReference,
    autoStorage: ctx.autoStorage,
    extraHeaders: extra,
  });
  const failures = await runLimited(matches, PARALLEL_UPLOADS, async (match) => {
    const local = path.relative(ctx.taskDir, match.absolutePath).split(path.sep).join("/");
    try {
      const started = Date.now();
      await client.getBlockBlobClient(match.blobName).uploadFile(match.absolutePath, { ...options, abortSignal: ctx.signal });
      log.info(`Uploaded ${local} to ${containerUrl}/${match.blobName} in ${Date.now() - started} ms`);
      return undefined;
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      return describe(error, uploadFailureCode(error), { FilePath: local, BlobName: match.blobName });
    }
  });
  return failures.find((failure) => failure !== undefined);
}

/**
 * Uploads `files` whose uploadCondition matches `ctx.exitCode`, writing fileuploadout.txt / fileuploaderr.txt in the
 * task directory whenever at least one spec applies. A failed upload yields `failureInfo` (the task then completes
 * with result=failure, no retry); a pattern matching nothing is not an error. Rethrows the abort reason on abort.
 */
export async function uploadOutputFiles(files: readonly OutputFile[], ctx: OutputFileContext): Promise<{ failureInfo?: TaskFailureInformation }> {
  const exitCode = ctx.exitCode;
  if (exitCode === undefined) return {};
  const applicable = files.filter((file) => conditionApplies(file.uploadOptions?.uploadCondition, exitCode));
  if (applicable.length === 0) return {};
  const log = await UploadLog.open(ctx.taskDir);
  const started = Date.now();
  log.info(`Uploading output files for exit code ${exitCode}: ${applicable.length} of ${files.length} output file spec(s) apply`);
  let first: TaskFailureInformation | undefined;
  try {
    for (const file of applicable) {
      ctx.signal?.throwIfAborted();
      const failure = await uploadSpec(file, ctx, log);
      first ??= failure;
    }
    log.info(`Finished in ${Date.now() - started} ms${first ? ` with failure ${first.code}` : ""}`);
  } finally {
    await log.flush();
  }
  if (first) ctx.logger.warn(`Output file upload failed: ${first.code}: ${first.message}`);
  else ctx.logger.info(`Output files uploaded for ${applicable.length} spec(s)`);
  return first ? { failureInfo: first } : {};
}
