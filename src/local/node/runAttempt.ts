// Why: one task attempt on one node, step by step as a Batch node runs it: folders, packages, environment, resource files, process, output files.
import * as fs from "node:fs";
import * as path from "node:path";
import type { AccountSettings } from "../common/account";
import { redactSecrets, type Logger } from "../common/logger";
import { downloadResourceFiles, ResourceFileError, uploadOutputFiles } from "../storage";
import { nowIso } from "../store/model";
import { referencesFromWire } from "./appPackageNames";
import { ApplicationPackageError, type ApplicationDeployer } from "./appPackages";
import { type AttemptControl, preProcessing, setLongTimeout } from "./attemptControl";
import { splitCommandLine } from "./commandLine";
import { launchFailed, programNotFound } from "./failures";
import { parseIsoDuration } from "./isoDuration";
import type { AttemptResult, TaskFailureInfo, TaskLaunch } from "./nodeAgent";
import { exitCodeOf, type ProcessExit, type SpawnRequest, type StartedProcess, TaskFolderError, terminateGroup } from "./processGroup";
import { LauncherLostError } from "./spawnLauncher";
import { buildTaskEnvironment } from "./taskEnvironment";
import { createTaskFolders, jobDir, jobPreparationId, launchTaskId, nodeLayout, taskLayout } from "./taskLayout";
import { type TaskFigures, spawnWithFigures } from "./taskFigures";
import { taskSpawnRequest } from "./taskAccount";
import { resolveTaskIdentity } from "./taskUser";

export interface AttemptDeps {
  account: AccountSettings;
  logger: Logger;
  deployer: ApplicationDeployer;
  /** time between SIGTERM and SIGKILL when a process group is stopped */
  killGraceMs: number;
  /** starts the task process, its figures on the exit (the agent's spawn launcher); spawnWithFigures where not given */
  spawn?: (request: SpawnRequest) => Promise<StartedProcess>;
}

export interface AttemptNode {
  rootDir: string;
  isDedicated: boolean;
}

/** Job release tasks have their own maxWallClockTime (default 15 minutes); the start task has none. */
export function wallClockLimit(launch: TaskLaunch): string | undefined {
  if (launch.kind === "startTask") return undefined;
  if (launch.kind === "jobRelease") return typeof launch.spec.maxWallClockTime === "string" ? launch.spec.maxWallClockTime : "PT15M";
  const limit = (launch.spec.constraints as { maxWallClockTime?: unknown } | undefined)?.maxWallClockTime;
  return typeof limit === "string" ? limit : undefined;
}

function asFailure(
  info: { category: "usererror" | "servererror"; code?: string; message?: string; details?: { name: string; value: string }[] },
  fallbackCode: string,
): TaskFailureInfo {
  return { category: info.category, code: info.code ?? fallbackCode, message: info.message ?? "", ...(info.details ? { details: info.details } : {}) };
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export async function runAttempt(
  deps: AttemptDeps,
  node: AttemptNode,
  launch: TaskLaunch,
  control: AttemptControl,
  onStarted?: (pid: number, taskDir: string) => void,
): Promise<AttemptResult> {
  const startTime = nowIso();
  const layout = taskLayout(node.rootDir, launch);
  const limit = wallClockLimit(launch);
  let figures: TaskFigures | undefined;
  // a new task directory with nothing to download into it is made by the spawner (makeDirs), off the service's thread
  let foldersUnmade = list(launch.spec.resourceFiles).length === 0 && !launch.spec.containerSettings && !fs.existsSync(layout.taskDir);
  const finish = (rest: Partial<AttemptResult>): AttemptResult => {
    // an attempt that ends before its process started still leaves its task directory, as on a Batch node
    if (foldersUnmade) {
      foldersUnmade = false;
      try {
        createTaskFolders(layout);
      } catch {
        // what it ended with says more than this would
      }
    }
    return resultOf(rest);
  };
  const resultOf = (rest: Partial<AttemptResult>): AttemptResult => ({
    startTime,
    endTime: nowIso(),
    taskDir: layout.taskDir,
    workingDir: layout.workingDir,
    ...(figures ? { figures } : {}),
    ...rest,
  });
  const what = `${launch.kind} ${launch.jobId ?? ""}/${launch.taskId ?? ""} on ${launch.nodeId} (try ${launch.retryCount + 1})`;

  const limitMs = limit === undefined ? undefined : parseIsoDuration(limit);
  if (limit !== undefined && limitMs === undefined) deps.logger.warn(`${what}: ignoring unparsable maxWallClockTime ${limit}`);
  const cancelClock = limitMs === undefined ? () => undefined : setLongTimeout(() => control.stop("timeout"), limitMs);
  try {
    if (control.reason) return finish(control.outcome(limit));
    let freshTaskDir = true;
    try {
      if (!foldersUnmade) freshTaskDir = createTaskFolders(layout);
    } catch (error) {
      return finish(preProcessing(launchFailed(`cannot create the task directory: ${(error as Error).message}`)));
    }

    const nodeDirs = nodeLayout(node.rootDir);
    let appPackages: Record<string, string>;
    try {
      const references = [...referencesFromWire(launch.pool.applicationPackageReferences), ...referencesFromWire(launch.spec.applicationPackageReferences)];
      appPackages = await deps.deployer.deploy(nodeDirs.applicationsDir, references);
    } catch (error) {
      if (error instanceof ApplicationPackageError) return finish(preProcessing(error.failureInfo));
      throw error;
    }
    if (control.reason) return finish(control.outcome(limit));

    const taskId = launchTaskId(launch);
    const identity = resolveTaskIdentity(launch.kind, launch.spec.userIdentity, launch.pool, taskId);
    if ("failureInfo" in identity) return finish(preProcessing(identity.failureInfo));
    const prepId = jobPreparationId(launch.job);
    const env = buildTaskEnvironment({
      kind: launch.kind,
      accountName: deps.account.accountName,
      accountUrl: deps.account.batchUrl,
      poolId: launch.poolId,
      nodeId: launch.nodeId,
      isDedicated: node.isDedicated,
      node: nodeDirs,
      task: layout,
      jobId: launch.jobId,
      taskId,
      jobPreparationDir: prepId !== undefined && launch.jobId !== undefined ? path.join(jobDir(node.rootDir, launch.jobId), prepId) : undefined,
      user: identity.user,
      appPackages,
      jobSettings: launch.job?.commonEnvironmentSettings,
      taskSettings: launch.spec.environmentSettings,
      authenticationTokenSettings: launch.spec.authenticationTokenSettings,
      accountKey: deps.account.accountKey,
    });

    const resourceFiles = list(launch.spec.resourceFiles);
    if (resourceFiles.length > 0) {
      try {
        await downloadResourceFiles(resourceFiles as never, {
          workingDir: layout.workingDir,
          autoStorage: deps.account.storage,
          logger: deps.logger,
          signal: control.anySignal,
        });
      } catch (error) {
        if (control.reason) return finish(control.outcome(limit));
        if (error instanceof ResourceFileError) return finish(preProcessing(asFailure(error.failureInfo, "BlobDownloadMiscError")));
        return finish(
          preProcessing({ category: "servererror", code: "BlobDownloadMiscError", message: redactSecrets(String((error as Error)?.message ?? error)) }),
        );
      }
    }
    if (control.reason) return finish(control.outcome(limit));

    const commandLine = typeof launch.spec.commandLine === "string" ? launch.spec.commandLine : "";
    const argv = await splitCommandLine(commandLine);
    if (argv.length === 0) return finish(preProcessing(launchFailed("the command line is empty")));

    const taskDir = foldersUnmade ? "unmade" : freshTaskDir && resourceFiles.length === 0 ? "fresh" : "used";
    const request = await taskSpawnRequest({ launch, identity, argv, env, node: nodeDirs, task: layout, logger: deps.logger, taskDir });
    if ("failureInfo" in request) return finish(preProcessing(request.failureInfo));
    // made by the spawner from here on, or its failure says so
    foldersUnmade = false;
    const spawn = deps.spawn ?? ((spawnRequest: SpawnRequest) => spawnWithFigures(spawnRequest, path.join(deps.account.dataDir, "figures")));
    let started: StartedProcess;
    try {
      started = await spawn(request);
    } catch (error) {
      if (error instanceof LauncherLostError) {
        deps.logger.warn(`${what}: ${error.message}; requeued`);
        control.stop("requeue");
        return finish(control.outcome(limit));
      }
      if (error instanceof TaskFolderError) return finish(preProcessing(launchFailed(`cannot create the task directory: ${error.message}`)));
      const code = (error as NodeJS.ErrnoException).code;
      deps.logger.warn(`${what}: could not start ${redactSecrets(argv[0])}: ${code ?? redactSecrets((error as Error).message)}`);
      return finish(preProcessing(code === "ENOENT" ? programNotFound(argv[0]) : launchFailed(`${argv[0]}: ${code ?? (error as Error).message}`)));
    }
    deps.logger.info(`${what}: started pid ${started.pid}: ${redactSecrets(commandLine)}`);
    onStarted?.(started.pid, layout.taskDir);

    let stopping: Promise<ProcessExit> | undefined;
    const stop = () => (stopping ??= terminateGroup(started, deps.killGraceMs));
    if (control.anySignal.aborted) stop();
    control.anySignal.addEventListener("abort", stop, { once: true });
    const exit = await started.exited;
    figures = exit.figures;
    control.anySignal.removeEventListener("abort", stop);
    cancelClock();
    if (stopping) await stopping;
    if (exit.lost) {
      // nobody saw it exit: stop whatever is left of its group and run the task again, as after a service crash
      deps.logger.warn(`${what}: pid ${started.pid}'s exit status was lost with the spawn launcher; requeued`);
      control.stop("requeue");
      await terminateGroup(started, deps.killGraceMs);
      return finish({ pid: started.pid, ...control.outcome(limit) });
    }
    const exitCode = exitCodeOf(exit);
    deps.logger.info(`${what}: pid ${started.pid} exited with ${exitCode}${control.reason ? ` (${control.reason})` : ""}`);
    const pid = started.pid;
    if (control.reason && control.reason !== "timeout") return finish({ exitCode, pid, ...control.outcome(limit) });

    const outputFiles = list(launch.spec.outputFiles);
    let uploadFailure: TaskFailureInfo | undefined;
    if (outputFiles.length > 0) {
      try {
        const upload = await uploadOutputFiles(outputFiles as never, {
          workingDir: layout.workingDir,
          taskDir: layout.taskDir,
          exitCode,
          env,
          autoStorage: deps.account.storage,
          logger: deps.logger,
          signal: control.killSignal,
        });
        if (upload.failureInfo) uploadFailure = asFailure(upload.failureInfo, "FileUploadMiscError");
      } catch (error) {
        if (control.killSignal.aborted) return finish({ exitCode, pid, ...control.outcome(limit) });
        uploadFailure = { category: "servererror", code: "FileUploadMiscError", message: redactSecrets(String((error as Error)?.message ?? error)) };
      }
    }
    if (control.reason === "timeout") return finish({ exitCode, pid, ...control.outcome(limit) });
    if (uploadFailure) return finish({ exitCode, pid, failureKind: "fileUpload", failureInfo: uploadFailure });
    return finish({ exitCode, pid });
  } finally {
    cancelClock();
  }
}
