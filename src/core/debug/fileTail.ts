// Why: streams what a task writes to stdout.txt/stderr.txt under the node root as it is written (the agent writes them directly, same machine).
import * as fs from "node:fs";
import { StringDecoder } from "node:string_decoder";

const CHUNK = 64 * 1024;

/** Reads the bytes appended to a file since the last read; a missing file reads as empty until it appears. */
export class FileTail {
  private offset = 0;
  private readonly decoder = new StringDecoder("utf8");

  constructor(readonly file: string) {}

  /** The text appended since the previous call ("" when nothing new). */
  read(): string {
    let fd: number;
    try {
      fd = fs.openSync(this.file, "r");
    } catch {
      return "";
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) this.offset = 0; // truncated by a retry: start over
      let text = "";
      const buffer = Buffer.alloc(CHUNK);
      while (this.offset < size) {
        const read = fs.readSync(fd, buffer, 0, Math.min(CHUNK, size - this.offset), this.offset);
        if (read <= 0) break;
        this.offset += read;
        text += this.decoder.write(buffer.subarray(0, read));
      }
      return text;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Splits streamed text into whole lines, keeping the unfinished rest for the next chunk. */
export class LineSplitter {
  private rest = "";

  push(text: string): string[] {
    const lines = (this.rest + text).split(/\r?\n/);
    this.rest = lines.pop() ?? "";
    return lines;
  }
}

/** The inspector's announcement on stderr. */
export const INSPECTOR_LINE = /Debugger listening on (ws:\/\/\S+)/;
/** The inspector's own stderr lines, not the task's output. */
export const INSPECTOR_NOISE =
  /^(Debugger listening on ws:\/\/\S+|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.)\s*$/;
