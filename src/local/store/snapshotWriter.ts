// Why: the files compaction writes: a snapshot streamed in 1 MiB chunks (memory stays bounded) and an empty journal, both synced.
import * as fs from "node:fs";
import type { Partitions } from "./collection";
import { encodeRecord } from "./recordCodec";
import { header } from "./stateFiles";
import { crashNow, crashPoint, writeAll, type StoreIo } from "./storeIo";

/** Header, one checksummed line per record, and an end marker counting them (a snapshot without it is incomplete). */
export function writeSnapshot(io: StoreIo, fd: number, data: Map<string, Partitions>): void {
  const buffered: Buffer[] = [encodeRecord(header("snapshot"))];
  let size = 0;
  let records = 0;
  const flush = () => {
    const chunk = Buffer.concat(buffered);
    if (crashPoint("compact:snapshot-torn")) {
      writeAll(io, fd, chunk.subarray(0, chunk.length >> 1));
      crashNow();
    }
    writeAll(io, fd, chunk);
    buffered.length = 0;
    size = 0;
  };
  for (const [c, partitions] of data) {
    for (const [p, entries] of partitions) {
      for (const [k, v] of entries) {
        const line = encodeRecord({ c, p, k, v });
        buffered.push(line);
        size += line.length;
        records++;
        if (size >= 1 << 20) flush();
      }
    }
  }
  buffered.push(encodeRecord({ end: true, records }));
  flush();
}

/** A journal file holding only its header, synced, open for appending. */
export function newJournal(io: StoreIo, file: string): { fd: number; length: number } {
  const fd = fs.openSync(file, "w", 0o600);
  try {
    const line = encodeRecord(header("journal"));
    writeAll(io, fd, line);
    fs.fsyncSync(fd);
    return { fd, length: line.length };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Makes a rename in `directory` durable where the platform allows syncing a directory. */
export function syncDirectory(directory: string): void {
  try {
    const fd = fs.openSync(directory, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not every platform can sync a directory
  }
}
