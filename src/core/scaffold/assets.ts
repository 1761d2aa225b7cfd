// Why: finds what `new` copies into a project — the templates, the runtime tarball and the CLI tarball — wherever the code runs
// (the installed CLI package, the extension's dist/, a clone's dist/ or out/).

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface ScaffoldAssets {
  readonly templatesDir: string;
  /** absolute path of batch-manager-runtime-<version>.tgz */
  readonly runtimeTarball: string;
  /** absolute path of batch-manager-cli-<version>.tgz, or undefined when it has to be packed from the installed CLI (see cliTarballFor) */
  readonly cliTarball: string | undefined;
  /** the installed @batch-manager/cli package folder, packed when there is no tarball */
  readonly cliPackageDir: string | undefined;
  /** the pure-Python `batch_manager` package folder Python projects get a copy of, when found */
  readonly pythonRuntimePackage?: string;
}

/** Where builds put the `batch_manager` package: inside the templates they ship (esbuild.mjs, build-cli-package.mjs). */
export const PYTHON_RUNTIME_IN_TEMPLATES = path.join("python", "runtime", "batch_manager");

export const TEMPLATES_FOLDER = "scaffold-templates";
export const CLI_PACKAGE_NAME = "@batch-manager/cli";

/**
 * `bundleDir` is the folder of the running bundle (dist/ of a clone or of the extension, or the CLI package's root).
 * From a clone's tsc output (out/src/core/scaffold) the sources' templates and dist/ are used.
 */
export function locateScaffoldAssets(bundleDir: string): ScaffoldAssets {
  const repoRoot = findUp(bundleDir, (dir) => fs.existsSync(path.join(dir, "src", "core", "scaffold", "templates")));
  const candidates = [bundleDir, ...(repoRoot ? [path.join(repoRoot, "dist")] : [])];
  const templatesDir = [path.join(bundleDir, TEMPLATES_FOLDER), ...(repoRoot ? [path.join(repoRoot, "src", "core", "scaffold", "templates")] : [])].find(
    (dir) => fs.existsSync(path.join(dir, "common")),
  );
  if (!templatesDir)
    throw new Error(`the workload templates are missing beside ${bundleDir}: reinstall the batch-manager CLI (or run 'npm run build' in a clone)`);
  const runtimeTarball = firstTarball(candidates, "batch-manager-runtime-");
  if (!runtimeTarball) {
    throw new Error(
      `the runtime package (batch-manager-runtime-<version>.tgz) is missing beside ${bundleDir}: reinstall the CLI, or run 'bash scripts/pack-runtime.sh' in a clone`,
    );
  }
  const cliPackageDir = readPackageName(bundleDir) === CLI_PACKAGE_NAME ? bundleDir : undefined;
  const cliTarball = firstTarball(candidates, "batch-manager-cli-");
  if (!cliTarball && !cliPackageDir) {
    throw new Error(`the CLI package (batch-manager-cli-<version>.tgz) is missing beside ${bundleDir}: run 'bash scripts/pack-cli.sh' in a clone`);
  }
  const pythonRuntimePackage = [
    path.join(templatesDir, PYTHON_RUNTIME_IN_TEMPLATES),
    ...(repoRoot ? [path.join(repoRoot, "src", "runtime-python", "batch_manager")] : []),
  ].find((dir) => fs.existsSync(path.join(dir, "__init__.py")));
  return { templatesDir, runtimeTarball, cliTarball, cliPackageDir, pythonRuntimePackage };
}

/** The CLI tarball to copy into a project: the one found, or `npm pack` of the installed CLI package into `intoDir`. */
export function cliTarballFor(assets: ScaffoldAssets, intoDir: string): string {
  if (assets.cliTarball) return assets.cliTarball;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const packed = execFileSync(npm, ["pack", assets.cliPackageDir!, "--pack-destination", intoDir, "--silent", "--ignore-scripts"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  return path.join(intoDir, packed);
}

function firstTarball(dirs: readonly string[], prefix: string): string | undefined {
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    const found = fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && name.endsWith(".tgz"))
      .sort();
    if (found.length) return path.join(dir, found[found.length - 1]!);
  }
  return undefined;
}

function readPackageName(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

function findUp(start: string, found: (dir: string) => boolean): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (found(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
