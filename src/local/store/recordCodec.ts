// Why: one checksummed line format for the journal and the snapshot, so a torn or damaged record is always detected.
import * as fs from "node:fs";
import * as zlib from "node:zlib";

const table = (() => {
  const entries = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    entries[n] = c;
  }
  return entries;
})();

/** CRC-32 (zlib's): Node's own where it has one (20.15+), else a table-driven fallback. */
export function crc32(data: Buffer): number {
  if (typeof zlib.crc32 === "function") return zlib.crc32(data);
  let crc = -1;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** `<crc32 as 8 hex digits> <json>\n`: the checksum covers the JSON's UTF-8 bytes. */
export function encodeRecord(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), "utf8");
  const line = Buffer.allocUnsafe(json.length + 10);
  line.write(crc32(json).toString(16).padStart(8, "0"), 0, "latin1");
  line[8] = 0x20;
  json.copy(line, 9);
  line[line.length - 1] = 0x0a;
  return line;
}

/** The record of one line (without its "\n"), or undefined when the line is not a whole, intact record. */
export function decodeRecord(line: Buffer): unknown {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const expected = Number.parseInt(line.toString("latin1", 0, 8), 16);
  const json = line.subarray(9);
  if (!/^[0-9a-f]{8}$/.test(line.toString("latin1", 0, 8)) || crc32(json) !== expected) return undefined;
  try {
    return JSON.parse(json.toString("utf8"));
  } catch {
    return undefined;
  }
}

export interface RawLine {
  /** byte offset of the line's first byte */
  start: number;
  /** byte offset just after the line's "\n" (or the end of the file for a last line without one) */
  end: number;
  /** the line without its "\n" */
  bytes: Buffer;
  /** false for a last line that has no "\n": a write that did not finish */
  terminated: boolean;
}

/** The lines of a file, read in 1 MiB chunks (memory stays bounded for big journals), with their byte offsets. */
export function* readLines(file: string): Generator<RawLine> {
  const fd = fs.openSync(file, "r");
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let pending: Buffer[] = [];
    let pendingLength = 0;
    let offset = 0;
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      let from = 0;
      for (let newline = chunk.indexOf(0x0a, 0); newline !== -1 && newline < read; newline = chunk.indexOf(0x0a, from)) {
        const piece = chunk.subarray(from, newline);
        const bytes = pendingLength > 0 ? Buffer.concat([...pending, piece]) : Buffer.from(piece);
        yield { start: offset, end: offset + bytes.length + 1, bytes, terminated: true };
        offset += bytes.length + 1;
        pending = [];
        pendingLength = 0;
        from = newline + 1;
      }
      if (from < read) {
        pending.push(Buffer.from(chunk.subarray(from, read)));
        pendingLength += read - from;
      }
    }
    if (pendingLength > 0) yield { start: offset, end: offset + pendingLength, bytes: Buffer.concat(pending), terminated: false };
  } finally {
    fs.closeSync(fd);
  }
}
