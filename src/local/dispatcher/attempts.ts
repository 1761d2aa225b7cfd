// Why: the in-memory list of task attempts holding node slots (preparing or running), and the slot usage per node it implies.
import { idKey } from "../protocol/ids";
import type { TaskRecord } from "../store/model";

export interface Attempt {
  jobId: string;
  taskId: string;
  poolId: string;
  nodeId: string;
  /** requiredSlots of the task */
  slots: number;
  /** a job manager with runExclusive: nothing else may run on the node meanwhile */
  exclusive: boolean;
  /** the record the attempt belongs to; a task deleted and re-added with the same id is a different record */
  record: TaskRecord;
  controller: AbortController;
  /** waiting for the job preparation task on the node, or running the command */
  phase: "preparing" | "running";
  /** settles once the attempt's result has been applied and its slots freed */
  done: Promise<void>;
}

export interface NodeUsage {
  slots: number;
  tasks: number;
  exclusive: boolean;
}

export const nodeKey = (poolId: string, nodeId: string): string => `${idKey(poolId)}/${idKey(nodeId)}`;

const taskKey = (jobId: string, taskId: string): string => `${idKey(jobId)}/${idKey(taskId)}`;

export class AttemptRegistry {
  private readonly byTask = new Map<string, Attempt>();

  add(attempt: Attempt): void {
    this.byTask.set(taskKey(attempt.jobId, attempt.taskId), attempt);
  }

  remove(attempt: Attempt): void {
    const key = taskKey(attempt.jobId, attempt.taskId);
    if (this.byTask.get(key) === attempt) this.byTask.delete(key);
  }

  get(jobId: string, taskId: string): Attempt | undefined {
    return this.byTask.get(taskKey(jobId, taskId));
  }

  all(): Attempt[] {
    return [...this.byTask.values()];
  }

  ofJob(jobId: string): Attempt[] {
    const prefix = `${idKey(jobId)}/`;
    return [...this.byTask.entries()].filter(([key]) => key.startsWith(prefix)).map(([, attempt]) => attempt);
  }

  /** Slots, task count and exclusivity per node (keyed by nodeKey). */
  usage(): Map<string, NodeUsage> {
    const usage = new Map<string, NodeUsage>();
    for (const attempt of this.byTask.values()) addUsage(usage, attempt.poolId, attempt.nodeId, attempt.slots, attempt.exclusive);
    return usage;
  }
}

export function addUsage(usage: Map<string, NodeUsage>, poolId: string, nodeId: string, slots: number, exclusive: boolean): void {
  const key = nodeKey(poolId, nodeId);
  const current = usage.get(key) ?? { slots: 0, tasks: 0, exclusive: false };
  usage.set(key, { slots: current.slots + slots, tasks: current.tasks + 1, exclusive: current.exclusive || exclusive });
}
