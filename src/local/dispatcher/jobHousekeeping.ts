// Why: the job state changes the service makes on its own: enabling→active, disabling→disabled, wall-clock expiry, all tasks complete.
import { parseIsoDuration } from "../node/isoDuration";
import type { BatchState } from "../store/batchState";
import type { JobRecord } from "../store/model";
import type { AttemptRegistry } from "./attempts";
import { isJobEnded, terminateJob, TerminateReasons } from "./jobTransitions";
import type { NodeDispatcher } from "./nodeDispatcher";

function settle(state: BatchState, job: JobRecord, next: string): void {
  state.transition(job.wire, next);
  state.touch(job.wire);
  state.saveJob(job);
}

/** The time (ms since epoch) the job's maxWallClockTime runs out, if it has one. */
function wallClockDeadline(job: JobRecord): number | undefined {
  const limit = (job.wire.constraints as { maxWallClockTime?: string } | undefined)?.maxWallClockTime;
  if (!limit) return undefined;
  const duration = parseIsoDuration(limit);
  if (duration === undefined) return undefined;
  const deadline = Date.parse(String(job.wire.creationTime)) + duration;
  return Number.isFinite(deadline) ? deadline : undefined;
}

function allTasksComplete(state: BatchState, job: JobRecord): boolean {
  const index = state.taskIndex(job.wire.id);
  return index.counts.completed === index.size;
}

/**
 * Applies the automatic job transitions; returns the earliest future wall-clock deadline of a running job, so the
 * dispatcher can look again then.
 */
export function jobHousekeeping(state: BatchState, dispatcher: NodeDispatcher, registry: AttemptRegistry, now = Date.now()): number | undefined {
  let nextDeadline: number | undefined;
  for (const job of [...state.jobs.allValues()]) {
    if (isJobEnded(job)) continue;
    const deadline = wallClockDeadline(job);
    if (deadline !== undefined && deadline <= now) {
      terminateJob(state, dispatcher, job, TerminateReasons.MaxWallClockTimeExpiry);
      continue;
    }
    if (deadline !== undefined) nextDeadline = Math.min(nextDeadline ?? deadline, deadline);
    if (job.wire.state === "enabling") settle(state, job, "active");
    else if (job.wire.state === "disabling" && registry.ofJob(job.wire.id).length === 0) settle(state, job, "disabled");
    if (job.wire.state === "active" && job.wire.onAllTasksComplete === "terminatejob" && allTasksComplete(state, job)) {
      terminateJob(state, dispatcher, job, TerminateReasons.AllTasksComplete);
    }
  }
  return nextDeadline;
}
