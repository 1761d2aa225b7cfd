// Why: what opening a (possibly huge) task or node file shows: at most the last N bytes, fetched with one ranged read, and grown by ranged appends.

import type { AbortSignalish } from "../common/batchClientLike";
import type { FileAccess } from "./batchFileClient";

export const DEFAULT_MAX_OPEN_BYTES = 4 * 1024 * 1024;
export const MAX_OPEN_BYTES_SETTING = "batchManager.files.maxOpenBytes";

/** The inclusive byte range to fetch for a file of `size` bytes: all of it, or its last `maxBytes` (0 = no limit). */
export function tailRange(size: number, maxBytes: number): { start: number; end: number } {
  const start = maxBytes > 0 && size > maxBytes ? size - maxBytes : 0;
  return { start, end: size - 1 };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The first line of a truncated view: what is shown, and how to see more. */
export function truncationBanner(size: number, from: number): string {
  return `[Azure Batch] Truncated: showing the last ${formatBytes(size - from)} of ${formatBytes(size)} (from byte ${from}). Raise the setting "${MAX_OPEN_BYTES_SETTING}" (0 = whole file) and reopen the file to see more.\n`;
}

/**
 * The text an editor shows for one file. A truncated view starts at a line boundary (the partial first line, which
 * may also start mid UTF-8 character, is dropped) under a banner line; `update` appends only the bytes written since.
 */
export class TailView {
  private chunks: Buffer[] = [];
  private text: Buffer = Buffer.alloc(0);
  /** how far into the file the view has read */
  private fileSize = 0;
  /** where the view's bytes start in the file (after dropping the partial first line) */
  private from = 0;
  private modified = 0;

  private constructor(
    private readonly access: FileAccess,
    readonly path: string,
    private readonly maxBytes: number,
  ) {}

  static async open(access: FileAccess, path: string, maxBytes: number, signal?: AbortSignalish): Promise<TailView> {
    const view = new TailView(access, path, maxBytes);
    await view.reload(signal);
    return view;
  }

  /** The bytes the editor shows (banner included). */
  get content(): Uint8Array {
    if (this.chunks.length > 0) {
      this.text = Buffer.concat([this.text, ...this.chunks]);
      this.chunks = [];
    }
    return this.text;
  }

  get size(): number {
    return this.content.length;
  }

  /** Bytes of the file read so far (its size when last looked at). */
  get fileLength(): number {
    return this.fileSize;
  }

  get truncated(): boolean {
    return this.from > 0;
  }

  /** Changes on every update, so editors reload (VS Code compares mtime and size). */
  get mtime(): number {
    return this.modified;
  }

  /** Fetches what was written since the last look. True when the view changed. A shrunk or outgrown file is re-read as a fresh tail. */
  async update(signal?: AbortSignalish): Promise<boolean> {
    const stat = await this.access.stat(this.path, signal);
    if (stat.size === this.fileSize) return false;
    const outgrown = this.maxBytes > 0 && stat.size - this.from > 2 * this.maxBytes;
    if (stat.size < this.fileSize || outgrown) {
      await this.reload(signal);
      return true;
    }
    const bytes = await this.access.read(this.path, this.fileSize, stat.size - 1, signal);
    this.chunks.push(bytes);
    this.fileSize += bytes.length;
    this.modified = Math.max(Date.now(), this.modified + 1);
    return bytes.length > 0;
  }

  private async reload(signal?: AbortSignalish): Promise<void> {
    const stat = await this.access.stat(this.path, signal);
    const { start, end } = tailRange(stat.size, this.maxBytes);
    let bytes = await this.access.read(this.path, start, end, signal);
    this.fileSize = start + bytes.length;
    this.from = start;
    if (start > 0) {
      const newline = bytes.indexOf(0x0a);
      if (newline >= 0 && newline < bytes.length - 1) {
        bytes = bytes.subarray(newline + 1);
        this.from = start + newline + 1;
      }
    }
    this.text = start > 0 ? Buffer.concat([Buffer.from(truncationBanner(this.fileSize, this.from)), bytes]) : bytes;
    this.chunks = [];
    this.modified = Math.max(Date.now(), this.modified + 1, stat.mtime);
  }
}
