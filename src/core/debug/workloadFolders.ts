// Why: where a workspace's workloads are — the folder itself and its direct subfolders — for the F5 configurations and for mapping a deployed package back to its sources.
import * as fs from "node:fs";
import * as path from "node:path";
import { isPythonWorkload } from "../deploy/pythonWorkload";

/** Is `dir` a TypeScript workload (src/main.ts)? */
export function isTypeScriptWorkload(dir: string): boolean {
  return fs.existsSync(path.join(dir, "src", "main.ts"));
}

/** `root` and its direct subfolders (not hidden, not node_modules) that hold a TypeScript or Python workload. */
export function workloadFolders(root: string): string[] {
  const candidates = [root, ...subfolders(root).map((name) => path.join(root, name))];
  return candidates.filter((dir) => isTypeScriptWorkload(dir) || isPythonWorkload(dir));
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
      .map((e) => e.name);
  } catch {
    return [];
  }
}
