// Why: one local service per data folder: an exclusive lock file taken before Azurite or state/ are touched, stale ones broken safely.
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { isSameProcess, liveServiceFile, processStartTime } from "./serviceFile";

/*
 * Node has no flock, so the lock is a file created atomically (written aside, then hard-linked into place: `link`
 * fails if the name exists, and a reader never sees half a lock). It names its holder by pid and the process's start
 * time, so a lock left by a killed service (its pid dead, a zombie, or reused by another process) is recognised as
 * stale. Breaking a stale lock happens under a second short-lived lock (`service.lock.break`), so two processes that
 * both saw the same stale lock cannot remove the fresh lock one of them just took.
 */

export interface LockHolder {
  pid: number;
  processStart?: string;
  acquiredAt: string;
}

export interface DataFolderLock {
  readonly file: string;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

/** Another live process holds the data folder. */
export class DataFolderLockedError extends Error {
  override readonly name = "DataFolderLockedError";
  constructor(
    readonly holder: LockHolder,
    readonly dataDir: string,
  ) {
    super(`the data folder ${dataDir} is in use by another local Batch service (pid ${holder.pid}).`);
  }
}

export const lockFileIn = (dataDir: string) => path.join(dataDir, "service.lock");

/** Takes the lock of `dataDir` for this process or throws DataFolderLockedError naming the live holder. */
export function acquireDataFolderLock(dataDir: string): DataFolderLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockFileIn(dataDir);
  const mine: LockHolder = { pid: process.pid, processStart: processStartTime(process.pid), acquiredAt: new Date().toISOString() };
  const content = JSON.stringify(mine);
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createExclusively(file, content)) {
      return { file, release: () => (readRaw(file) === content ? fs.rmSync(file, { force: true }) : undefined) };
    }
    const raw = readRaw(file);
    if (raw === undefined) continue; // removed meanwhile: try again
    const holder = parseHolder(raw);
    if (holder && isSameProcess(holder.pid, holder.processStart)) throw new DataFolderLockedError(holder, dataDir);
    breakStaleLock(file, raw);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // another process may be breaking it: let it finish
  }
  throw new Error(`could not take the lock ${file}: it keeps changing; is something else creating and removing it?`);
}

/**
 * `local start`'s claim on the folder: the lock, or an error naming the running service's URL (waiting up to
 * `waitMs` for a holder that is still starting to publish it; a holder that dies meanwhile leaves the folder free).
 */
export async function claimDataFolder(dataDir: string, waitMs = 60_000): Promise<DataFolderLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let holder: LockHolder;
    try {
      return acquireDataFolderLock(dataDir);
    } catch (error) {
      if (!(error instanceof DataFolderLockedError)) throw error;
      holder = error.holder;
    }
    const stop = `stop it with 'batch-manager local stop --data ${dataDir}'`;
    while (isSameProcess(holder.pid, holder.processStart)) {
      const running = liveServiceFile(dataDir);
      if (running?.pid === holder.pid) {
        throw new Error(`a local Batch service (pid ${holder.pid}) already runs with data folder ${dataDir} at ${running.batchUrl}; use it, or ${stop}.`);
      }
      if (Date.now() > deadline)
        throw new Error(`a local Batch service (pid ${holder.pid}) is still starting with data folder ${dataDir}; wait for it, or ${stop}.`);
      await delay(100);
    }
  }
}

/** The live holder of the data folder's lock, if any. */
export function dataFolderLockHolder(dataDir: string): LockHolder | undefined {
  const raw = readRaw(lockFileIn(dataDir));
  const holder = raw === undefined ? undefined : parseHolder(raw);
  return holder && isSameProcess(holder.pid, holder.processStart) ? holder : undefined;
}

/** Removes a lock whose holder is gone (after `local stop` found the service dead, or a crash). */
export function removeStaleLock(dataDir: string): boolean {
  const file = lockFileIn(dataDir);
  const raw = readRaw(file);
  if (raw === undefined || dataFolderLockHolder(dataDir)) return false;
  breakStaleLock(file, raw);
  return !fs.existsSync(file);
}

function createExclusively(file: string, content: string): boolean {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Removes `file` only if it still holds the stale content `raw` that was judged, under the breaker lock. */
function breakStaleLock(file: string, raw: string): void {
  const breaker = `${file}.break`;
  const me = JSON.stringify({ pid: process.pid, processStart: processStartTime(process.pid), acquiredAt: new Date().toISOString() });
  if (!createExclusively(breaker, me)) {
    // another process is breaking it; its breaker is itself stale if that process is gone
    const other = parseHolder(readRaw(breaker) ?? "");
    if (!other || !isSameProcess(other.pid, other.processStart)) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    if (readRaw(file) === raw) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function readRaw(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    return typeof value.pid === "number" && Number.isInteger(value.pid) && value.pid > 0 ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}
