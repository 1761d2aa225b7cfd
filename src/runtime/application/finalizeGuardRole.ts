// Why: the finalize-guard role (a task submit adds beside the job manager): once the job manager has ended, adds the FinalizeTask if the job manager did not — so every job gets exactly one; with BATCH_PROGRESS_URL it also reports the job's progress until the FinalizeTask starts.
import type { BatchServiceClient } from "@azure/batch";
import { listAllTasks } from "../batch/listTasks";
import { FINALIZE_TASK_ID, RESERVED_TASK_IDS, RuntimeVariables } from "../contract/roles";
import { waitForJobManager } from "./finalizeRole";
import { addFinalizeTask } from "./jobManagerRole";
import { JobProgressReporter } from "./jobProgressReporter";
import type { RoleContext } from "./roleContext";

/** The job manager may plan for hours; its own constraints bound it, not the guard. */
const NO_TIMEOUT = Number.POSITIVE_INFINITY;

export async function runFinalizeGuard(context: RoleContext): Promise<number> {
  const { client, logger, node } = context;
  const jobId = node.jobId ?? (context.options["job-id"] as string | undefined);
  if (!jobId) throw new Error("finalize-guard needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id");
  context.describeTask({ jobId, taskId: node.taskId });
  const reporter = await startProgressReporter(context, jobId);
  await waitForJobManager(client, jobId, logger, NO_TIMEOUT, true);
  await addFinalizeTaskIfMissing(context, jobId);
  if (reporter) {
    // the FinalizeTask starts once every workload task has completed: the figure is final then
    await waitForFinalizeTaskStart(client, jobId, context.settings.progressIntervalSeconds);
    await reporter.finish();
  }
  return 0;
}

async function addFinalizeTaskIfMissing(context: RoleContext, jobId: string): Promise<void> {
  // the job manager has ended: the job's set of workload tasks is final
  const tasks = await listAllTasks(context.client, jobId, { select: "id" });
  if (tasks.some((task) => task.id === FINALIZE_TASK_ID)) {
    context.logger.info("The job manager added the FinalizeTask; nothing to do");
    return;
  }
  const workloadTaskIds = tasks.map((task) => task.id!).filter((id) => !RESERVED_TASK_IDS.includes(id));
  context.logger.warning(`The job manager ended without adding the FinalizeTask; adding it after the ${workloadTaskIds.length} task(s) it did add`);
  await addFinalizeTask(context, jobId, workloadTaskIds);
}

async function startProgressReporter(context: RoleContext, jobId: string): Promise<JobProgressReporter | undefined> {
  const { settings, client, logger } = context;
  if (!settings.progressUrl) return undefined;
  const job = await client.job.get(jobId, { jobGetOptions: { select: "id,creationTime" } });
  const reporter = new JobProgressReporter({
    client,
    jobId,
    url: settings.progressUrl,
    secret: settings.callbackSecret,
    intervalSeconds: settings.progressIntervalSeconds,
    logger,
    workloadName: context.env[RuntimeVariables.workloadName] ?? context.workload.workloadName,
    jobCreatedAt: job.creationTime ? new Date(job.creationTime) : undefined,
  });
  reporter.start();
  return reporter;
}

/** Polls (at the report interval, at most every 15 s) until the FinalizeTask is running or done. */
async function waitForFinalizeTaskStart(client: BatchServiceClient, jobId: string, intervalSeconds: number): Promise<void> {
  const pollMs = Math.min(intervalSeconds, 15) * 1000;
  for (;;) {
    try {
      const state = (await client.task.get(jobId, FINALIZE_TASK_ID, { taskGetOptions: { select: "id,state" } })).state;
      if (state === "running" || state === "completed") return;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
