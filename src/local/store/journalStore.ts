// Why: durable state without native modules: an append-only journal of JSON lines over a snapshot, replayed on start.
import * as fs from "node:fs";
import * as path from "node:path";

interface JournalEntry {
  /** collection name */
  c: string;
  /** partition key ("" for unpartitioned collections) */
  p: string;
  /** record key */
  k: string;
  /** the record, or absent for a delete */
  v?: unknown;
}

type Partitions = Map<string, Map<string, unknown>>;

/** A collection of JSON records grouped in partitions (e.g. tasks by job), in insertion order. */
export class Collection<T> {
  constructor(
    private readonly store: JournalStore,
    readonly name: string,
    private readonly partitions: Partitions,
  ) {}

  get(key: string, partition = ""): T | undefined {
    return this.partitions.get(partition)?.get(key) as T | undefined;
  }

  has(key: string, partition = ""): boolean {
    return this.partitions.get(partition)?.has(key) ?? false;
  }

  /** Records of one partition, in insertion order. */
  values(partition = ""): IterableIterator<T> {
    return ((this.partitions.get(partition) ?? new Map()).values() as IterableIterator<T>);
  }

  size(partition = ""): number {
    return this.partitions.get(partition)?.size ?? 0;
  }

  *allValues(): IterableIterator<T> {
    for (const records of this.partitions.values()) yield* records.values() as IterableIterator<T>;
  }

  set(key: string, value: T, partition = ""): void {
    let records = this.partitions.get(partition);
    if (!records) this.partitions.set(partition, (records = new Map()));
    records.set(key, value);
    this.store.append({ c: this.name, p: partition, k: key, v: value });
  }

  delete(key: string, partition = ""): void {
    const records = this.partitions.get(partition);
    if (!records?.delete(key)) return;
    if (records.size === 0) this.partitions.delete(partition);
    this.store.append({ c: this.name, p: partition, k: key });
  }

  /** Removes a whole partition (e.g. all tasks of a deleted job). */
  deletePartition(partition: string): void {
    const records = this.partitions.get(partition);
    if (!records) return;
    for (const key of [...records.keys()]) this.delete(key, partition);
  }
}

/**
 * Every change is written to `journal.jsonl` before the caller answers, so a killed process loses nothing it
 * acknowledged; the journal is folded into `snapshot.json` once it grows past the live data.
 */
export class JournalStore {
  private readonly data = new Map<string, Partitions>();
  private fd: number | undefined;
  private journalEntries = 0;
  private readonly snapshotFile: string;
  private readonly journalFile: string;

  constructor(private readonly directory: string, private readonly compactAfterEntries = 200_000) {
    this.snapshotFile = path.join(directory, "snapshot.json");
    this.journalFile = path.join(directory, "journal.jsonl");
  }

  open(): void {
    fs.mkdirSync(this.directory, { recursive: true });
    if (fs.existsSync(this.snapshotFile)) {
      const snapshot = JSON.parse(fs.readFileSync(this.snapshotFile, "utf8")) as Record<string, Record<string, [string, unknown][]>>;
      for (const [name, partitions] of Object.entries(snapshot)) {
        const target = this.partitionsOf(name);
        for (const [partition, records] of Object.entries(partitions)) target.set(partition, new Map(records));
      }
    }
    if (fs.existsSync(this.journalFile)) {
      const lines = fs.readFileSync(this.journalFile, "utf8").split("\n");
      for (const line of lines) {
        if (line.trim() === "") continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          break; // a torn last line from a crash mid-write: everything before it is intact
        }
        this.applyEntry(entry);
        this.journalEntries++;
      }
    }
    this.fd = fs.openSync(this.journalFile, "a");
    if (this.journalEntries > 0) this.compact();
  }

  collection<T>(name: string): Collection<T> {
    return new Collection<T>(this, name, this.partitionsOf(name));
  }

  /** Writes the journal entry synchronously: once this returns the change survives a kill of the process. */
  append(entry: JournalEntry): void {
    if (this.fd === undefined) throw new Error("JournalStore used before open()");
    fs.writeSync(this.fd, JSON.stringify(entry) + "\n");
    if (++this.journalEntries >= this.compactAfterEntries) this.compact();
  }

  /** Writes all live data to a new snapshot (atomically, by rename) and empties the journal. */
  compact(): void {
    const snapshot: Record<string, Record<string, [string, unknown][]>> = {};
    for (const [name, partitions] of this.data) {
      snapshot[name] = {};
      for (const [partition, records] of partitions) snapshot[name][partition] = [...records.entries()];
    }
    const temporary = `${this.snapshotFile}.tmp`;
    const fd = fs.openSync(temporary, "w");
    try {
      fs.writeSync(fd, JSON.stringify(snapshot));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.snapshotFile);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.journalFile, "w");
    this.journalEntries = 0;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private partitionsOf(name: string): Partitions {
    let partitions = this.data.get(name);
    if (!partitions) this.data.set(name, (partitions = new Map()));
    return partitions;
  }

  private applyEntry(entry: JournalEntry): void {
    const partitions = this.partitionsOf(entry.c);
    let records = partitions.get(entry.p);
    if (entry.v === undefined) {
      records?.delete(entry.k);
      if (records?.size === 0) partitions.delete(entry.p);
      return;
    }
    if (!records) partitions.set(entry.p, (records = new Map()));
    records.set(entry.k, entry.v);
  }
}
