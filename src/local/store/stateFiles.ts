// Why: reads the snapshot and the journal (current and pre-checksum formats) and says precisely what is wrong when it must refuse.
import * as fs from "node:fs";
import { decodeRecord, readLines, type RawLine } from "./recordCodec";

export const STATE_FORMAT = "batch-manager-local-state";
export const STATE_VERSION = 2;

export interface JournalEntry {
  /** collection name */
  c: string;
  /** partition key ("" for unpartitioned collections) */
  p: string;
  /** record key */
  k: string;
  /** the record, or absent for a delete */
  v?: unknown;
}

export interface StateHeader {
  format: typeof STATE_FORMAT;
  kind: "snapshot" | "journal";
  version: number;
}

/** The service refuses to start: the state folder cannot be read without losing data. The message says how to recover. */
export class StateUnreadableError extends Error {
  override readonly name = "StateUnreadableError";
}

export const header = (kind: StateHeader["kind"]): StateHeader => ({ format: STATE_FORMAT, kind, version: STATE_VERSION });

const isEntry = (value: unknown): value is JournalEntry =>
  typeof value === "object" && value !== null && typeof (value as JournalEntry).c === "string" && typeof (value as JournalEntry).k === "string";

function checkHeader(value: unknown, kind: StateHeader["kind"], file: string): boolean {
  const found = value as Partial<StateHeader> | undefined;
  if (found?.format !== STATE_FORMAT || found.kind !== kind) return false;
  if (typeof found.version !== "number" || found.version > STATE_VERSION) {
    throw new StateUnreadableError(
      `${file} was written by a newer batch-manager (state format version ${String(found.version)}; this one reads up to ${STATE_VERSION}). ` +
        `Nothing was changed. Run the newer batch-manager on this data folder, or start this one on another folder (--data).`,
    );
  }
  return true;
}

function refuseDamaged(file: string, line: RawLine, what: string): never {
  throw new StateUnreadableError(
    `${file} is damaged at byte ${line.start}: ${what}. Nothing was changed. To keep the changes before that point run ` +
      `'truncate -s ${line.start} ${file}' and start again (later changes are lost); or move the data folder's state/ away to start empty.`,
  );
}

/** Reads snapshot.json; every record is checksummed and a trailer must count them, so a partial snapshot is refused. */
export function readSnapshot(file: string, apply: (entry: JournalEntry) => void): void {
  if (!fs.existsSync(file)) return;
  if (fs.statSync(file).size === 0) refuseDamaged(file, { start: 0, end: 0, bytes: Buffer.alloc(0), terminated: false }, "the file is empty");
  let count = 0;
  let first = true;
  let ended = false;
  for (const line of readLines(file)) {
    if (first && line.bytes[0] === 0x7b /* { */) {
      readLegacySnapshot(file, apply);
      return;
    }
    const value = line.terminated ? decodeRecord(line.bytes) : undefined;
    if (value === undefined) refuseDamaged(file, line, "a record is incomplete or its checksum does not match");
    if (ended) refuseDamaged(file, line, "data after the end marker");
    if (first) {
      if (!checkHeader(value, "snapshot", file)) refuseDamaged(file, line, "it does not start with a batch-manager snapshot header");
      first = false;
    } else if (isEntry(value)) {
      apply(value);
      count++;
    } else if ((value as { end?: boolean; records?: number }).end === true) {
      if ((value as { records?: number }).records !== count)
        refuseDamaged(file, line, `the end marker counts ${(value as { records?: number }).records} records, the file has ${count}`);
      ended = true;
    } else refuseDamaged(file, line, "an unknown record");
  }
  if (!ended)
    throw new StateUnreadableError(
      `${file} is incomplete (no end marker after ${count} records). Nothing was changed. Move the data folder's state/ away to start empty, or restore it from a backup.`,
    );
}

/** The format before checksums: one JSON object {collection: {partition: [[key, record], …]}}. */
function readLegacySnapshot(file: string, apply: (entry: JournalEntry) => void): void {
  let snapshot: Record<string, Record<string, [string, unknown][]>>;
  try {
    snapshot = JSON.parse(fs.readFileSync(file, "utf8")) as typeof snapshot;
  } catch (error) {
    throw new StateUnreadableError(
      `${file} (an older snapshot format) is not valid JSON: ${(error as Error).message}. Nothing was changed. Move the data folder's state/ away to start empty.`,
    );
  }
  for (const [c, partitions] of Object.entries(snapshot)) {
    for (const [p, records] of Object.entries(partitions)) for (const [k, v] of records) apply({ c, p, k, v });
  }
}

export interface JournalReplay {
  /** records applied */
  entries: number;
  /** byte length of the intact journal: a torn tail starts here and is cut off before anything is appended */
  intactLength: number;
  /** the file's length as found */
  length: number;
  /** true when the journal is in the pre-checksum format (it is folded into a new snapshot at once) */
  legacy: boolean;
  /** a note for the log when something was repaired */
  note?: string;
}

/**
 * Replays the journal. A bad record followed only by bad bytes is a torn tail (a write the crash interrupted, never
 * acknowledged): it is reported for truncation. A bad record followed by good ones is damage: refuse.
 */
export function replayJournal(file: string, apply: (entry: JournalEntry) => void): JournalReplay {
  const replay: JournalReplay = { entries: 0, intactLength: 0, length: 0, legacy: false };
  if (!fs.existsSync(file)) return replay;
  replay.length = fs.statSync(file).size;
  let firstBad: RawLine | undefined;
  let first = true;
  for (const line of readLines(file)) {
    if (first && line.terminated && line.bytes[0] === 0x7b /* { */) return replayLegacyJournal(file, apply, replay);
    const value = line.terminated ? decodeRecord(line.bytes) : undefined;
    if (value === undefined) {
      firstBad ??= line;
      first = false;
      continue;
    }
    if (firstBad) refuseDamaged(file, firstBad, `a record is damaged and intact records follow it (at byte ${line.start})`);
    if (first) {
      if (!checkHeader(value, "journal", file)) refuseDamaged(file, line, "it does not start with a batch-manager journal header");
      first = false;
    } else if (isEntry(value)) {
      apply(value);
      replay.entries++;
    } else refuseDamaged(file, line, "an unknown record");
    replay.intactLength = line.end;
  }
  if (firstBad) replay.note = `discarded an unfinished write at the end of ${file} (bytes ${firstBad.start}-${replay.length}; never acknowledged)`;
  return replay;
}

/**
 * The pre-checksum journal: JSON lines. A line the old version tore has the next record glued to it (it appended after
 * the torn bytes); that record is salvaged from the line's last `{"c":`.
 */
function replayLegacyJournal(file: string, apply: (entry: JournalEntry) => void, replay: JournalReplay): JournalReplay {
  replay.legacy = true;
  for (const line of readLines(file)) {
    const text = line.bytes.toString("utf8");
    if (text.trim() === "") continue;
    const entry = parseLegacy(text) ?? parseLegacy(text.slice(text.lastIndexOf('{"c":')));
    if (entry) {
      apply(entry);
      replay.entries++;
    } else if (line.terminated) {
      replay.note = `skipped a damaged line at byte ${line.start} of ${file} (older journal format)`;
    }
  }
  replay.intactLength = replay.length;
  return replay;
}

function parseLegacy(text: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return isEntry(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
