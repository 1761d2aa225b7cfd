// Why: allowTaskPreemption: a job that cannot place its ready tasks requeues running tasks of lower-priority jobs that allow it, as Azure does.
import { idKey } from "../protocol/ids";
import type { BatchState } from "../store/batchState";
import type { JobRecord } from "../store/model";
import type { Attempt, AttemptRegistry } from "./attempts";
import { dependencyState, maySatisfy, type TaskDependencies } from "./dependencies";
import { requiredSlots } from "./scheduler";

const priorityOf = (job: JobRecord): number => (typeof job.wire.priority === "number" ? job.wire.priority : 0);

const startedAt = (attempt: Attempt): number =>
  Date.parse(String((attempt.record.wire.executionInfo as { startTime?: string } | undefined)?.startTime ?? "")) || 0;

/** Running attempts of lower-priority jobs that allow preemption, on the job's pool: the latest started first (least work lost). */
function victimsFor(state: BatchState, registry: AttemptRegistry, job: JobRecord, poolKey: string, preempting: Set<Attempt>): Attempt[] {
  const priority = priorityOf(job);
  return registry
    .all()
    .filter((attempt) => {
      if (attempt.phase !== "running" || preempting.has(attempt) || attempt.record.local.jobManager || idKey(attempt.poolId) !== poolKey) return false;
      const owner = state.getJob(attempt.jobId);
      return owner !== undefined && owner.wire.allowTaskPreemption === true && priorityOf(owner) < priority;
    })
    .sort((a, b) => startedAt(b) - startedAt(a));
}

/** Slots the job's ready tasks that no node took this pass would need (dependencies and maxParallelTasks respected), up to `cap`. */
function waitingSlots(state: BatchState, registry: AttemptRegistry, job: JobRecord, cap: number): number {
  const index = state.taskIndex(job.wire.id);
  const lookup = (taskId: string) => state.getTask(job.wire.id, taskId);
  const allTasks = () => state.tasksOf(job.wire.id);
  const maxParallel = typeof job.wire.maxParallelTasks === "number" && job.wire.maxParallelTasks > 0 ? job.wire.maxParallelTasks : Infinity;
  let running = registry.ofJob(job.wire.id).length;
  let needed = 0;
  index.ready.visit((task) => {
    if (needed >= cap || running >= maxParallel) return "stop";
    if (registry.get(job.wire.id, task.wire.id)) return "next";
    const dependsOn = task.wire.dependsOn as TaskDependencies | undefined;
    if (!maySatisfy(dependsOn, index.counts.completed) || dependencyState(dependsOn, lookup, allTasks) !== "satisfied") return "next";
    needed += requiredSlots(task);
    running++;
    return "next";
  });
  return needed;
}

/**
 * The attempts to requeue so that higher-priority jobs' waiting tasks get slots. Called after a scheduling pass placed what
 * fit; `preempting` holds attempts already asked to stop (their slots count as freeing, so nothing is preempted twice over).
 */
export function planPreemptions(state: BatchState, registry: AttemptRegistry, preempting: Set<Attempt>): Attempt[] {
  const chosen: Attempt[] = [];
  const allowing = registry.all().some((attempt) => state.getJob(attempt.jobId)?.wire.allowTaskPreemption === true);
  if (!allowing) return chosen;
  const jobs = [...state.jobs.allValues()].filter((job) => job.wire.state === "active").sort((a, b) => priorityOf(b) - priorityOf(a));
  for (const job of jobs) {
    const poolKey = idKey(String((job.wire.poolInfo as { poolId?: string } | undefined)?.poolId ?? ""));
    const victims = victimsFor(state, registry, job, poolKey, preempting);
    if (victims.length === 0) continue;
    const freeing = [...preempting].filter((attempt) => idKey(attempt.poolId) === poolKey).reduce((sum, attempt) => sum + attempt.slots, 0);
    const available = victims.reduce((sum, attempt) => sum + attempt.slots, 0);
    let needed = waitingSlots(state, registry, job, available + freeing) - freeing;
    for (const victim of victims) {
      if (needed <= 0) break;
      chosen.push(victim);
      preempting.add(victim);
      needed -= victim.slots;
    }
  }
  return chosen;
}
