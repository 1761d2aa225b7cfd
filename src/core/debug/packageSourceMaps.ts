// Why: "Debug Task Locally" on a task that runs a workload's application package: a copy of the package whose source map points at the workspace's .ts files, so breakpoints bind.
import AdmZip from "adm-zip";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { BatchServiceModels } from "@azure/batch";
import { applicationPackageVariable } from "../../runtime/contract/nodeCommandLine";
import { readDeploymentSettings } from "../deploy/deploySettings";
import { readWorkloadManifest } from "../deploy/workloadManifest";
import { debugApplicationId } from "./jobManagerTarget";
import { isTypeScriptWorkload, workloadFolders } from "./workloadFolders";

export interface PackageSourceMapping {
  /** environment settings that point the task's package variables at the mapped copies */
  readonly environment: BatchServiceModels.EnvironmentSetting[];
  /** the mapped copies (the child session's code folders) */
  readonly folders: string[];
}

/**
 * For each package reference whose application is a workload folder here (`workloadDir`, else `searchDir` or one of its
 * subfolders, matched by application id), extracts the package as the node would and rewrites its source maps'
 * relative `sources` to absolute paths into that folder. The task still references (and the node still deploys) the
 * original package; only its variable is pointed at the copy, so the same bytes run and the maps resolve to the editor's files.
 */
export function mapPackagesToSources(options: {
  readonly dataDir: string;
  readonly references: readonly BatchServiceModels.ApplicationPackageReference[];
  readonly workloadDir: string | undefined;
  readonly searchDir: string;
  readonly say: (text: string) => void;
}): PackageSourceMapping {
  const environment: BatchServiceModels.EnvironmentSetting[] = [];
  const folders: string[] = [];
  // only a TypeScript workload's bundle has source maps to point at its sources
  const workloads = options.workloadDir ? [options.workloadDir] : workloadFolders(options.searchDir).filter(isTypeScriptWorkload);
  const candidates = workloads.map((dir) => ({ dir, ids: applicationIdsOf(dir) }));
  for (const reference of options.references) {
    const applicationId = reference.applicationId.replace(/^.*\/applications\//i, "");
    const matches = candidates.filter(({ ids }) => ids.has(applicationId.toLowerCase())).map(({ dir }) => dir);
    if (matches.length > 1) {
      options.say(`Several folders deploy as ${applicationId} (${matches.join(", ")}): set "workload" to the one the package was built from`);
      continue;
    }
    const workloadDir = matches[0];
    if (!workloadDir) continue;
    const zip = reference.version ? path.join(options.dataDir, "applications", applicationId, `${reference.version}.zip`) : undefined;
    if (!zip || !fs.existsSync(zip)) {
      options.say(
        `Breakpoints in ${workloadDir} may not bind: package ${applicationId} ${reference.version ?? "(default version)"} is not in the local store as a zip`,
      );
      continue;
    }
    const folder = mappedCopy(options.dataDir, zip, `${applicationId}-${reference.version}`, workloadDir);
    if (!fs.readdirSync(folder).some((name) => name.endsWith(".js.map"))) {
      options.say(`Package ${applicationId} ${reference.version} has no source map: breakpoints bind only in its .js files`);
      continue;
    }
    environment.push({ name: applicationPackageVariable(applicationId, reference.version!), value: folder });
    folders.push(folder);
    options.say(
      `Package ${applicationId} ${reference.version} runs from a copy whose source map points at ${path.join(workloadDir, "src")}: breakpoints there bind`,
    );
  }
  return { environment, folders };
}

/** The ids a workload folder deploys as: its deployment settings' `applicationId`, else the one from its package.json name. */
function applicationIdsOf(dir: string): Set<string> {
  const ids = new Set([debugApplicationId(dir).toLowerCase()]);
  const attempt = (read: () => string | undefined) => {
    try {
      const id = read();
      if (id) ids.add(id.toLowerCase());
    } catch {
      // unreadable settings or manifest: the package.json name still counts
    }
  };
  attempt(() => readWorkloadManifest(dir).applicationId);
  attempt(() => readDeploymentSettings(dir)?.settings.applicationId);
  return ids;
}

/**
 * The package extracted with its maps pointed at `workloadDir`, once per version and workload folder (a deployed version
 * never changes): later debug runs reuse it. Extracted aside and renamed, so a half-written copy is never used.
 */
function mappedCopy(dataDir: string, zip: string, packageName: string, workloadDir: string): string {
  const workloadKey = crypto.createHash("sha256").update(path.resolve(workloadDir)).digest("hex").slice(0, 12);
  const folder = path.join(dataDir, "debug", "packages", `${packageName}-${workloadKey}`);
  if (fs.existsSync(folder)) return folder;
  const staging = `${folder}.${process.pid}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  new AdmZip(zip).extractAllTo(staging, true);
  rewriteSourceMaps(staging, path.join(workloadDir, "dist"));
  try {
    fs.renameSync(staging, folder);
  } catch (error) {
    // another session made the same copy first: use that one
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(folder)) throw error;
  }
  return folder;
}

/** Resolves every relative source of each `.js.map` in `folder` against `builtIn` (where the bundle was built). */
function rewriteSourceMaps(folder: string, builtIn: string): void {
  for (const name of fs.readdirSync(folder)) {
    if (!name.endsWith(".js.map")) continue;
    const file = path.join(folder, name);
    const map = JSON.parse(fs.readFileSync(file, "utf8")) as { sources?: string[]; sourceRoot?: string };
    const root = path.resolve(builtIn, map.sourceRoot ?? "");
    map.sources = (map.sources ?? []).map((source) => (/^[a-z]+:/i.test(source) || path.isAbsolute(source) ? source : path.resolve(root, source)));
    delete map.sourceRoot;
    fs.writeFileSync(file, JSON.stringify(map));
  }
}
