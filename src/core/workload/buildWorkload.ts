// Why: the one build of a workload (esbuild bundle with kept names and linked source maps) that deploy, debug and the testing API all run.

import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { UserCancelledError } from "../cancellation";

export interface WorkloadBuildOptions {
  /** the workload folder (its package.json, src/main.ts) */
  readonly workloadDir: string;
  /** the entry file, relative to workloadDir (default src/main.ts) */
  readonly entry?: string;
  /** where the bundle goes, relative to workloadDir (default dist) */
  readonly outDir?: string;
  readonly signal?: AbortSignal;
}

export interface WorkloadBuild {
  /** absolute folder holding main.js, main.js.map and the copied configuration files: what the application package zips */
  readonly outDir: string;
  readonly mainFile: string;
  readonly sourceMapFile: string;
  /** every file in outDir, relative, sorted */
  readonly files: readonly string[];
}

/** Configuration files a workload reads beside its main.js at run time. */
const COPIED_FILES = ["logging.yaml", "logging.yml", "logging.json"];

/**
 * Bundles the workload into one `main.js` (all dependencies inside, so a node needs only Node.js), with `keepNames`
 * (entry points are found by class name) and a linked source map whose sources point at the `.ts` files, so
 * breakpoints bind in the sources and `node --enable-source-maps` prints `.ts` lines in stack traces.
 */
export async function buildWorkload(options: WorkloadBuildOptions): Promise<WorkloadBuild> {
  const workloadDir = path.resolve(options.workloadDir);
  const entry = path.join(workloadDir, options.entry ?? path.join("src", "main.ts"));
  if (!fs.existsSync(entry)) throw new Error(`no workload entry file at ${entry}: a workload folder holds src/main.ts (create one with 'batch-manager new')`);
  if (options.signal?.aborted) throw new UserCancelledError("build");
  const outDir = path.join(workloadDir, options.outDir ?? "dist");
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const mainFile = path.join(outDir, "main.js");
  const result = await esbuild
    .build({
      absWorkingDir: workloadDir,
      entryPoints: [entry],
      outfile: mainFile,
      bundle: true,
      keepNames: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: "linked",
      sourcesContent: true,
      logLevel: "silent",
    })
    .catch((error: unknown) => {
      const failure = error as { errors?: esbuild.Message[] };
      if (!failure.errors?.length) throw error;
      throw new Error(`the workload does not build:\n${failure.errors.map(formatMessage).join("\n")}`);
    });
  if (result.errors.length) throw new Error(`the workload does not build:\n${result.errors.map(formatMessage).join("\n")}`);
  if (options.signal?.aborted) throw new UserCancelledError("build");
  for (const name of COPIED_FILES) {
    const source = path.join(workloadDir, name);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(outDir, name));
  }
  return { outDir, mainFile, sourceMapFile: `${mainFile}.map`, files: listFiles(outDir) };
}

function formatMessage(message: esbuild.Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `  ${where}${message.text}`;
}

/** Files under a folder, relative with forward slashes, sorted (a stable order for reproducible archives). */
export function listFiles(root: string, dir = root): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(root, full);
      return entry.isFile() ? [path.relative(root, full).split(path.sep).join("/")] : [];
    })
    .sort();
}
