// Why: per-job indexes kept up to date on every task change: counts by state (GetTaskCounts in O(1)) and the ready queue of active tasks.
import type { TaskRecord } from "./model";
import { ReadyQueue } from "./readyQueue";

export interface TaskCounts {
  active: number;
  running: number;
  completed: number;
  succeeded: number;
  failed: number;
}

type Bucket = keyof TaskCounts | undefined;

const zero = (): TaskCounts => ({ active: 0, running: 0, completed: 0, succeeded: 0, failed: 0 });

function bucketOf(task: TaskRecord): { state: Bucket; result: Bucket } {
  const state = task.wire.state;
  if (state === "active") return { state: "active", result: undefined };
  if (state === "running" || state === "preparing") return { state: "running", result: undefined };
  if (state !== "completed") return { state: undefined, result: undefined };
  const failed = (task.wire.executionInfo as { result?: string } | undefined)?.result === "failure";
  return { state: "completed", result: failed ? "failed" : "succeeded" };
}

const slotsOf = (task: TaskRecord): number => (typeof task.wire.requiredSlots === "number" ? task.wire.requiredSlots : 1);

interface Indexed {
  record: TaskRecord;
  state: Bucket;
  result: Bucket;
  slots: number;
}

/** The indexes of one job's tasks. */
export class JobTaskIndex {
  readonly counts = zero();
  readonly slotCounts = zero();
  readonly ready = new ReadyQueue<TaskRecord>();
  private readonly indexed = new Map<string, Indexed>();

  /** A task was saved (`task` set) or deleted (undefined). */
  update(key: string, task: TaskRecord | undefined): void {
    const previous = this.indexed.get(key);
    if (previous) this.count(previous, -1);
    if (!task) {
      this.indexed.delete(key);
      this.ready.remove(key);
      return;
    }
    const next: Indexed = { record: task, ...bucketOf(task), slots: slotsOf(task) };
    this.indexed.set(key, next);
    this.count(next, 1);
    if (next.state !== "active") this.ready.remove(key);
    else if (previous?.state !== "active" || previous.record !== task) this.ready.add(key, task, task.local.jobManager ? 0 : 1, task.local.sequence);
  }

  get size(): number {
    return this.indexed.size;
  }

  private count(entry: Indexed, amount: number): void {
    for (const bucket of [entry.state, entry.result]) {
      if (!bucket) continue;
      this.counts[bucket] += amount;
      this.slotCounts[bucket] += amount * entry.slots;
    }
  }
}
