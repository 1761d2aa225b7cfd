// Why: the finalize role (the FinalizeTask on a node): waits for the job manager, writes the job summary, delivers it to the callback URL.
import * as fs from "node:fs";
import * as path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { deliverCallback } from "../finalize/callbackDelivery";
import { redactUrl } from "../settings/callbackUrl";
import { buildJobSummary } from "../finalize/jobSummary";
import { SUMMARY_FILE_NAME } from "../finalize/finalizeTask";
import type { Logger } from "../logging/logger";
import type { RoleContext } from "./roleContext";
import { JOB_MANAGER_TASK_ID, RuntimeVariables } from "../contract/roles";

/** The job manager adds the FinalizeTask just before it exits; wait until Batch records its completion so the summary has its exit code. */
async function waitForJobManager(client: BatchServiceClient, jobId: string, logger: Logger, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await client.task.get(jobId, JOB_MANAGER_TASK_ID, { taskGetOptions: { select: "id,state" } }).catch(() => undefined);
    if (!task || task.state === "completed") return;
    if (Date.now() > deadline) {
      logger.warning("The job manager task has not completed; summarizing anyway");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export async function runFinalize(context: RoleContext): Promise<number> {
  const { client, settings, storage, logger, node } = context;
  const jobId = node.jobId ?? (context.options["job-id"] as string | undefined);
  if (!jobId) throw new Error("finalize needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id");
  context.describeTask({ jobId, taskId: node.taskId });
  await waitForJobManager(client, jobId, logger);
  const runtimeContainerUrl = storage.containerUrl(settings.storageAccountName!, settings.runtimeContainer);
  const summary = await buildJobSummary(client, jobId, runtimeContainerUrl, context.env[RuntimeVariables.workloadName]);
  fs.writeFileSync(path.join(node.directories.working, SUMMARY_FILE_NAME), `${JSON.stringify(summary, null, 2)}\n`);
  logger.info(
    `Job ${jobId} ${summary.result}: ${summary.counts.succeeded} succeeded, ${summary.counts.failed} failed, ${summary.counts.notCompleted} not completed`,
  );
  const callbackUrl = settings.callbackUrl;
  if (!callbackUrl) {
    logger.warning("No callback URL was set for this job: the summary is only stored as summary.json");
    return 0;
  }
  const status = await deliverCallback(callbackUrl, summary, { logger });
  logger.info(`Delivered the summary to ${redactUrl(callbackUrl)} (HTTP ${status})`);
  return 0;
}
