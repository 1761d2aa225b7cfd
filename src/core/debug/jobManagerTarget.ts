// Why: the job-manager form's job, as the runtime's `submit` makes it (job manager task, dependencies, terminate when all complete), wired for debugging.
import type { BatchServiceModels } from "@azure/batch";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import * as fs from "node:fs";
import * as path from "node:path";
import { AZURITE_ACCOUNT_KEY } from "../../local/defaults";
import { applicationPackageVariable } from "../../runtime/contract/nodeCommandLine";
import type { LocalConnection } from "../localService/localServiceController";
import type { WorkloadBuild } from "../workload/buildWorkload";
import { zipDirectory } from "../workload/zipWorkload";
import { runtimeSettings } from "./debugTaskDefinition";
import { DEBUG_TASKS_VARIABLE, writeTaskDebugPreload } from "./taskDebugPreload";

/** The application version a debug job references; its package variable is pointed at the workspace build. */
export const DEBUG_APPLICATION_VERSION = "debug";
const RUNTIME_CONTAINER = "batch-runtime";

export interface JobManagerJobInput {
  readonly build: WorkloadBuild;
  readonly workloadDir: string;
  readonly jobId: string;
  readonly poolId: string;
  readonly jobArgs: unknown;
  readonly debugTasks: "all" | "none" | readonly string[];
  readonly noDebug: boolean;
  readonly nodeExecutable: string;
  readonly connection: LocalConnection;
}

/** The workload's application id: its package.json name, made a valid id. */
export function debugApplicationId(workloadDir: string): string {
  let name = path.basename(workloadDir);
  try {
    name = (JSON.parse(fs.readFileSync(path.join(workloadDir, "package.json"), "utf8")) as { name?: string }).name ?? name;
  } catch {
    // no package.json name: the folder's
  }
  return (
    name
      .replace(/^@[^/]+\//, "")
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .slice(0, 64) || "workload"
  );
}

/**
 * Deploys the build as the `debug` version of the workload's application (so the node agent's package handling runs as
 * for any job), creates the runtime container, and returns the job. The job's common environment points the package
 * variable at the workspace's dist/, so every role runs the bundle in place and its source map resolves to the .ts files.
 */
export async function prepareJobManagerJob(input: JobManagerJobInput): Promise<BatchServiceModels.JobAddParameter> {
  const applicationId = debugApplicationId(input.workloadDir);
  const packageFolder = path.join(input.connection.dataDir, "applications", applicationId);
  fs.mkdirSync(packageFolder, { recursive: true });
  fs.writeFileSync(path.join(packageFolder, `${DEBUG_APPLICATION_VERSION}.zip`), await zipDirectory(input.build.outDir));
  const blobs = new BlobServiceClient(input.connection.blobEndpoint, new StorageSharedKeyCredential(input.connection.storageAccountName, AZURITE_ACCOUNT_KEY));
  await blobs.getContainerClient(RUNTIME_CONTAINER).createIfNotExists();

  const variable = applicationPackageVariable(applicationId, DEBUG_APPLICATION_VERSION);
  const debugging = !input.noDebug && input.debugTasks !== "none";
  const preload = debugging ? writeTaskDebugPreload(input.connection.dataDir) : undefined;
  const common: BatchServiceModels.EnvironmentSetting[] = [
    ...runtimeSettings(input.connection),
    { name: "BATCH_POOL_ID", value: input.poolId },
    { name: "BATCH_APPLICATION_ID", value: applicationId },
    { name: "BATCH_APPLICATION_VERSION", value: DEBUG_APPLICATION_VERSION },
    { name: "BATCH_NODE_EXECUTABLE", value: input.nodeExecutable },
    { name: variable, value: input.build.outDir },
    ...(preload
      ? [
          { name: "NODE_OPTIONS", value: `--require ${JSON.stringify(preload)}` },
          { name: DEBUG_TASKS_VARIABLE, value: input.debugTasks === "all" ? "all" : JSON.stringify(input.debugTasks) },
        ]
      : []),
  ];
  const logging = ["logging.json", "logging.yaml", "logging.yml"].find((name) => fs.existsSync(path.join(input.build.outDir, name)));
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
      commandLine: `/bin/sh -c "exec ${input.nodeExecutable} --enable-source-maps $${variable}/main.js job-manager"`,
      environmentSettings: [{ name: "BATCH_JOB_ARGS", value: JSON.stringify(input.jobArgs ?? null) }],
      applicationPackageReferences: [{ applicationId, version: DEBUG_APPLICATION_VERSION }],
      killJobOnCompletion: false,
      runExclusive: false,
    },
  };
}
