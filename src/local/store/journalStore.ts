// Why: durable state without native modules: a checksummed append-only journal over a snapshot, replayed on start.
import * as fs from "node:fs";
import * as path from "node:path";
import { Collection, type CollectionObserver, type Partitions } from "./collection";
import { encodeRecord } from "./recordCodec";
import { newJournal, syncDirectory, writeSnapshot } from "./snapshotWriter";
import { readSnapshot, replayJournal, StateUnreadableError, type JournalEntry } from "./stateFiles";
import { crashNow, crashPoint, nodeIo, writeAll, type StoreIo } from "./storeIo";

export { Collection } from "./collection";
export { StateUnreadableError } from "./stateFiles";

export interface JournalStoreOptions {
  /** fold the journal into a new snapshot after this many records (default 200,000) */
  compactAfterEntries?: number;
  /** the write path (tests inject a full disk) */
  io?: StoreIo;
  /** repairs made on open (a torn tail cut off), for the log */
  onNote?: (note: string) => void;
}

/** A write of the journal failed: the store accepts no more changes until the service is restarted. */
export class StoreWriteError extends Error {
  override readonly name = "StoreWriteError";
}

/**
 * Every change is written to `journal.jsonl` (one checksummed line) before the caller answers, so a killed process
 * loses nothing it acknowledged. A torn last line is cut off on open, before anything is appended. The journal is
 * folded into `snapshot.json` (written aside, then renamed) once it grows; a crash between any two steps of that
 * leaves either the old or the new snapshot, and the journal replays correctly over both.
 */
export class JournalStore {
  private readonly data = new Map<string, Partitions>();
  private fd: number | undefined;
  private journalEntries = 0;
  private journalLength = 0;
  private failure: StoreWriteError | undefined;
  /** records of the batch in progress, written together when it ends */
  private batched: Buffer[] | undefined;
  private readonly snapshotFile: string;
  private readonly journalFile: string;
  private readonly io: StoreIo;
  private readonly compactAfterEntries: number;

  constructor(
    private readonly directory: string,
    private readonly options: JournalStoreOptions = {},
  ) {
    this.snapshotFile = path.join(directory, "snapshot.json");
    this.journalFile = path.join(directory, "journal.jsonl");
    this.io = options.io ?? nodeIo;
    this.compactAfterEntries = options.compactAfterEntries ?? 200_000;
  }

  /** Loads the state; throws StateUnreadableError (changing nothing) when it cannot do so without losing data. */
  open(): void {
    fs.mkdirSync(this.directory, { recursive: true });
    for (const leftover of [`${this.snapshotFile}.tmp`, `${this.journalFile}.tmp`]) fs.rmSync(leftover, { force: true });
    const apply = (entry: JournalEntry) => this.applyEntry(entry);
    readSnapshot(this.snapshotFile, apply);
    const replay = replayJournal(this.journalFile, apply);
    if (replay.note) this.options.onNote?.(replay.note);
    if (replay.intactLength === 0) {
      this.startJournal();
    } else {
      this.fd = fs.openSync(this.journalFile, "a");
      // the torn tail goes before anything is appended
      if (replay.intactLength < replay.length) fs.ftruncateSync(this.fd, replay.intactLength);
      this.journalLength = replay.intactLength;
      this.journalEntries = replay.entries;
    }
    if ((replay.entries > 0 || replay.legacy) && !this.tryCompact() && replay.legacy) {
      this.close();
      throw new StateUnreadableError(
        `could not convert ${this.directory} to the current state format (see the log); free disk space and start again. Nothing was lost.`,
      );
    }
  }

  /** The collection `name`; an observer is told of the records already loaded, then of every change. */
  collection<T>(name: string, observer?: CollectionObserver<T>): Collection<T> {
    return new Collection<T>(this, name, this.partitionsOf(name), observer);
  }

  /** Writes the journal record synchronously: once this returns the change survives a kill of the process. */
  append(entry: JournalEntry): void {
    if (this.failure) throw this.failure;
    if (this.fd === undefined) throw new Error("JournalStore used before open()");
    if (this.batched) {
      this.batched.push(encodeRecord(entry));
      return;
    }
    // folded here, not after the write: the caller keeps the previous record in memory only once append returned
    if (this.journalEntries >= this.compactAfterEntries) this.tryCompact();
    this.write(encodeRecord(entry), 1);
  }

  /**
   * Group commit: the records `work` appends are written in one write when it returns (before the caller answers),
   * instead of one write each. If that write fails, memory is ahead of the disk: the store fails stop as for any
   * failed write, so nothing unacknowledged is ever answered as done.
   */
  batch<T>(work: () => T): T {
    if (this.batched) return work();
    this.batched = [];
    let result: T;
    try {
      result = work();
    } finally {
      const lines = this.batched;
      this.batched = undefined;
      if (lines.length > 0 && !this.failure) {
        if (this.journalEntries >= this.compactAfterEntries) this.tryCompact();
        this.write(Buffer.concat(lines), lines.length);
      }
    }
    return result;
  }

  private write(bytes: Buffer, records: number): void {
    try {
      if (crashPoint("append:torn")) {
        writeAll(this.io, this.fd!, bytes.subarray(0, bytes.length >> 1));
        crashNow();
      }
      writeAll(this.io, this.fd!, bytes);
    } catch (error) {
      this.failStop(error as NodeJS.ErrnoException);
    }
    if (crashPoint("append:written")) crashNow();
    this.journalLength += bytes.length;
    this.journalEntries += records;
  }

  /** Folds the journal into a new snapshot; a failure (e.g. a full disk) leaves the current files in use. */
  tryCompact(): boolean {
    try {
      this.compact();
      return true;
    } catch (error) {
      for (const leftover of [`${this.snapshotFile}.tmp`, `${this.journalFile}.tmp`]) fs.rmSync(leftover, { force: true });
      this.options.onNote?.(`folding the journal into a snapshot failed (${(error as Error).message}); the journal stays in use`);
      // try again after as many records again
      this.journalEntries = 0;
      return false;
    }
  }

  /** The steps: snapshot.tmp written and synced → renamed over snapshot.json → a new journal.tmp → renamed over journal.jsonl. */
  private compact(): void {
    const temporary = `${this.snapshotFile}.tmp`;
    const fd = fs.openSync(temporary, "w", 0o600);
    try {
      writeSnapshot(this.io, fd, this.data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (crashPoint("compact:snapshot-written")) crashNow();
    fs.renameSync(temporary, this.snapshotFile);
    syncDirectory(this.directory);
    if (crashPoint("compact:snapshot-renamed")) crashNow();
    const journal = newJournal(this.io, `${this.journalFile}.tmp`);
    if (crashPoint("compact:journal-written")) crashNow();
    fs.renameSync(`${this.journalFile}.tmp`, this.journalFile);
    syncDirectory(this.directory);
    if (crashPoint("compact:journal-renamed")) crashNow();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = journal.fd;
    this.journalLength = journal.length;
    this.journalEntries = 0;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private startJournal(): void {
    const journal = newJournal(this.io, `${this.journalFile}.tmp`);
    fs.renameSync(`${this.journalFile}.tmp`, this.journalFile);
    this.fd = journal.fd;
    this.journalLength = journal.length;
  }

  /** After a failed write: cut its partial bytes off and refuse every later change (memory may be ahead of the disk). */
  private failStop(error: NodeJS.ErrnoException): never {
    this.options.onNote?.(`journal write failed: ${error.message}`);
    try {
      fs.ftruncateSync(this.fd!, this.journalLength);
    } catch {
      // the next start cuts the torn tail off
    }
    this.failure = new StoreWriteError(
      `the local Batch service could not write its journal ${this.journalFile} (${error.code ?? error.message}) and accepts no more changes. ` +
        `Every change it acknowledged is on disk. ${error.code === "ENOSPC" ? "Free disk space, then restart" : "Restart"} the service ('batch-manager local stop', then 'local start').`,
    );
    throw this.failure;
  }

  private partitionsOf(name: string): Partitions {
    let partitions = this.data.get(name);
    if (!partitions) {
      partitions = new Map();
      this.data.set(name, partitions);
    }
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
    if (!records) {
      records = new Map();
      partitions.set(entry.p, records);
    }
    records.set(entry.k, entry.v);
  }
}
