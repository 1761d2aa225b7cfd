// Why: the files the figures wrapper writes, reused from attempt to attempt: creating and removing a file per task costs more than the task on some file systems.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

interface FiguresFile {
  file: string;
  /** the owner it was last given (the task's account writes it) */
  uid: number | undefined;
}

/** figures folder → files no running attempt uses */
const idle = new Map<string, FiguresFile[]>();

/** A fresh folder for this process: files a crashed run left behind are removed once. */
function openFolder(dir: string): FiguresFile[] {
  let files = idle.get(dir);
  if (!files) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    files = [];
    idle.set(dir, files);
  }
  return files;
}

/** A file in `dir` (not necessarily empty) that the account `uid`/`gid` may write (undefined: the service's own). */
export function acquireFiguresFile(dir: string, uid: number | undefined, gid: number | undefined): FiguresFile {
  const files = openFolder(dir);
  const reused = files.pop();
  const entry = reused ?? { file: path.join(dir, randomBytes(12).toString("hex")), uid: undefined };
  if (!reused) {
    try {
      fs.closeSync(fs.openSync(entry.file, "wx", 0o600));
    } catch (error) {
      // the folder was removed under us: make it again
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
      fs.closeSync(fs.openSync(entry.file, "wx", 0o600));
    }
  }
  const owner = uid ?? process.getuid?.();
  if (entry.uid !== owner && (reused || owner !== process.getuid?.())) {
    fs.chownSync(entry.file, owner ?? -1, gid ?? -1);
  }
  entry.uid = owner;
  return entry;
}

/** What the file holds (the wrapper writes over its start; it is not emptied: see taskFigures.ts); kept for the next attempt, or removed. */
export function releaseFiguresFile(dir: string, entry: FiguresFile, discard = false): string {
  try {
    if (discard) {
      fs.rmSync(entry.file, { force: true });
      return "";
    }
    const text = fs.readFileSync(entry.file, "utf8");
    idle.get(dir)?.push(entry);
    return text;
  } catch {
    fs.rmSync(entry.file, { force: true });
    return "";
  }
}
