// Why: the job state changes both the REST handlers and the scheduler make (terminate, disable, enable, effects of a finished task).
import type { BatchState } from "../store/batchState";
import type { JobRecord, TaskRecord } from "../store/model";
import type { NodeDispatcher } from "./nodeDispatcher";
import type { EffectiveExitOptions } from "./taskOutcome";
import { endTask, requeueTask, unplaceTask } from "./taskTransitions";

export type DisableTasks = "requeue" | "terminate" | "wait";

/** terminateReason values the service itself sets. */
export const TerminateReasons = {
  JobManagerComplete: "JMComplete",
  MaxWallClockTimeExpiry: "MaxWallClockTimeExpiry",
  AllTasksComplete: "AllTasksComplete",
  TaskFailed: "TaskFailed",
  UserTerminate: "UserTerminate",
} as const;

const ENDED_STATES = new Set(["terminating", "completed", "deleting"]);

export function isJobEnded(job: JobRecord): boolean {
  return ENDED_STATES.has(job.wire.state as string);
}

export function jobExecutionInfo(job: JobRecord): Record<string, unknown> {
  let info = job.wire.executionInfo as Record<string, unknown> | undefined;
  if (!info) job.wire.executionInfo = info = { startTime: job.wire.creationTime };
  return info;
}

/**
 * Moves the job to terminating with its reason; the dispatcher then ends its running tasks, runs the job release tasks
 * and completes it. Active tasks stay active. Returns false when the job already ended.
 */
export function terminateJob(state: BatchState, dispatcher: NodeDispatcher, job: JobRecord, reason: string): boolean {
  if (isJobEnded(job)) return false;
  state.transition(job.wire, "terminating");
  jobExecutionInfo(job).terminateReason = reason;
  state.touch(job.wire);
  state.saveJob(job);
  void dispatcher.endJob(job.wire.id, "terminate");
  return true;
}

/** The job's tasks that occupy a node: running, or preparing on a node. */
export function tasksOnNodes(state: BatchState, job: JobRecord): TaskRecord[] {
  return [...state.tasksOf(job.wire.id)].filter((task) => task.wire.state === "running" || task.wire.state === "preparing");
}

/** active → disabling; running tasks are requeued, terminated or left to finish; the scheduler moves it on to disabled. */
export function disableJob(state: BatchState, dispatcher: NodeDispatcher, job: JobRecord, disableTasks: DisableTasks): void {
  if (job.wire.state === "active" || job.wire.state === "enabling") state.transition(job.wire, "disabling");
  for (const task of tasksOnNodes(state, job)) {
    if (disableTasks === "wait") {
      // only running tasks may finish; one still waiting for its preparation task goes back to the queue
      if (task.wire.state !== "preparing") continue;
      unplaceTask(state, task);
    } else if (disableTasks === "requeue") {
      requeueTask(state, task);
    } else {
      endTask(state, task);
    }
    void dispatcher.killTask(job.wire.id, task.wire.id);
  }
  state.touch(job.wire);
  state.saveJob(job);
  dispatcher.kick();
}

/** disabled/disabling → enabling; the scheduler makes it active again. */
export function enableJob(state: BatchState, dispatcher: NodeDispatcher, job: JobRecord): void {
  state.transition(job.wire, "enabling");
  state.touch(job.wire);
  state.saveJob(job);
  dispatcher.kick();
}

/**
 * What a completed task does to its job: the exit options' jobAction when the job performs them, and the end of the job
 * when it was the job manager with killJobOnCompletion. `options` is undefined when a user terminated the task.
 */
export function applyCompletionEffects(
  state: BatchState,
  dispatcher: NodeDispatcher,
  job: JobRecord,
  task: TaskRecord,
  options: EffectiveExitOptions | undefined,
): void {
  if (options && job.wire.onTaskFailure === "performexitoptionsjobaction") {
    if (options.jobAction === "terminate") terminateJob(state, dispatcher, job, TerminateReasons.TaskFailed);
    else if (options.jobAction === "disable" && !isJobEnded(job) && job.wire.state !== "disabled") disableJob(state, dispatcher, job, "requeue");
  }
  const manager = job.wire.jobManagerTask as { killJobOnCompletion?: boolean } | undefined;
  if (task.local.jobManager && manager && manager.killJobOnCompletion !== false) terminateJob(state, dispatcher, job, TerminateReasons.JobManagerComplete);
}
