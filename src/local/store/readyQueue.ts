// Why: a job's active tasks in scheduling order (job manager first, then insertion order) as a heap, so a scheduling pass costs what it places, not the job's size.

import { MinHeap } from "./minHeap";

interface Entry<T> {
  /** job manager 0, others 1: compared before the sequence */
  rank: number;
  sequence: number;
  key: string;
  /** the task's activation this entry belongs to; older entries are dropped when they surface */
  version: number;
  value: T;
}

const before = <T>(a: Entry<T>, b: Entry<T>) => a.rank - b.rank || a.sequence - b.sequence || a.version - b.version;

/** A min-heap with lazy removal: `remove` only forgets the key; stale entries are discarded when popped. */
export class ReadyQueue<T> {
  private readonly heap = new MinHeap<Entry<T>>(before);
  private readonly live = new Map<string, number>();
  private versions = 0;

  get size(): number {
    return this.live.size;
  }

  add(key: string, value: T, rank: number, sequence: number): void {
    const version = ++this.versions;
    this.live.set(key, version);
    this.heap.push({ rank, sequence, key, version, value });
  }

  remove(key: string): void {
    this.live.delete(key);
  }

  /**
   * Visits the queued values in order until `visit` returns "stop" (or the queue ends). Every visited value stays
   * queued: it leaves only through `remove` (the task left the active state), so one that was placed but never
   * started is still there for the next pass.
   */
  visit(visit: (value: T) => "next" | "stop"): void {
    const seen: Entry<T>[] = [];
    try {
      for (let entry = this.heap.pop(); entry; entry = this.heap.pop()) {
        if (this.live.get(entry.key) !== entry.version) continue; // stale: the task left (or re-entered) the queue
        seen.push(entry);
        if (visit(entry.value) === "stop") break;
      }
    } finally {
      for (const entry of seen) this.heap.push(entry);
    }
  }
}
