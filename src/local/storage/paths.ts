// Why: path checks that keep downloads inside the working directory and uploads inside the task directory, symlinks included.
import * as fs from "node:fs/promises";
import * as path from "node:path";

/** Absolute on any platform: `/x`, `\x`, `C:\x`, `C:x`, `\\server\share`. */
export function isAbsoluteAnywhere(p: string): boolean {
  return path.posix.isAbsolute(p) || path.win32.isAbsolute(p) || /^[a-zA-Z]:/.test(p);
}

/** True if any `/`- or `\`-separated segment is `..`. */
export function hasParentSegment(p: string): boolean {
  return p.split(/[\\/]/).includes("..");
}

/** Lexical containment: candidate equals root or lies below it. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The real path of the deepest existing ancestor of `p` (or of `p` itself), joined with the rest. */
async function realPathOfExisting(p: string): Promise<string> {
  const missing: string[] = [];
  let current = path.resolve(p);
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...missing.reverse());
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** Containment after resolving symlinks, so `wd/link -> /etc` does not count as inside `wd`. */
export async function isReallyInside(root: string, candidate: string): Promise<boolean> {
  if (!isInside(root, candidate)) return false;
  return isInside(await realPathOfExisting(root), await realPathOfExisting(candidate));
}
