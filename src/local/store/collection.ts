// Why: a named, partitioned map of JSON records (e.g. tasks by job) whose every change goes through the journal.
import type { JournalEntry } from "./stateFiles";

export type Partitions = Map<string, Map<string, unknown>>;

/** Told of every change after it is journaled: the record set, or undefined for a delete. */
export type CollectionObserver<T> = (partition: string, key: string, value: T | undefined) => void;

export interface JournalWriter {
  append(entry: JournalEntry): void;
}

/** A collection of JSON records grouped in partitions (e.g. tasks by job), in insertion order. */
export class Collection<T> {
  constructor(
    private readonly store: JournalWriter,
    readonly name: string,
    private readonly partitions: Partitions,
    private readonly observer?: CollectionObserver<T>,
  ) {
    if (observer) for (const [partition, records] of partitions) for (const [key, value] of records) observer(partition, key, value as T);
  }

  get(key: string, partition = ""): T | undefined {
    return this.partitions.get(partition)?.get(key) as T | undefined;
  }

  has(key: string, partition = ""): boolean {
    return this.partitions.get(partition)?.has(key) ?? false;
  }

  /** Records of one partition, in insertion order. */
  values(partition = ""): IterableIterator<T> {
    return (this.partitions.get(partition) ?? new Map()).values() as IterableIterator<T>;
  }

  size(partition = ""): number {
    return this.partitions.get(partition)?.size ?? 0;
  }

  *allValues(): IterableIterator<T> {
    for (const records of this.partitions.values()) yield* records.values() as IterableIterator<T>;
  }

  /** Journals the record, then keeps it (a failed write throws and changes nothing here). */
  set(key: string, value: T, partition = ""): void {
    this.store.append({ c: this.name, p: partition, k: key, v: value });
    let records = this.partitions.get(partition);
    if (!records) {
      records = new Map();
      this.partitions.set(partition, records);
    }
    records.set(key, value);
    this.observer?.(partition, key, value);
  }

  delete(key: string, partition = ""): void {
    const records = this.partitions.get(partition);
    if (!records?.has(key)) return;
    this.store.append({ c: this.name, p: partition, k: key });
    records.delete(key);
    if (records.size === 0) this.partitions.delete(partition);
    this.observer?.(partition, key, undefined);
  }

  /** Removes a whole partition (e.g. all tasks of a deleted job). */
  deletePartition(partition: string): void {
    const records = this.partitions.get(partition);
    if (!records) return;
    for (const key of [...records.keys()]) this.delete(key, partition);
  }
}
