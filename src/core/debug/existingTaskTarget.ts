// Why: the existing-task form: reads a task's definition (and its job's) from the local service and reproduces it as a fresh debug job on a local node.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import * as fs from "node:fs";
import * as path from "node:path";
import { DebugConfigurationError } from "./debugConfigurationError";
import { withDebugEnvironment } from "./debugTaskDefinition";
import { debugpyEndpointsFile, underDebugpy } from "./pythonDebugTask";
import type { DebugTarget } from "./launchArguments";

type ExistingTaskTarget = Extract<DebugTarget, { kind: "existingTask" }>;

export interface ExistingTaskCopy {
  /** the original job's pool when it still exists on the local service */
  readonly poolId: string | undefined;
  readonly job: (jobId: string, poolId: string) => BatchServiceModels.JobAddParameter;
  readonly task: BatchServiceModels.TaskAddParameter & { id: string };
  readonly description: string;
  /** a Python task run under debugpy: where its adapter writes the port */
  readonly debugpyEndpointsFile?: string;
}

/**
 * The task as it was defined (command line, environment, resource files, application packages, constraints, user,
 * exit conditions) and its job's common environment and preparation task. Left out on purpose: output files (a
 * reproduction must not overwrite the original's results) and dependencies (the copy runs alone).
 */
export async function copyExistingTask(
  client: BatchServiceClient,
  dataDir: string,
  target: ExistingTaskTarget,
  noDebug: boolean,
  say: (text: string) => void,
): Promise<ExistingTaskCopy> {
  const { jobId, taskId } = target;
  const { job, task } = target.definition
    ? (target.definition as unknown as { job: BatchServiceModels.CloudJob; task: BatchServiceModels.CloudTask })
    : await readLocalTask(client, jobId, taskId);
  // a remote task's packages come from the local store: the adapter has no way to fetch them from the account
  for (const reference of target.definition ? (task.applicationPackageReferences ?? []) : []) {
    const zip = path.join(dataDir, "applications", reference.applicationId, `${reference.version ?? "<version>"}.zip`);
    if (!reference.version || !fs.existsSync(zip)) {
      throw new DebugConfigurationError(
        "definition",
        `task "${taskId}" uses application package ${reference.applicationId} ${reference.version ?? "(default version)"}, which the local service does not have: copy the package's zip to ${zip} and debug again`,
      );
    }
  }
  const resourceFiles = (task.resourceFiles ?? []).filter((file) => {
    if (!target.definition || (!file.identityReference && !file.autoStorageContainerName)) return true;
    say(
      `Left out resource file ${file.filePath ?? file.autoStorageContainerName ?? "?"}: it is fetched with the account's identity or auto-storage, which this machine does not have; put it in the working directory yourself`,
    );
    return false;
  });
  const originalPool = target.definition ? undefined : job.poolInfo?.poolId;
  const poolExists = originalPool ? (await client.pool.exists(originalPool)).body : false;
  const copy: BatchServiceModels.TaskAddParameter & { id: string } = {
    id: taskId,
    displayName: task.displayName,
    commandLine: task.commandLine!,
    environmentSettings: withDebugEnvironment(task.environmentSettings, noDebug),
    resourceFiles,
    applicationPackageReferences: task.applicationPackageReferences,
    constraints: task.constraints ? { maxWallClockTime: task.constraints.maxWallClockTime, maxTaskRetryCount: 0 } : undefined,
    userIdentity: task.userIdentity,
    // the copy runs alone (no dependencies), so the runtimes' dependencyAction would be refused by a job without them
    exitConditions: withoutDependencyActions(task.exitConditions),
  };
  const python = noDebug
    ? undefined
    : underDebugpy(copy.commandLine, task.environmentSettings, debugpyEndpointsFile(dataDir, `copy-${jobId}-${Date.now()}`, taskId));
  if (python) {
    copy.commandLine = python.commandLine;
    copy.environmentSettings = python.environmentSettings;
  }
  const result = task.executionInfo;
  return {
    debugpyEndpointsFile: python?.environmentSettings.find((s) => s.name === "DEBUGPY_ADAPTER_ENDPOINTS")?.value,
    poolId: poolExists ? originalPool : undefined,
    task: copy,
    description: `${target.definition ? `${target.account} ` : ""}task ${taskId} of job ${jobId} (${task.state}${result?.exitCode !== undefined ? `, exit code ${result.exitCode}` : ""}${result?.failureInfo ? `, ${result.failureInfo.code}` : ""}): ${task.commandLine}`,
    job: (newJobId, poolId) => ({
      id: newJobId,
      displayName: `debug copy of ${jobId}/${taskId}`,
      poolInfo: { poolId },
      commonEnvironmentSettings: job.commonEnvironmentSettings,
      jobPreparationTask: job.jobPreparationTask,
      metadata: [{ name: "batchManager.debugCopyOf", value: `${jobId}/${taskId}` }],
    }),
  };
}

async function readLocalTask(client: BatchServiceClient, jobId: string, taskId: string) {
  const job = await client.job.get(jobId).catch((error: { statusCode?: number }) => {
    if (error.statusCode === 404) throw new DebugConfigurationError("jobId", `the local service has no job "${jobId}": check the id in the Batch Explorer`);
    throw error;
  });
  const task = await client.task.get(jobId, taskId).catch((error: { statusCode?: number }) => {
    if (error.statusCode === 404) throw new DebugConfigurationError("taskId", `job "${jobId}" has no task "${taskId}": check the id in the Batch Explorer`);
    throw error;
  });
  return { job, task };
}

function withoutDependencyActions(conditions: BatchServiceModels.ExitConditions | undefined): BatchServiceModels.ExitConditions | undefined {
  if (!conditions) return undefined;
  const strip = <T extends { dependencyAction?: unknown } | undefined>(options: T): T => {
    if (!options) return options;
    const { dependencyAction: _dropped, ...rest } = options;
    return rest as T;
  };
  return {
    exitCodes: conditions.exitCodes?.map((mapping) => ({ ...mapping, exitOptions: strip(mapping.exitOptions) })),
    exitCodeRanges: conditions.exitCodeRanges?.map((range) => ({ ...range, exitOptions: strip(range.exitOptions) })),
    preProcessingError: strip(conditions.preProcessingError),
    fileUploadError: strip(conditions.fileUploadError),
    default: strip(conditions.default),
  };
}
