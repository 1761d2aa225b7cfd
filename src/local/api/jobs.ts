// Why: the job operations (add, get, list, update, patch, delete, terminate, disable, enable, task counts, prep/release status).
import { disableJob, enableJob, jobExecutionInfo, terminateJob, TerminateReasons, type DisableTasks } from "../dispatcher/jobTransitions";
import { conflict, notFound } from "../protocol/batchError";
import type { JobRecord } from "../store/model";
import type { RequestContext, Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { jobStatistics, taskCounts } from "./jobStatistics";
import { checkMaxParallelTasks, checkOnAllTasksComplete, checkPoolChange, checkPriority, jobConstraints, newJobWire } from "./jobWire";
import { expands, listReply } from "./listing";
import { preparationStatusList } from "./preparationStatus";
import { accepted, checkConditions, created, entity, updated } from "./replies";
import { checkConstraints } from "./taskValidation";
import { jobUrl, newTaskRecord } from "./taskWire";

export function requireJob(deps: HandlerDeps, jobId: string): JobRecord {
  const job = deps.state.getJob(jobId);
  if (!job) throw notFound("JobNotFound", "job");
  return job;
}

/** The service's 409s for a job that has ended or is ending. */
export function assertJobNotEnded(job: JobRecord): void {
  switch (job.wire.state) {
    case "deleting":
      throw conflict("JobBeingDeleted", "The specified job has been marked for deletion and is being garbage collected.");
    case "terminating":
      throw conflict("JobBeingTerminated", "The specified job is being terminated.");
    case "completed":
      throw conflict("JobCompleted", "The specified job is already in a completed state.");
  }
}

function presentJob(context: RequestContext, deps: HandlerDeps, job: JobRecord): Record<string, unknown> {
  const url = jobUrl(context, job.wire.id);
  const wire: Record<string, unknown> = { ...job.wire, url };
  if (expands(context, "stats")) wire.stats = jobStatistics(deps.state, job, `${url}/stats`);
  return wire;
}

function save(deps: HandlerDeps, job: JobRecord): void {
  deps.state.touch(job.wire);
  deps.state.saveJob(job);
}

/** The job a PUT or PATCH changes, after the checks both share (conditions, state, values). */
function changeableJob(context: RequestContext, deps: HandlerDeps, mode: "replace" | "patch"): { job: JobRecord; body: Record<string, unknown> } {
  const job = requireJob(deps, context.params.jobId);
  checkConditions(context, job.wire);
  assertJobNotEnded(job);
  const body = context.body as Record<string, unknown>;
  checkPriority(body.priority);
  checkMaxParallelTasks(body.maxParallelTasks);
  checkConstraints(body.constraints, "constraints");
  // a PUT resets an absent onAllTasksComplete to noaction, which must be allowed too
  if (mode === "replace" || body.onAllTasksComplete !== undefined) checkOnAllTasksComplete(job.wire, body.onAllTasksComplete ?? "noaction");
  checkPoolChange(job.wire, body.poolInfo);
  return { job, body };
}

export function registerJobRoutes(router: Router, deps: HandlerDeps): void {
  const { state, dispatcher } = deps;

  router.on("Job_Add", (context) => {
    const wire = newJobWire(context.body as Record<string, unknown>);
    if (state.getJob(wire.id)) throw conflict("JobExists", "The specified job already exists.");
    state.touch(wire);
    const job: JobRecord = { wire, local: { preparation: {}, release: {}, taskSequence: 0 } };
    if (wire.jobManagerTask) {
      const manager = newTaskRecord(job, wire.jobManagerTask as Record<string, unknown>, { jobManager: true });
      state.touch(manager.wire);
      state.saveJob(job);
      state.saveTask(manager);
    } else {
      state.saveJob(job);
    }
    return created(wire, jobUrl(context, wire.id));
  });

  router.on("Job_List", (context) => listReply(context, state.jobs.allValues(), { present: (job) => presentJob(context, deps, job) }));

  router.on("Job_Get", (context) => {
    const job = requireJob(deps, context.params.jobId);
    checkConditions(context, job.wire);
    return entity(context, job.wire, presentJob(context, deps, job));
  });

  router.on("Job_Update", (context) => {
    const { job, body } = changeableJob(context, deps, "replace");
    // a PUT replaces every updatable property: absent ones go back to their defaults
    job.wire.priority = body.priority ?? 0;
    job.wire.maxParallelTasks = body.maxParallelTasks ?? -1;
    job.wire.allowTaskPreemption = body.allowTaskPreemption ?? false;
    job.wire.constraints = jobConstraints(body.constraints as Record<string, unknown> | undefined);
    job.wire.poolInfo = body.poolInfo;
    jobExecutionInfo(job).poolId = (body.poolInfo as { poolId: string }).poolId;
    job.wire.onAllTasksComplete = body.onAllTasksComplete ?? "noaction";
    if (body.metadata === undefined) delete job.wire.metadata;
    else job.wire.metadata = body.metadata;
    save(deps, job);
    return updated(job.wire, jobUrl(context, job.wire.id));
  });

  router.on("Job_Patch", (context) => {
    const { job, body } = changeableJob(context, deps, "patch");
    for (const key of ["priority", "maxParallelTasks", "allowTaskPreemption", "onAllTasksComplete", "poolInfo", "metadata"]) {
      if (body[key] !== undefined) job.wire[key] = body[key];
    }
    if (body.poolInfo !== undefined) jobExecutionInfo(job).poolId = (body.poolInfo as { poolId: string }).poolId;
    if (body.constraints !== undefined) job.wire.constraints = jobConstraints(body.constraints as Record<string, unknown>);
    save(deps, job);
    return updated(job.wire, jobUrl(context, job.wire.id));
  });

  router.on("Job_Delete", (context) => {
    const job = requireJob(deps, context.params.jobId);
    checkConditions(context, job.wire);
    if (job.wire.state === "deleting") throw conflict("JobBeingDeleted", "The specified job has been marked for deletion and is being garbage collected.");
    state.transition(job.wire, "deleting");
    save(deps, job);
    void dispatcher.endJob(job.wire.id, "delete");
    return { status: 202 };
  });

  router.on("Job_Terminate", (context) => {
    const job = requireJob(deps, context.params.jobId);
    checkConditions(context, job.wire);
    assertJobNotEnded(job);
    const reason = (context.body as { terminateReason?: string } | undefined)?.terminateReason;
    terminateJob(state, dispatcher, job, reason || TerminateReasons.UserTerminate);
    return accepted(job.wire, jobUrl(context, job.wire.id));
  });

  router.on("Job_Disable", (context) => {
    const job = requireJob(deps, context.params.jobId);
    checkConditions(context, job.wire);
    assertJobNotEnded(job);
    const { disableTasks } = context.body as { disableTasks: DisableTasks };
    disableJob(state, dispatcher, job, disableTasks);
    return accepted(job.wire, jobUrl(context, job.wire.id));
  });

  router.on("Job_Enable", (context) => {
    const job = requireJob(deps, context.params.jobId);
    checkConditions(context, job.wire);
    assertJobNotEnded(job);
    if (job.wire.state !== "disabled" && job.wire.state !== "disabling") {
      throw conflict("OperationInvalidForCurrentState", `Only a disabled job can be enabled; the job is ${String(job.wire.state)}.`);
    }
    enableJob(state, dispatcher, job);
    return accepted(job.wire, jobUrl(context, job.wire.id));
  });

  router.on("Job_GetTaskCounts", (context) => {
    const job = requireJob(deps, context.params.jobId);
    return { status: 200, body: taskCounts(state, job.wire.id) };
  });

  router.on("Job_ListPreparationAndReleaseTaskStatus", (context) => {
    const job = requireJob(deps, context.params.jobId);
    if (!job.wire.jobPreparationTask && !job.wire.jobReleaseTask) {
      throw conflict("JobPreparationTaskOrReleaseTaskNotSpecified", "The specified job has neither a job preparation task nor a job release task.");
    }
    return listReply(context, preparationStatusList(deps, job), { present: (entry) => entry });
  });
}
