// Why: decides which active tasks start now and where: job priority, job manager first, dependencies, maxParallelTasks, free node slots.
import type { BatchState } from "../store/batchState";
import type { JobRecord, NodeRecord, PoolRecord, TaskRecord } from "../store/model";
import { addUsage, nodeKey, type AttemptRegistry, type NodeUsage } from "./attempts";
import { dependencyState, type TaskDependencies } from "./dependencies";
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

function candidates(state: BatchState, registry: AttemptRegistry, job: JobRecord): TaskRecord[] {
  const waiting = [...state.tasksOf(job.wire.id)].filter((task) => task.wire.state === "active" && !registry.get(job.wire.id, task.wire.id));
  return waiting.sort((a, b) => Number(Boolean(b.local.jobManager)) - Number(Boolean(a.local.jobManager)) || a.local.sequence - b.local.sequence);
}

/** Plans the placements of this scheduling pass; `usage` of the nodes is updated as tasks are placed. */
export function planPlacements(state: BatchState, registry: AttemptRegistry): Placement[] {
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
    for (const task of candidates(state, registry, job)) {
      if (maxParallel > 0 && running >= maxParallel) break;
      if (dependencyState(task.wire.dependsOn as TaskDependencies | undefined, lookup, allTasks) !== "satisfied") continue;
      const slots = requiredSlots(task);
      const manager = task.local.jobManager ? (job.wire.jobManagerTask as JobManagerSettings) : undefined;
      const exclusive = Boolean(task.local.jobManager) && manager?.runExclusive !== false;
      const allowed = manager?.allowLowPriorityNode === false ? nodes.filter((node) => node.wire.isDedicated !== false) : nodes;
      const node = pickNode(pool, allowed, usage, { slots, exclusive });
      if (!node) {
        // the job manager is scheduled before the job's other tasks: they wait until it has a node
        if (task.local.jobManager) break;
        continue;
      }
      addUsage(usage, pool.wire.id, node.wire.id, slots, exclusive);
      running++;
      placements.push({ job, task, pool, node, slots, exclusive });
      if (!hasRoom(pool, nodes, usage)) break;
    }
  }
  return placements;
}
