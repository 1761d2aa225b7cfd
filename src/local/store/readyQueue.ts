// Why: a job's active tasks in scheduling order (job manager first, then insertion order) as a heap, so a scheduling pass costs what it places, not the job's size.

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
  private readonly heap: Entry<T>[] = [];
  private readonly live = new Map<string, number>();
  private versions = 0;

  get size(): number {
    return this.live.size;
  }

  add(key: string, value: T, rank: number, sequence: number): void {
    const version = ++this.versions;
    this.live.set(key, version);
    this.push({ rank, sequence, key, version, value });
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
      for (let entry = this.pop(); entry; entry = this.pop()) {
        if (this.live.get(entry.key) !== entry.version) continue; // stale: the task left (or re-entered) the queue
        seen.push(entry);
        if (visit(entry.value) === "stop") break;
      }
    } finally {
      for (const entry of seen) this.push(entry);
    }
  }

  private push(entry: Entry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (before(heap[parent], heap[i]) <= 0) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): Entry<T> | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left], heap[smallest]) < 0) smallest = left;
        if (right < heap.length && before(heap[right], heap[smallest]) < 0) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
