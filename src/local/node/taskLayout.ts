// Why: where a Batch node keeps things: the node root's fixed folders and each task kind's task/working directories.
import * as fs from "node:fs";
import * as path from "node:path";
import type { TaskLaunch } from "./nodeAgent";

/** The folders every node root has (files-and-directories.md); `volatile/` is internal and not created. */
export const NODE_FOLDERS = ["applications", "fsmounts", "shared", "startup", "workitems"] as const;

export const DEFAULT_JOB_PREPARATION_ID = "jobpreparation";
export const DEFAULT_JOB_RELEASE_ID = "jobrelease";

export interface NodeLayout {
  rootDir: string;
  applicationsDir: string;
  sharedDir: string;
  startupDir: string;
  mountsDir: string;
  workitemsDir: string;
}

export interface TaskLayout {
  /** AZ_BATCH_TASK_DIR: holds stdout.txt, stderr.txt, certs/ and wd/ */
  taskDir: string;
  /** AZ_BATCH_TASK_WORKING_DIR */
  workingDir: string;
  /** AZ_BATCH_CERTIFICATES_DIR */
  certsDir: string;
  stdoutFile: string;
  stderrFile: string;
}

export function nodeLayout(rootDir: string): NodeLayout {
  return {
    rootDir,
    applicationsDir: path.join(rootDir, "applications"),
    sharedDir: path.join(rootDir, "shared"),
    startupDir: path.join(rootDir, "startup"),
    mountsDir: path.join(rootDir, "fsmounts"),
    workitemsDir: path.join(rootDir, "workitems"),
  };
}

/** `<dataDir>/nodes/<poolId>/<nodeId>` */
export function nodeRootDir(dataDir: string, poolId: string, nodeId: string): string {
  return path.join(dataDir, "nodes", poolId, nodeId);
}

export function createNodeFolders(rootDir: string): void {
  for (const folder of NODE_FOLDERS) fs.mkdirSync(path.join(rootDir, folder), { recursive: true });
}

/** `workitems/<jobId>/job-1`: the job directory of a plain (non-schedule) job. */
export function jobDir(rootDir: string, jobId: string): string {
  return path.join(rootDir, "workitems", jobId, "job-1");
}

/** The id of the job's preparation task, when the job has one. */
export function jobPreparationId(job: Record<string, unknown> | undefined): string | undefined {
  const prep = job?.jobPreparationTask as { id?: unknown } | undefined;
  if (!prep) return undefined;
  return typeof prep.id === "string" && prep.id !== "" ? prep.id : DEFAULT_JOB_PREPARATION_ID;
}

/** The directory name a launch uses inside the job directory: the task id (prep/release: their ids or defaults). */
function taskFolderName(launch: TaskLaunch): string {
  const specId = typeof launch.spec.id === "string" && launch.spec.id !== "" ? launch.spec.id : undefined;
  switch (launch.kind) {
    case "jobPreparation":
      return specId ?? launch.taskId ?? DEFAULT_JOB_PREPARATION_ID;
    case "jobRelease":
      return specId ?? launch.taskId ?? DEFAULT_JOB_RELEASE_ID;
    default:
      if (launch.taskId === undefined) throw new Error(`a ${launch.kind} launch needs a taskId`);
      return launch.taskId;
  }
}

/** The id a launch reports as AZ_BATCH_TASK_ID (absent for the start task). */
export function launchTaskId(launch: TaskLaunch): string | undefined {
  return launch.kind === "startTask" ? undefined : taskFolderName(launch);
}

export function taskLayout(rootDir: string, launch: TaskLaunch): TaskLayout {
  let taskDir: string;
  if (launch.kind === "startTask") {
    taskDir = path.join(rootDir, "startup");
  } else {
    if (launch.jobId === undefined) throw new Error(`a ${launch.kind} launch needs a jobId`);
    taskDir = path.join(jobDir(rootDir, launch.jobId), taskFolderName(launch));
  }
  return {
    taskDir,
    workingDir: path.join(taskDir, "wd"),
    certsDir: path.join(taskDir, "certs"),
    stdoutFile: path.join(taskDir, "stdout.txt"),
    stderrFile: path.join(taskDir, "stderr.txt"),
  };
}

/** Creates the task directory, wd/ and certs/; a retry reuses them as they are. True if the task directory is new (empty but for those two). */
export function createTaskFolders(layout: TaskLayout): boolean {
  try {
    fs.mkdirSync(layout.taskDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      fs.mkdirSync(layout.workingDir, { recursive: true });
      fs.mkdirSync(layout.certsDir, { recursive: true });
      return false;
    }
    if (code !== "ENOENT") throw error;
    // the job's first task on this node: its folder first
    fs.mkdirSync(layout.taskDir, { recursive: true });
  }
  fs.mkdirSync(layout.workingDir);
  fs.mkdirSync(layout.certsDir);
  return true;
}
