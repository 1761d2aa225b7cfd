// Why: turns the example-workload fixture into a scratch workload project as a developer would have it: packed runtime installed, type-checked, bundled, zipped.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildWorkload } from "../../../src/core/workload/buildWorkload";
import { zipDirectory } from "../../../src/core/workload/zipWorkload";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";
import { type LocalServiceHandle, REPO_ROOT, tempDir } from "../../support/localService";
import { packedRuntimeTarball } from "./runtimePackage";

export const EXAMPLE_WORKLOAD_FIXTURE = path.join(REPO_ROOT, "test", "runtime", "fixtures", "example-workload");

/** Packages the scratch project takes from the repository's node_modules instead of the registry (the machine is offline). */
const LINKED_PACKAGES = [
  "@azure",
  "@opentelemetry",
  "@types/node",
  "yaml",
  "ajv",
  "fast-deep-equal",
  "fast-uri",
  "json-schema-traverse",
  "require-from-string",
];

export class WorkloadProject {
  private constructor(readonly dir: string) {}

  /** Copies the fixture (its `.cts` sources become `src/*.ts`) and installs the packed runtime tarball into node_modules. */
  static create(fixture = EXAMPLE_WORKLOAD_FIXTURE): WorkloadProject {
    const dir = tempDir("workload");
    for (const name of fs.readdirSync(fixture)) {
      if (name !== "src") fs.copyFileSync(path.join(fixture, name), path.join(dir, name));
    }
    fs.mkdirSync(path.join(dir, "src"));
    for (const name of fs.readdirSync(path.join(fixture, "src"))) {
      fs.copyFileSync(path.join(fixture, "src", name), path.join(dir, "src", name.replace(/\.cts$/, ".ts")));
    }
    const runtimeDir = path.join(dir, "node_modules", "@batch-manager", "runtime");
    fs.mkdirSync(runtimeDir, { recursive: true });
    execFileSync("tar", ["-xzf", packedRuntimeTarball(), "-C", runtimeDir, "--strip-components=1"]);
    for (const name of LINKED_PACKAGES) {
      fs.mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules", name), path.join(dir, "node_modules", name), "dir");
    }
    return new WorkloadProject(dir);
  }

  /** `tsc -p .` of the project: the workload must compile, strict, against the packed runtime's declarations. */
  typeCheck(): void {
    execFileSync(path.join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", this.dir], { cwd: this.dir, encoding: "utf8", stdio: "pipe" });
  }

  /** The product's build (src/core/workload): dist/main.js with a linked source map, plus logging.json beside it. */
  async bundle(): Promise<string> {
    return (await buildWorkload({ workloadDir: this.dir })).mainFile;
  }

  /** The product's reproducible zip of dist/ (main.js at the root of the zip, as the node command line expects). */
  async zip(): Promise<string> {
    const file = path.join(this.dir, "workload.zip");
    fs.writeFileSync(file, await zipDirectory(path.join(this.dir, "dist")));
    return file;
  }
}

/** Deploys a package to the local service the documented way: `<dataDir>/applications/<id>/<version>.zip`. */
export function deployLocalApplicationPackage(dataDir: string, applicationId: string, version: string, zipFile: string): void {
  const folder = path.join(dataDir, "applications", applicationId);
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(zipFile, path.join(folder, `${version}.zip`));
}

/**
 * The runtime tests' setup: the fixture type-checked against the packed runtime, bundled, deployed as `application` on the
 * local service, and a pool of 2 nodes with `taskSlotsPerNode` slots each to run it on; returns the bundle's main.js.
 */
export async function deployFixtureWorkload(
  service: LocalServiceHandle,
  options: { fixture?: string; application: { BATCH_APPLICATION_ID: string; BATCH_APPLICATION_VERSION: string }; poolId: string; taskSlotsPerNode: number },
): Promise<string> {
  const project = WorkloadProject.create(options.fixture);
  project.typeCheck();
  const mainJs = await project.bundle();
  const { BATCH_APPLICATION_ID: id, BATCH_APPLICATION_VERSION: version } = options.application;
  deployLocalApplicationPackage(service.dataDir, id, version, await project.zip());
  await service.client().pool.add({
    id: options.poolId,
    vmSize: "standard_d2s_v3",
    virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    targetDedicatedNodes: 2,
    taskSlotsPerNode: options.taskSlotsPerNode,
  });
  return mainJs;
}
