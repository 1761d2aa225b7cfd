// Why: the folder-level import graph of TypeScript sources and the cycles in it, for the import-cycle test.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript-api";

/** from folder → to folder → the files in `from` that import something in `to` (paths relative to the root, "/"-separated). */
export type FolderGraph = Map<string, Map<string, string[]>>;

export interface FolderCycle {
  /** the folders in order; the last one imports the first */
  folders: string[];
  /** one importing file for each step folders[i] → folders[i + 1] (and the last → the first) */
  importers: string[];
}

const posix = (file: string) => file.split(path.sep).join("/");

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The folder a relative specifier lands in: `./x` is x.ts's folder, or x itself when x is a folder (index.ts). */
function targetFolder(fromFile: string, specifier: string): string | undefined {
  const target = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ""));
  if (fs.existsSync(`${target}.ts`)) return path.dirname(target);
  if (fs.existsSync(path.join(target, "index.ts"))) return target;
  return undefined;
}

/**
 * Every relative import (static, `export … from`, `import type`, dynamic `import()`, `require()`) of the .ts files under
 * `folders`, as edges between the importing file's folder and the imported file's folder. Imports within one folder are not edges.
 */
export function folderImportGraph(root: string, folders: readonly string[]): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const folder of folders) {
    for (const file of tsFiles(path.join(root, folder))) {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith(".")) continue;
        const to = targetFolder(file, fileName);
        const from = path.dirname(file);
        if (to === undefined || to === from) continue;
        const edges = graph.get(posix(path.relative(root, from))) ?? new Map<string, string[]>();
        graph.set(posix(path.relative(root, from)), edges);
        const key = posix(path.relative(root, to));
        edges.set(key, [...(edges.get(key) ?? []), posix(path.relative(root, file))]);
      }
    }
  }
  return graph;
}

/** The graph with every folder replaced by its ancestor `depth` levels below the root (e.g. depth 2: src/extension/tree → src/extension). */
export function collapseGraph(graph: FolderGraph, depth: number): FolderGraph {
  const top = (folder: string) => folder.split("/").slice(0, depth).join("/");
  const collapsed: FolderGraph = new Map();
  for (const [from, edges] of graph) {
    for (const [to, files] of edges) {
      if (top(from) === top(to)) continue;
      const target = collapsed.get(top(from)) ?? new Map<string, string[]>();
      collapsed.set(top(from), target);
      target.set(top(to), [...(target.get(top(to)) ?? []), ...files]);
    }
  }
  return collapsed;
}

/** A shortest cycle through each folder that is on one, skipping folders already on a reported cycle: every group of folders importing each other shows up. */
export function findCycles(graph: FolderGraph): FolderCycle[] {
  const cycles: FolderCycle[] = [];
  const inCycle = new Set<string>();
  for (const start of [...graph.keys()].sort()) {
    if (inCycle.has(start)) continue;
    const route = shortestRouteBack(graph, start);
    if (!route) continue;
    for (const folder of route) inCycle.add(folder);
    const importers = route.map((folder, i) => graph.get(folder)!.get(route[(i + 1) % route.length]!)![0]!);
    cycles.push({ folders: route, importers });
  }
  return cycles;
}

/** Breadth-first search from `start` back to itself; the folders on the way (start first), or undefined when there is none. */
function shortestRouteBack(graph: FolderGraph, start: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const folder = queue.shift()!;
    for (const next of [...(graph.get(folder)?.keys() ?? [])].sort()) {
      if (next === start) {
        const route = [folder];
        while (route[0] !== start) route.unshift(previous.get(route[0]!)!);
        return route;
      }
      if (previous.has(next)) continue;
      previous.set(next, folder);
      queue.push(next);
    }
  }
  return undefined;
}

/** "a → b (a/x.ts) → a (b/y.ts)": the cycle with the file that makes each step. */
export function describeCycle(cycle: FolderCycle): string {
  const steps = cycle.folders.map((folder, i) => `${folder} → ${cycle.folders[(i + 1) % cycle.folders.length]} (${cycle.importers[i]})`);
  return steps.join(", ");
}
