// Why: lists a task's or a node's directory as the service's NodeFile entries (names relative to it, `/`-separated), paged lazily.
import * as fs from "node:fs";
import * as path from "node:path";
import { invalidQueryParameter } from "../protocol/batchError";
import type { Reply, RequestContext } from "../server/router";
import { listReply } from "./listing";
import { isInside, realRoot } from "./safePath";

/** The directory a group of file operations works in: a task directory or a node root. */
export interface FileScope {
  root: string;
  /** what the root is, for messages: "task directory", "compute node's root directory" */
  where: string;
  /** the URL of a file given its name (relative path) */
  urlOf(name: string): string;
}

export interface FileEntry {
  name: string;
  stats: fs.Stats;
}

export const CONTENT_TYPE = "application/octet-stream";

/** The file mode in octal as Linux nodes report it, e.g. "0100644" for a regular file. */
export const fileMode = (stats: fs.Stats): string => `0${stats.mode.toString(8)}`;

/** The creation time, when the file system records one. */
export const creationTime = (stats: fs.Stats): Date | undefined => (stats.birthtimeMs > 0 ? stats.birthtime : undefined);

/** A NodeFile: directories carry no properties, as on the service. */
export function presentFile(scope: FileScope, entry: FileEntry): Record<string, unknown> {
  const isDirectory = entry.stats.isDirectory();
  const file: Record<string, unknown> = { name: entry.name, url: scope.urlOf(entry.name), isDirectory };
  if (!isDirectory) {
    const created = creationTime(entry.stats);
    file.properties = {
      ...(created ? { creationTime: created.toISOString() } : {}),
      lastModified: entry.stats.mtime.toISOString(),
      contentLength: entry.stats.size,
      contentType: CONTENT_TYPE,
      fileMode: fileMode(entry.stats),
    };
  }
  return file;
}

/**
 * Walks depth-first in name order, each directory before its children. Symlinks are shown as what they point to when that
 * is inside the root (never descended into, so no loops) and left out when it is not.
 */
function* walk(base: string, recursive: boolean, prefix = ""): Generator<FileEntry> {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(base, prefix)).sort();
  } catch {
    return; // removed while listing
  }
  for (const name of names) {
    const relative = prefix ? `${prefix}/${name}` : name;
    const absolute = path.join(base, relative);
    let stats: fs.Stats;
    let linked = false;
    try {
      stats = fs.lstatSync(absolute);
      if (stats.isSymbolicLink()) {
        const target = fs.realpathSync(absolute);
        if (!isInside(base, target)) continue;
        stats = fs.statSync(target);
        linked = true;
      }
    } catch {
      continue; // dangling link or removed meanwhile
    }
    yield { name: relative, stats };
    if (recursive && !linked && stats.isDirectory()) yield* walk(base, recursive, relative);
  }
}

/** The `recursive` query parameter of the list and delete operations (default false). */
export function recursiveParameter(context: RequestContext): boolean {
  const text = context.query.get("recursive");
  if (text === undefined || text.toLowerCase() === "false") return false;
  if (text.toLowerCase() === "true") return true;
  throw invalidQueryParameter("recursive", text, "recursive must be true or false.");
}

/** File_ListFromTask / File_ListFromComputeNode: `recursive`, `$filter` (e.g. `startswith(name,'wd')`), maxresults paging. */
export async function listFilesReply(context: RequestContext, scope: FileScope): Promise<Reply> {
  const recursive = recursiveParameter(context);
  const base = await realRoot(scope.root);
  return listReply(context, walk(base, recursive), { present: (entry) => presentFile(scope, entry) });
}
