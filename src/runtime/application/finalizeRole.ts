// Why: the finalize role (the FinalizeTask on a node): waits for the job manager, builds the job summary, runs the workload's onJobCompleted, stores the summary, delivers it signed to the callback URL.
import * as fs from "node:fs";
import * as path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { deliverCallback } from "../finalize/callbackDelivery";
import { jobDeliveryId } from "../finalize/callbackSignature";
import { redactUrl } from "../settings/callbackUrl";
import { buildJobSummary, type JobSummary } from "../finalize/jobSummary";
import { SUMMARY_FILE_NAME } from "../finalize/finalizeTask";
import type { Logger } from "../logging/logger";
import type { RoleContext } from "./roleContext";
import { JOB_MANAGER_TASK_ID, RuntimeVariables } from "../contract/roles";
import { withSpan } from "../tracing/tracing";

/**
 * Waits until Batch records the job manager's completion (the summary then has its exit code); gives up after
 * `timeoutMs`. A job without a job manager task counts as done. Other errors (after the client's own retries): the
 * FinalizeTask summarizes anyway; the guard (`strict`) fails instead — Batch retries it — rather than act on a guess.
 */
export async function waitForJobManager(client: BatchServiceClient, jobId: string, logger: Logger, timeoutMs = 10 * 60_000, strict = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // look every second at first, then less often (a long-running job manager should not cost a request a second)
  for (let pollMs = 1000; ; pollMs = Math.min(pollMs * 1.5, 15_000)) {
    let state: string | undefined;
    try {
      state = (await client.task.get(jobId, JOB_MANAGER_TASK_ID, { taskGetOptions: { select: "id,state" } })).state;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      if (strict) throw error;
      logger.warning(`Could not read the job manager task (${(error as Error).message}); summarizing anyway`);
      return;
    }
    if (state === "completed") return;
    if (Date.now() > deadline) {
      logger.warning("The job manager task has not completed; summarizing anyway");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Runs the workload's onJobCompleted; a failure is recorded in the summary (and returned) rather than thrown. */
async function runCompletionHook(context: RoleContext, summary: JobSummary): Promise<unknown> {
  const { client, settings, storage, logger, node, workload } = context;
  try {
    await workload.onJobCompleted(summary, { jobId: summary.jobId, client, settings, storage, logger, directories: node.directories });
    return undefined;
  } catch (error) {
    const asError = error instanceof Error ? error : new Error(String(error));
    summary.onJobCompletedError = { type: asError.name, message: asError.message, ...(asError.stack ? { stack: asError.stack } : {}) };
    summary.result = "failed";
    logger.warning(`The workload's onJobCompleted threw (${asError.message}); the summary reports it and is delivered anyway`);
    return error;
  }
}

export async function runFinalize(context: RoleContext): Promise<number> {
  const { client, settings, storage, logger, node } = context;
  const jobId = node.jobId ?? (context.options["job-id"] as string | undefined);
  if (!jobId) throw new Error("finalize needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id");
  context.describeTask({ jobId, taskId: node.taskId });
  await withSpan("batch.finalize.wait_for_job_manager", {}, () => waitForJobManager(client, jobId, logger));
  const runtimeContainerUrl = storage.containerUrl(settings.storageAccountName!, settings.runtimeContainer);
  const summary = await withSpan("batch.finalize.summarize", { "batch.job.id": jobId }, () =>
    buildJobSummary(client, jobId, runtimeContainerUrl, context.env[RuntimeVariables.workloadName]),
  );
  const hookError = await withSpan("batch.finalize.on_job_completed", {}, () => runCompletionHook(context, summary));
  fs.writeFileSync(path.join(node.directories.working, SUMMARY_FILE_NAME), `${JSON.stringify(summary, null, 2)}\n`);
  logger.info(
    `Job ${jobId} ${summary.result}: ${summary.counts.succeeded} succeeded, ${summary.counts.failed} failed, ${summary.counts.notCompleted} not completed`,
  );
  const callbackUrl = settings.callbackUrl;
  if (!callbackUrl) {
    logger.warning("No callback URL was set for this job: the summary is only stored as summary.json");
  } else {
    if (!settings.callbackSecret) logger.warning("No BATCH_CALLBACK_SECRET was set for this job: the callback is not signed");
    const deliveryId = jobDeliveryId(jobId, summary.timings.jobCreatedAt);
    const status = await withSpan("batch.finalize.deliver_callback", { "batch.callback.delivery": deliveryId }, () =>
      deliverCallback(callbackUrl, summary, { logger, secret: settings.callbackSecret, deliveryId }),
    );
    logger.info(`Delivered the summary to ${redactUrl(callbackUrl)} (HTTP ${status}, delivery ${deliveryId}${settings.callbackSecret ? ", signed" : ""})`);
  }
  // the FinalizeTask fails visibly in Batch too once the summary is out
  if (hookError !== undefined) throw hookError;
  return 0;
}
