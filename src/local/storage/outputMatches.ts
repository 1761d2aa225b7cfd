// Why: turns one OutputFile spec into the concrete (local file, blob name) pairs to upload, never reading outside the task directory.
import type { Dirent } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { expandVariables, globMatcher, hasWildcard } from "./outputPattern";
import { isReallyInside } from "./paths";
import type { OutputFile } from "./types";

export interface OutputMatch {
  absolutePath: string;
  blobName: string;
}

export interface PatternContext {
  workingDir: string;
  taskDir: string;
  env: Readonly<Record<string, string>>;
}

/** The pattern, after expansion, points outside the task directory. */
export class PatternOutsideTaskDir extends Error {
  constructor(pattern: string) {
    super(`The file pattern '${pattern}' resolves outside the task directory`);
    this.name = "PatternOutsideTaskDir";
  }
}

async function isFileInside(taskDir: string, absolutePath: string): Promise<boolean> {
  const stat = await fs.stat(absolutePath).catch(() => undefined);
  return stat?.isFile() === true && (await isReallyInside(taskDir, absolutePath));
}

async function readDirectory(directory: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(directory, { withFileTypes: true });
  } catch {
    return []; // missing or unreadable directory: zero matches, like an empty one
  }
}

/** Files below `base` as `/`-separated relative paths; symlinked directories are not followed. */
async function listFiles(base: string, maxDepth: number, taskDir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (directory: string, relative: string, depth: number): Promise<void> => {
    for (const entry of await readDirectory(directory)) {
      const childRelative = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const childPath = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (depth + 1 < maxDepth) await visit(childPath, childRelative, depth + 1);
      } else if (entry.isFile() || (entry.isSymbolicLink() && (await isFileInside(taskDir, childPath)))) {
        found.push(childRelative);
      }
    }
  };
  await visit(base, "", 0);
  return found.sort();
}

const joinBlobName = (prefix: string | undefined, name: string): string => {
  const trimmed = (prefix ?? "").replace(/\/+$/, "");
  return trimmed === "" ? name : `${trimmed}/${name}`;
};

/**
 * Resolves `file.filePattern` (relative to the working dir, or absolute) into files to upload. Without wildcards
 * `destination.container.path` is the full blob name (default: the file name); with wildcards it is a prefix and
 * each match keeps its path below the last literal directory of the pattern.
 */
export async function resolveOutputFile(file: OutputFile, ctx: PatternContext): Promise<OutputMatch[]> {
  const windows = process.platform === "win32";
  let expanded = expandVariables(file.filePattern, ctx.env);
  if (windows) expanded = expanded.replace(/\\/g, "/");
  const destinationPath = file.destination.container?.path;
  if (!hasWildcard(expanded)) {
    const target = path.resolve(ctx.workingDir, expanded);
    if (!(await isReallyInside(ctx.taskDir, target))) throw new PatternOutsideTaskDir(file.filePattern);
    if (!(await isFileInside(ctx.taskDir, target))) return [];
    return [{ absolutePath: target, blobName: destinationPath || path.basename(target) }];
  }
  const parts = expanded.split("/");
  const firstWildcard = parts.findIndex((part) => hasWildcard(part));
  const literal = parts.slice(0, firstWildcard).join("/");
  const base = literal === "" && !path.isAbsolute(expanded) ? ctx.workingDir : path.resolve(ctx.workingDir, `${literal}/`);
  if (!(await isReallyInside(ctx.taskDir, base))) throw new PatternOutsideTaskDir(file.filePattern);
  const glob = parts.slice(firstWildcard).filter((part) => part !== "");
  const matches = globMatcher(glob.join("/"));
  const depth = glob.includes("**") ? Number.POSITIVE_INFINITY : glob.length;
  const files = (await listFiles(base, depth, ctx.taskDir)).filter((relative) => matches(relative));
  return files.map((relative) => ({ absolutePath: path.join(base, ...relative.split("/")), blobName: joinBlobName(destinationPath, relative) }));
}
