// Why: the job-manager form's job, as the runtime's `submit` makes it (job manager task, dependencies, terminate when all complete), wired for debugging.
import type { BatchServiceModels } from "@azure/batch";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import * as fs from "node:fs";
import * as path from "node:path";
import { AZURITE_ACCOUNT_KEY } from "../../local/common/defaults";
import { applicationPackageVariable } from "../../runtime/contract/nodeCommandLine";
import type { LocalConnection } from "../localService/localServiceController";
import type { WorkloadBuild } from "../workload/buildWorkload";
import { zipDirectory } from "../workload/zipWorkload";
import { isPythonWorkload, pythonInterpreter, readPyprojectManifest, stagePythonPackage } from "../deploy/pythonWorkload";
import { writePythonDebugHook } from "./pythonDebugHook";
import { runtimeSettings } from "./debugTaskDefinition";
import { DEBUG_TASKS_VARIABLE, STOP_ON_ENTRY_VARIABLE, writeTaskDebugPreload } from "./taskDebugPreload";

/** The application version a debug job references; its package variable is pointed at the workspace build. */
export const DEBUG_APPLICATION_VERSION = "debug";
const RUNTIME_CONTAINER = "batch-runtime";

export interface JobManagerJobInput {
  /** a TypeScript workload's build; undefined for a Python workload (its main.py runs in place) */
  readonly build: WorkloadBuild | undefined;
  readonly workloadDir: string;
  readonly jobId: string;
  readonly poolId: string;
  readonly jobArgs: unknown;
  readonly debugTasks: "all" | "none" | readonly string[];
  readonly noDebug: boolean;
  /** every process that gets a debugger stops on the first line of main.js */
  readonly stopOnEntry: boolean;
  readonly nodeExecutable: string;
  readonly connection: LocalConnection;
}

/** The workload's application id: its package.json (or pyproject.toml) name, made a valid id. */
export function debugApplicationId(workloadDir: string): string {
  let name = path.basename(workloadDir);
  try {
    name = isPythonWorkload(workloadDir)
      ? readPyprojectManifest(workloadDir).name
      : ((JSON.parse(fs.readFileSync(path.join(workloadDir, "package.json"), "utf8")) as { name?: string }).name ?? name);
  } catch {
    // no readable name: the folder's
  }
  return (
    name
      .replace(/^@[^/]+\//, "")
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .slice(0, 64) || "workload"
  );
}

/**
 * Deploys the build (or the Python package) as the `debug` version of the workload's application (so the node agent's
 * package handling runs as for any job), creates the runtime container, and returns the job. The job's common
 * environment points the package variable at the workspace's dist/ (or, for Python, the workload folder), so every role
 * runs in place: a bundle's source map resolves to the .ts files, and a Python breakpoint is set in the file that runs.
 */
export async function prepareJobManagerJob(input: JobManagerJobInput): Promise<BatchServiceModels.JobAddParameter> {
  const applicationId = debugApplicationId(input.workloadDir);
  const packageFolder = path.join(input.connection.dataDir, "applications", applicationId);
  fs.mkdirSync(packageFolder, { recursive: true });
  // what runs in place: the TypeScript build's dist/, or a Python workload's own folder
  const codeFolder = input.build ? input.build.outDir : input.workloadDir;
  fs.writeFileSync(path.join(packageFolder, `${DEBUG_APPLICATION_VERSION}.zip`), await packageZip(input, applicationId));
  const blobs = new BlobServiceClient(input.connection.blobEndpoint, new StorageSharedKeyCredential(input.connection.storageAccountName, AZURITE_ACCOUNT_KEY));
  await blobs.getContainerClient(RUNTIME_CONTAINER).createIfNotExists();

  const variable = applicationPackageVariable(applicationId, DEBUG_APPLICATION_VERSION);
  const debugging = !input.noDebug && input.debugTasks !== "none";
  const executable = input.build ? input.nodeExecutable : pythonInterpreter();
  const common: BatchServiceModels.EnvironmentSetting[] = [
    ...runtimeSettings(input.connection),
    { name: "BATCH_POOL_ID", value: input.poolId },
    { name: "BATCH_APPLICATION_ID", value: applicationId },
    { name: "BATCH_APPLICATION_VERSION", value: DEBUG_APPLICATION_VERSION },
    { name: "BATCH_NODE_EXECUTABLE", value: executable },
    { name: variable, value: codeFolder },
    ...(debugging ? debugHookSettings(input) : []),
    ...(input.build ? [] : [{ name: "PYTHONUNBUFFERED", value: "1" }]),
  ];
  const mainFile = input.build ? `--enable-source-maps $${variable}/main.js` : `$${variable}/main.py`;
  const logging = ["logging.json", "logging.yaml", "logging.yml"].find((name) => fs.existsSync(path.join(codeFolder, name)));
  if (logging) common.push({ name: "BATCH_LOGGING_CONFIG", value: logging });
  return {
    id: input.jobId,
    displayName: `debug ${applicationId} ${input.jobId}`,
    poolInfo: { poolId: input.poolId },
    usesTaskDependencies: true,
    onAllTasksComplete: "terminatejob",
    commonEnvironmentSettings: common,
    metadata: [{ name: "batchManager.workload", value: applicationId }],
    jobManagerTask: {
      id: "job-manager",
      displayName: "JobManager",
      commandLine: `/bin/sh -c "exec ${executable} ${mainFile} job-manager"`,
      environmentSettings: [{ name: "BATCH_JOB_ARGS", value: JSON.stringify(input.jobArgs ?? null) }],
      applicationPackageReferences: [{ applicationId, version: DEBUG_APPLICATION_VERSION }],
      killJobOnCompletion: false,
      runExclusive: false,
    },
  };
}

/** The `debug` package the node deploys as for any job: the build's files, or the Python package's (main.py, its packages, batch_manager). */
async function packageZip(input: JobManagerJobInput, applicationId: string): Promise<Buffer> {
  if (input.build) return zipDirectory(input.build.outDir);
  const stage = path.join(input.connection.dataDir, "debug", "stage", applicationId);
  stagePythonPackage(input.workloadDir, stage);
  return zipDirectory(stage);
}

/** The job-wide switch that makes the selected processes wait for their debugger: a Node `--require` preload, or a Python sitecustomize. */
function debugHookSettings(input: JobManagerJobInput): BatchServiceModels.EnvironmentSetting[] {
  const selection = { name: DEBUG_TASKS_VARIABLE, value: input.debugTasks === "all" ? "all" : JSON.stringify(input.debugTasks) };
  if (!input.build) {
    return [selection, { name: "PYTHONPATH", value: writePythonDebugHook(input.connection.dataDir) }, { name: "PYDEVD_DISABLE_FILE_VALIDATION", value: "1" }];
  }
  const preload = writeTaskDebugPreload(input.connection.dataDir);
  return [
    { name: "NODE_OPTIONS", value: `--require ${JSON.stringify(preload)}` },
    selection,
    ...(input.stopOnEntry ? [{ name: STOP_ON_ENTRY_VARIABLE, value: "1" }] : []),
  ];
}
