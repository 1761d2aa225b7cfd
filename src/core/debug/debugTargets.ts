// Why: turns each launch form into the job and task a debug run adds (building the workload first, so its source map is there).
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import * as crypto from "node:crypto";
import * as path from "node:path";
import type { LocalConnection } from "../localService/localServiceController";
import { buildWorkload, listFiles, type WorkloadBuild } from "../workload/buildWorkload";
import { isWorkloadBuildCurrent } from "./buildFreshness";
import { storageFiles } from "./debugStorageFiles";
import { copyExistingTask } from "./existingTaskTarget";
import { mapPackagesToSources } from "./packageSourceMaps";
import { debugApplicationId, prepareJobManagerJob } from "./jobManagerTarget";
import { findNodeExecutable, readTaskFile, withDebugEnvironment, workloadTaskParameter } from "./debugTaskDefinition";
import { DebugConfigurationError, type DebugPlan } from "./launchArguments";
import { findWorkloadEntryPoints } from "./workloadEntryPoints";
import { isPythonWorkload } from "../deploy/pythonWorkload";
import { debugpyEndpointsFile, findPythonEntryPoints, pythonWorkloadTaskParameter } from "./pythonDebugTask";

export interface PreparedTarget {
  readonly jobId: string;
  readonly jobDisplayName: string;
  /** the whole job on the chosen pool (the job-manager form); else a plain job gets `task` */
  readonly job?: (poolId: string) => Promise<BatchServiceModels.JobAddParameter>;
  readonly task?: BatchServiceModels.TaskAddParameter & { id: string };
  /** the pool the target prefers when the configuration names none (an existing task's own pool) */
  readonly poolId?: string;
  /** where the JavaScript and its source maps are (child sessions' outFiles) */
  readonly codeFolders: readonly string[];
  /** a Python task under debugpy: the file its adapter writes the port to */
  readonly debugpyEndpointsFile?: string;
}

export interface TargetContext {
  readonly client: BatchServiceClient;
  readonly connection: LocalConnection;
  readonly signal: AbortSignal;
  readonly say: (text: string) => void;
}

export async function prepareTarget(plan: DebugPlan, context: TargetContext): Promise<PreparedTarget> {
  const target = plan.target;
  switch (target.kind) {
    case "taskFile": {
      const task = readTaskFile(target.taskFile, "debug-task");
      const jobId = await freshJobId(context.client, plan.jobId, task.id);
      context.say(`Task definition ${target.taskFile}: ${task.commandLine}`);
      return {
        jobId,
        jobDisplayName: `debug ${path.basename(target.taskFile)}`,
        task: { ...task, id: task.id, environmentSettings: withDebugEnvironment(task.environmentSettings, plan.noDebug) },
        codeFolders: [],
      };
    }
    case "workloadTask": {
      if (isPythonWorkload(target.workloadDir)) return preparePythonTask(plan, target, context);
      const known = findWorkloadEntryPoints(target.workloadDir).map((e) => e.name);
      if (!known.includes(target.entryPoint)) {
        throw new DebugConfigurationError(
          "entryPoint",
          `"${target.entryPoint}" is not registered by the workload in ${target.workloadDir} (registered: ${known.join(", ") || "none"}): use one of those, or register it with entryPointsRepository.registerEntryPoint`,
        );
      }
      const build = await buildFor(target.workloadDir, context);
      const jobId = await freshJobId(context.client, plan.jobId, target.entryPoint);
      const task = workloadTaskParameter({
        mainFile: build.mainFile,
        entryPoint: target.entryPoint,
        args: target.args,
        taskId: "1",
        nodeExecutable: plan.nodeExecutable ?? findNodeExecutable(),
        connection: context.connection,
      });
      const files = await storageFiles(context.connection, jobId, target.inputFiles, target.outputFiles, context.say);
      return {
        jobId,
        jobDisplayName: `debug ${target.entryPoint}`,
        task: { ...task, ...files, id: task.id, environmentSettings: withDebugEnvironment(task.environmentSettings, plan.noDebug) },
        codeFolders: [build.outDir],
      };
    }
    case "jobManager": {
      const python = isPythonWorkload(target.workloadDir);
      const build = python ? undefined : await buildFor(target.workloadDir, context);
      const jobId = await freshJobId(context.client, plan.jobId, debugApplicationId(target.workloadDir));
      const nodeExecutable = plan.nodeExecutable ?? findNodeExecutable();
      const debugTasks = target.debugTasks;
      if (Array.isArray(debugTasks)) {
        const registered = python ? findPythonEntryPoints(target.workloadDir) : findWorkloadEntryPoints(target.workloadDir);
        const known = [...registered.map((e) => e.name), "JobManager", "FinalizeTask"];
        const unknown = debugTasks.filter((name) => !known.includes(name));
        if (unknown.length)
          throw new DebugConfigurationError(
            "debugTasks",
            `${unknown.join(", ")} not registered by the workload (known: ${known.join(", ")}): use those names, "all" or "none"`,
          );
      }
      return {
        jobId,
        jobDisplayName: `debug job ${jobId}`,
        job: (poolId) =>
          prepareJobManagerJob({
            build,
            workloadDir: target.workloadDir,
            jobId,
            poolId,
            jobArgs: target.jobArgs,
            debugTasks,
            noDebug: plan.noDebug,
            stopOnEntry: plan.stopOnEntry,
            nodeExecutable,
            connection: context.connection,
          }),
        codeFolders: build ? [build.outDir] : [],
      };
    }
    case "existingTask": {
      const copy = await copyExistingTask(context.client, context.connection.dataDir, target, plan.noDebug, context.say);
      context.say(`Reproducing ${copy.description}`);
      context.say("Output files are not uploaded by the copy (the original's results stay as they are); dependencies are dropped");
      const jobId = await freshJobId(context.client, undefined, `copy-${target.taskId}`);
      const mapped = plan.noDebug
        ? { environment: [], folders: [] }
        : mapPackagesToSources({
            dataDir: context.connection.dataDir,
            references: copy.task.applicationPackageReferences ?? [],
            workloadDir: target.workloadDir,
            searchDir: target.searchDir,
            say: context.say,
          });
      if (mapped.environment.length) copy.task.environmentSettings = [...(copy.task.environmentSettings ?? []), ...mapped.environment];
      return {
        jobId,
        jobDisplayName: `debug copy of ${target.jobId}/${target.taskId}`,
        job: async (poolId) => copy.job(jobId, poolId),
        task: copy.task,
        codeFolders: mapped.folders,
        poolId: copy.poolId,
        debugpyEndpointsFile: copy.debugpyEndpointsFile,
      };
    }
  }
}

async function preparePythonTask(
  plan: DebugPlan,
  target: Extract<DebugPlan["target"], { kind: "workloadTask" }>,
  context: TargetContext,
): Promise<PreparedTarget> {
  const known = findPythonEntryPoints(target.workloadDir).map((e) => e.name);
  if (!known.includes(target.entryPoint)) {
    throw new DebugConfigurationError(
      "entryPoint",
      `"${target.entryPoint}" is not registered by the workload in ${target.workloadDir} (registered: ${known.join(", ") || "none"}): use one of those, or register it with self._entry_points_repository.register_entry_point`,
    );
  }
  const jobId = await freshJobId(context.client, plan.jobId, target.entryPoint);
  const endpointsFile = plan.noDebug ? undefined : debugpyEndpointsFile(context.connection.dataDir, jobId, "1");
  const task = pythonWorkloadTaskParameter({ ...target, taskId: "1", connection: context.connection, endpointsFile });
  const files = await storageFiles(context.connection, jobId, target.inputFiles, target.outputFiles, context.say);
  return { jobId, jobDisplayName: `debug ${target.entryPoint}`, task: { ...task, ...files }, codeFolders: [], debugpyEndpointsFile: endpointsFile };
}

async function buildFor(workloadDir: string, context: TargetContext): Promise<WorkloadBuild> {
  if (isWorkloadBuildCurrent(workloadDir)) {
    const outDir = path.join(workloadDir, "dist");
    context.say(`Reusing ${path.join(outDir, "main.js")}: it is newer than every source (delete dist/ to force a build)`);
    return { outDir, mainFile: path.join(outDir, "main.js"), sourceMapFile: path.join(outDir, "main.js.map"), files: listFiles(outDir) };
  }
  context.say(`Building the workload ${workloadDir} (esbuild, source maps)`);
  const build = await buildWorkload({ workloadDir, signal: context.signal }).catch((error: unknown) => {
    throw new DebugConfigurationError("workload", `${(error as Error).message}`);
  });
  context.say(`Built ${build.mainFile}`);
  return build;
}

/** The configured job id (it must not exist yet), else `debug-<name>-<time>-<random>`. */
async function freshJobId(client: BatchServiceClient, configured: string | undefined, name: string): Promise<string> {
  if (configured !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(configured))
      throw new DebugConfigurationError("jobId", `"${configured}" is not a Batch id: use 1-64 letters, digits, '-' or '_'`);
    const exists = await client.job.get(configured).then(
      () => true,
      (error: { statusCode?: number }) => (error.statusCode === 404 ? false : Promise.reject(error)),
    );
    if (exists) throw new DebugConfigurationError("jobId", `job "${configured}" already exists: remove "jobId" to get a fresh one, or delete that job`);
    return configured;
  }
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .slice(0, 24);
  const time = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `debug-${slug}-${time}-${crypto.randomBytes(2).toString("hex")}`;
}
