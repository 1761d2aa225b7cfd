// Why: the exact environment a Batch Linux node gives a task (node-environment.md (a)), built from nothing: the service's own environment is not inherited.
import * as path from "node:path";
import { issueJobToken } from "../protocol/jobToken";
import type { TaskKind } from "./nodeAgent";
import type { NodeLayout, TaskLayout } from "./taskLayout";
import type { TaskUser } from "./taskUser";

/** Observed value of AZ_BATCH_TASK_RESERVED_EPHEMERAL_DISK_SPACE_BYTES (the node has no DiskFull detection locally). */
export const RESERVED_EPHEMERAL_DISK_SPACE_BYTES = "1000000";
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface EnvironmentInput {
  kind: TaskKind;
  accountName: string;
  /** the account URL; a trailing `/` is added as on real nodes */
  accountUrl: string;
  poolId: string;
  nodeId: string;
  isDedicated: boolean;
  node: NodeLayout;
  task: TaskLayout;
  /** absent for the start task */
  jobId?: string;
  taskId?: string;
  /** the job preparation task's directory when the job has one (ignored for the start task and the prep task itself) */
  jobPreparationDir?: string;
  user: TaskUser;
  /** AZ_BATCH_APP_PACKAGE_* of the pool's and the task's packages */
  appPackages: Record<string, string>;
  /** job commonEnvironmentSettings (wire list of {name, value}) */
  jobSettings?: unknown;
  /** the task's environmentSettings */
  taskSettings?: unknown;
  /** the account's key, for tasks that ask for the runtime's local auth mode (see localAuthSettings) and to sign AZ_BATCH_AUTHENTICATION_TOKEN */
  accountKey?: string;
  /** the task's authenticationTokenSettings (tasks and job manager tasks only) */
  authenticationTokenSettings?: unknown;
}

/**
 * `authenticationTokenSettings: { access: ["job"] }` on a task or job manager task → AZ_BATCH_AUTHENTICATION_TOKEN, a
 * bearer token the local service accepts for that job's operations only (protocol/jobToken.ts). Made when the process
 * starts, never stored or logged; other task kinds and tasks without the setting get none.
 */
function authenticationToken(input: EnvironmentInput): string | undefined {
  if ((input.kind !== "task" && input.kind !== "jobManager") || input.jobId === undefined || input.accountKey === undefined) return undefined;
  const access = (input.authenticationTokenSettings as { access?: unknown } | undefined)?.access;
  const grantsJob = Array.isArray(access) && access.some((scope) => typeof scope === "string" && scope.toLowerCase() === "job");
  return grantsJob ? issueJobToken(input.accountName, input.accountKey, input.jobId) : undefined;
}

/**
 * A task whose settings say `BATCH_AUTH_MODE=local` (what the runtime's submit and the debug adapter put in a local job)
 * gets the account's name and key as BATCH_ACCOUNT_NAME / BATCH_ACCOUNT_KEY unless its settings give them: the local
 * node's credential, as a pool's managed identity is on Azure. It is added when the process starts, never stored in the
 * job or task, so no API answer shows it; a key the local service chose itself (`<data>/key`) is not known otherwise.
 */
function addLocalAuth(env: Record<string, string>, accountName: string, accountKey: string | undefined): void {
  if (accountKey === undefined || env.BATCH_AUTH_MODE?.trim().toLowerCase() !== "local") return;
  env.BATCH_ACCOUNT_NAME ??= accountName;
  env.BATCH_ACCOUNT_KEY ??= accountKey;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function applySettings(env: Record<string, string>, settings: unknown): void {
  if (!Array.isArray(settings)) return;
  for (const setting of settings as { name?: unknown; value?: unknown }[]) {
    if (typeof setting?.name !== "string" || setting.name === "") continue;
    env[setting.name] = typeof setting.value === "string" ? setting.value : "";
  }
}

/** Node variables, then app packages, then the job's common settings, then the task's own settings (which win). */
export function buildTaskEnvironment(input: EnvironmentInput): Record<string, string> {
  const { node, task } = input;
  const env: Record<string, string> = {
    AZ_BATCH_ACCOUNT_NAME: input.accountName,
    AZ_BATCH_ACCOUNT_URL: withTrailingSlash(input.accountUrl),
    AZ_BATCH_POOL_ID: input.poolId,
    AZ_BATCH_NODE_ID: input.nodeId,
    AZ_BATCH_NODE_IS_DEDICATED: String(input.isDedicated),
    AZ_BATCH_NODE_ROOT_DIR: node.rootDir,
    AZ_BATCH_NODE_SHARED_DIR: node.sharedDir,
    AZ_BATCH_NODE_STARTUP_DIR: node.startupDir,
    AZ_BATCH_NODE_MOUNTS_DIR: node.mountsDir,
    AZ_BATCH_TASK_DIR: task.taskDir,
    AZ_BATCH_TASK_WORKING_DIR: task.workingDir,
    AZ_BATCH_CERTIFICATES_DIR: task.certsDir,
    AZ_BATCH_TASK_USER: input.user.name,
    AZ_BATCH_TASK_USER_IDENTITY: input.user.identity,
    AZ_BATCH_TASK_RESERVED_EPHEMERAL_DISK_SPACE_BYTES: RESERVED_EPHEMERAL_DISK_SPACE_BYTES,
    HOME: task.workingDir,
    PWD: task.workingDir,
    USER: input.user.name,
    PATH: `${SYSTEM_PATH}:${node.sharedDir}:${task.workingDir}`,
  };
  const token = authenticationToken(input);
  if (token !== undefined) env.AZ_BATCH_AUTHENTICATION_TOKEN = token;
  if (input.kind !== "startTask") {
    if (input.jobId !== undefined) env.AZ_BATCH_JOB_ID = input.jobId;
    if (input.taskId !== undefined) env.AZ_BATCH_TASK_ID = input.taskId;
    if (input.kind !== "jobPreparation" && input.jobPreparationDir !== undefined) {
      env.AZ_BATCH_JOB_PREP_DIR = input.jobPreparationDir;
      env.AZ_BATCH_JOB_PREP_WORKING_DIR = path.join(input.jobPreparationDir, "wd");
    }
  }
  Object.assign(env, input.appPackages);
  if (input.kind !== "startTask") applySettings(env, input.jobSettings);
  applySettings(env, input.taskSettings);
  addLocalAuth(env, input.accountName, input.accountKey);
  return env;
}
