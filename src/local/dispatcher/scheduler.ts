// Why: decides which active tasks start now and where: job priority, job manager first, dependencies, maxParallelTasks, free node slots.
import type { BatchState } from "../store/batchState";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../store/model";
import { addUsage, nodeKey, type AttemptRegistry, type NodeUsage } from "./attempts";
import { dependencyState, maySatisfy, type TaskDependencies } from "./dependencies";
import { preparationStatus } from "./jobPreparation";
import { isSchedulable, pickNode, slotsPerNode } from "./placement";

export interface Placement {
  job: JobRecord;
  task: TaskRecord;
  pool: PoolRecord;
  node: NodeRecord;
  slots: number;
  exclusive: boolean;
}

type JobManagerSettings = { runExclusive?: boolean; allowLowPriorityNode?: boolean } | undefined;

export function requiredSlots(task: TaskRecord): number {
  const slots = task.wire.requiredSlots;
  return typeof slots === "number" && slots > 0 ? slots : 1;
}

function byPriority(a: JobRecord, b: JobRecord): number {
  const priority = ((b.wire.priority as number | undefined) ?? 0) - ((a.wire.priority as number | undefined) ?? 0);
  if (priority !== 0) return priority;
  return String(a.wire.creationTime).localeCompare(String(b.wire.creationTime));
}

function hasRoom(pool: PoolRecord, nodes: NodeRecord[], usage: Map<string, NodeUsage>): boolean {
  const capacity = slotsPerNode(pool);
  return nodes.some((node) => {
    const used = usage.get(nodeKey(pool.wire.id, node.wire.id));
    return !used || (!used.exclusive && used.slots < capacity);
  });
}

/** The job's nodes that may take its tasks: schedulable, and not where its preparation task failed (waitForSuccess). */
function nodesFor(state: BatchState, job: JobRecord, pool: PoolRecord): NodeRecord[] {
  return [...state.nodesOf(pool.wire.id)].filter((node) => isSchedulable(node) && preparationStatus(job, node.wire.id) !== "failed");
}

/** Local-only (--scheduling-delay): a task is placed no sooner than this long after it became active. */
export interface SchedulingDelay {
  ms: number;
  now: number;
  /** set by planPlacements: when the first task it held back becomes placeable */
  wakeAt?: number;
}

/** Whether the delay still holds the task back; notes the earliest time one becomes placeable. */
function heldBack(task: TaskRecord, delay: SchedulingDelay | undefined): boolean {
  if (!delay || delay.ms <= 0) return false;
  const activeSince = Date.parse(String(task.wire.stateTransitionTime ?? task.wire.creationTime ?? ""));
  if (!Number.isFinite(activeSince)) return false;
  const placeableAt = activeSince + delay.ms;
  if (placeableAt <= delay.now) return false;
  delay.wakeAt = Math.min(delay.wakeAt ?? Number.POSITIVE_INFINITY, placeableAt);
  return true;
}

/** Plans the placements of this scheduling pass; `usage` of the nodes is updated as tasks are placed. */
export function planPlacements(state: BatchState, registry: AttemptRegistry, delay?: SchedulingDelay): Placement[] {
  const placements: Placement[] = [];
  const usage = registry.usage();
  const jobs = [...state.jobs.allValues()].filter((job) => job.wire.state === "active").sort(byPriority);
  for (const job of jobs) {
    const pool = state.getPool(String((job.wire.poolInfo as { poolId?: string } | undefined)?.poolId ?? ""));
    if (!pool || pool.wire.state === "deleting") continue;
    const nodes = nodesFor(state, job, pool);
    if (nodes.length === 0 || !hasRoom(pool, nodes, usage)) continue;
    const maxParallel = typeof job.wire.maxParallelTasks === "number" ? job.wire.maxParallelTasks : -1;
    let running = registry.ofJob(job.wire.id).length;
    const lookup = (taskId: string) => state.getTask(job.wire.id, taskId);
    const allTasks = () => state.tasksOf(job.wire.id);
    // the job's ready queue, in order: the cost is what this pass places or skips, not the job's size
    const index = state.taskIndex(job.wire.id);
    index.ready.visit((task) => {
      if (maxParallel > 0 && running >= maxParallel) return "stop";
      if (registry.get(job.wire.id, task.wire.id)) return "next"; // placed, not started yet
      // the queue is in activation order (but for requeues): the tasks behind a held-back one are held back too
      if (heldBack(task, delay)) return "stop";
      const dependsOn = task.wire.dependsOn as TaskDependencies | undefined;
      if (!maySatisfy(dependsOn, index.counts.completed) || dependencyState(dependsOn, lookup, allTasks) !== "satisfied") return "next";
      const slots = requiredSlots(task);
      const manager = task.local.jobManager ? (job.wire.jobManagerTask as JobManagerSettings) : undefined;
      const exclusive = Boolean(task.local.jobManager) && manager?.runExclusive !== false;
      const allowed = manager?.allowLowPriorityNode === false ? nodes.filter((node) => node.wire.isDedicated !== false) : nodes;
      const node = pickNode(pool, allowed, usage, { slots, exclusive });
      // the job manager is scheduled before the job's other tasks: they wait until it has a node
      if (!node) return task.local.jobManager ? "stop" : "next";
      addUsage(usage, pool.wire.id, node.wire.id, slots, exclusive);
      running++;
      placements.push({ job, task, pool, node, slots, exclusive });
      return hasRoom(pool, nodes, usage) ? "next" : "stop";
    });
  }
  return placements;
}
