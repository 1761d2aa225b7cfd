// Why: what deploy and run take from a workload's package.json: the application id (its name made a valid Batch id), the SemVer version, engines.node.

import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { isPythonWorkload, readPyprojectManifest, writePyprojectVersion } from "./pythonWorkload";

export interface WorkloadManifest {
  readonly packageFile: string;
  readonly name: string;
  readonly applicationId: string;
  readonly version: string;
  /** engines.node, when the workload states one */
  readonly nodeRange?: string;
  /** python: pyproject.toml + main.py (src/core/deploy/pythonWorkload.ts); default typescript */
  readonly language?: "typescript" | "python";
}

/** `@team/My Workload` → `team-My-Workload`: letters, digits, `_` and `-`, at most 64. */
export function applicationIdFromName(name: string): string {
  const id = name
    .replace(/^@/, "")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return id || "workload";
}

export function readWorkloadManifest(workloadDir: string): WorkloadManifest {
  if (isPythonWorkload(workloadDir)) return readPyprojectManifest(workloadDir);
  const packageFile = path.join(workloadDir, "package.json");
  if (!fs.existsSync(packageFile))
    throw new Error(
      `no package.json in ${workloadDir}: a workload folder has one, or pyproject.toml and main.py for Python (create a workload with 'batch-manager new')`,
    );
  let pkg: { name?: unknown; version?: unknown; engines?: { node?: unknown } };
  try {
    pkg = JSON.parse(fs.readFileSync(packageFile, "utf8")) as typeof pkg;
  } catch (error) {
    throw new Error(`${packageFile} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof pkg.name !== "string" || !pkg.name.trim()) throw new Error(`${packageFile}: 'name' is missing; it names the application package`);
  if (typeof pkg.version !== "string" || !semver.valid(pkg.version)) {
    throw new Error(
      `${packageFile}: 'version' must be a SemVer version such as 1.0.0 (got ${JSON.stringify(pkg.version)}); it is the application package version`,
    );
  }
  const nodeRange = typeof pkg.engines?.node === "string" ? pkg.engines.node : undefined;
  if (nodeRange !== undefined && !semver.validRange(nodeRange)) throw new Error(`${packageFile}: 'engines.node' is not a valid SemVer range (${nodeRange})`);
  return { packageFile, name: pkg.name, applicationId: applicationIdFromName(pkg.name), version: semver.valid(pkg.version)!, nodeRange };
}

/** Writes the deployed version back to package.json (as `npm version` would), keeping the rest of the file as it was. */
export function writeWorkloadVersion(manifest: WorkloadManifest, version: string): void {
  if (manifest.language === "python") {
    writePyprojectVersion(manifest.packageFile, version);
    return;
  }
  const text = fs.readFileSync(manifest.packageFile, "utf8");
  const replaced = text.replace(/("version"\s*:\s*")[^"]*(")/, `$1${version}$2`);
  fs.writeFileSync(manifest.packageFile, replaced);
}
