// Why: confines a client's file path to one directory (a task's or a node's): no `..`, no absolute path, no symlink leading out.
import * as fs from "node:fs";
import * as path from "node:path";
import { BatchServiceError, notFound } from "../protocol/batchError";

export const fileNotFound = (): BatchServiceError => notFound("FileNotFound", "file");

export function pathRefused(filePath: string, reason: string): BatchServiceError {
  return new BatchServiceError(400, "InvalidUri", `The file path '${filePath}' is refused: ${reason}.`, [
    { key: "FilePath", value: filePath },
    { key: "Reason", value: reason },
  ]);
}

/** True when `candidate` is `root` or lies below it (both absolute, already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * The path's segments, or a 400 for anything that could leave the directory. `\` counts as a separator too, so the
 * Windows-style paths of the service's own examples (`wd\testFile.txt`) work.
 */
export function pathSegments(filePath: string): string[] {
  if (filePath.includes("\0")) throw pathRefused(filePath, "it contains a NUL character");
  if (filePath.startsWith("/") || filePath.startsWith("\\") || /^[A-Za-z]:/.test(filePath) || path.isAbsolute(filePath)) {
    throw pathRefused(filePath, "it is absolute; give a path relative to the directory");
  }
  const segments = filePath.split(/[\\/]/).filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw pathRefused(filePath, "it contains '..'");
  if (segments.length === 0) throw pathRefused(filePath, "it names the directory itself");
  return segments;
}

export interface ConfinedPath {
  /** the segments joined with `/`: the name the listing uses */
  name: string;
  /** the directory entry itself: its parent resolved, its last segment not followed (a symlink stays the link) */
  entry: string;
  /** where it really is (symlinks followed), checked to be inside the root */
  real: string;
  /** stat of `real` */
  stats: fs.Stats;
}

async function realpathOrNotFound(target: string): Promise<string> {
  try {
    return await fs.promises.realpath(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP") throw fileNotFound();
    throw error;
  }
}

/** The real root directory; a missing root means there are no files at all. */
export const realRoot = (root: string): Promise<string> => realpathOrNotFound(root);

/**
 * Resolves `filePath` under `root`: 400 when it, its parent or a symlink on its way leads outside (so nothing outside
 * is read or deleted), 404 FileNotFound when it does not exist.
 */
export async function confine(root: string, filePath: string, where: string): Promise<ConfinedPath> {
  const segments = pathSegments(filePath);
  const base = await realRoot(root);
  const lexical = path.join(base, ...segments);
  const parent = await realpathOrNotFound(path.dirname(lexical));
  const real = await realpathOrNotFound(lexical);
  if (!isInside(base, parent) || !isInside(base, real)) throw pathRefused(filePath, `it leads outside the ${where}`);
  if (real === base) throw pathRefused(filePath, `it names the ${where} itself`);
  return { name: segments.join("/"), entry: path.join(parent, path.basename(lexical)), real, stats: await fs.promises.stat(real) };
}
