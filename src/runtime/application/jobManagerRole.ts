// Why: the job-manager role (on a node): builds the workload's JobManager, runs createJob(), submits its tasks, and always adds the FinalizeTask.
import { getLogger } from "../logging/logger";
import { finalizeEnvironment, finalizeTaskParameter } from "../finalize/finalizeTask";
import { submitTasks, TaskSubmissionError, type SubmissionResult } from "../submission/taskSubmitter";
import type { JobManager } from "../workload/jobManager";
import { parseJsonArgument, type RoleContext } from "./roleContext";
import { RuntimeVariables } from "../contract/roles";
import { withSpan } from "../tracing/tracing";

function submittedIds(results: readonly SubmissionResult[]): string[] {
  return results.flatMap((result) => [...result.added, ...result.alreadyExisted]);
}

/** Adds the FinalizeTask depending on `workloadTaskIds` (a FinalizeTask that already exists counts as added). */
export async function addFinalizeTask(context: RoleContext, jobId: string, workloadTaskIds: string[]): Promise<void> {
  // the FinalizeTask's process continues this span
  await withSpan("batch.add_finalize_task", { "batch.job.id": jobId, "batch.task.count": workloadTaskIds.length }, () =>
    addFinalizeTaskNow(context, jobId, workloadTaskIds),
  );
}

async function addFinalizeTaskNow(context: RoleContext, jobId: string, workloadTaskIds: string[]): Promise<void> {
  const environment = finalizeEnvironment(context.settings, context.env[RuntimeVariables.workloadName] ?? context.workload.workloadName);
  const finalize = await finalizeTaskParameter({ storage: context.storage, settings: context.settings }, jobId, workloadTaskIds, environment);
  const result = await submitTasks(context.client, jobId, [finalize]);
  if (result.failed.length > 0) throw new TaskSubmissionError(result);
  context.logger.info(`Added the FinalizeTask, depending on ${workloadTaskIds.length} task(s)`);
}

export async function runJobManager(context: RoleContext): Promise<number> {
  const jobId = context.node.jobId ?? (context.options["job-id"] as string | undefined);
  if (!jobId) throw new Error("job-manager needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id");
  context.describeTask({ jobId, taskId: context.node.taskId });
  const args = parseJsonArgument(context.env[RuntimeVariables.jobArgs] ?? (context.options.args as string | undefined), RuntimeVariables.jobArgs) ?? null;
  const builder = new context.workload.jobManagerBuilderType();
  let jobManager: JobManager<unknown> | undefined;
  let failure: unknown;
  try {
    jobManager = await builder.build({
      jobId,
      args,
      client: context.client,
      settings: context.settings,
      storage: context.storage,
      logger: getLogger("workload.jobManager"),
      entryPoints: context.workload.entryPointsRepository,
    });
    const planner = jobManager;
    await withSpan("batch.job_manager.create_job", { "batch.job.id": jobId }, () => planner.createJob());
    const result = await jobManager.submitPendingTasks();
    if (result.failed.length > 0) throw new TaskSubmissionError(result);
  } catch (error) {
    failure = error;
  }
  // the FinalizeTask reports on the job even when createJob() or the submission failed
  try {
    await addFinalizeTask(context, jobId, submittedIds(jobManager?.submissionResults ?? []));
  } catch (error) {
    if (failure === undefined) throw error;
    context.logger.error("Could not add the FinalizeTask either", error);
  }
  if (failure !== undefined) throw failure;
  return 0;
}
