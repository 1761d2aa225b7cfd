// Why: nonadmin tasks must not run as root: when the service is root, they run as an unprivileged account that is given their folders; this builds the attempt's spawn request.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Logger } from "../common/logger";
import { splitCommandLine } from "./commandLine";
import { containerDecision, containerNameOf, containerRunArgv, engineClientEnvironment } from "./containerLaunch";
import type { TaskFailureInfo, TaskLaunch } from "./nodeAgent";
import type { SpawnRequest } from "./processGroup";
import { createTaskFolders, type NodeLayout, type TaskLayout } from "./taskLayout";
import type { TaskIdentity } from "./taskUser";

/** An OS account (numeric ids) a task process runs as. */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Set to `service` to run every task as the service's own user, even when it is root (e.g. for a data folder other users cannot reach). */
export const TASK_USER_ENV = "BATCH_MANAGER_LOCAL_TASK_USER";

const FALLBACK_NOBODY: RunAs = { uid: 65534, gid: 65534, name: "nobody" };

/** `nobody` from the passwd file (65534 where it is not listed): an existing account, nothing is created on the machine. */
export function unprivilegedAccount(passwdFile = "/etc/passwd"): RunAs {
  try {
    for (const line of fs.readFileSync(passwdFile, "utf8").split("\n")) {
      const [name, , uid, gid] = line.split(":");
      if (name === "nobody" && /^\d+$/.test(uid ?? "") && /^\d+$/.test(gid ?? "")) return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no passwd file: the conventional ids
  }
  return FALLBACK_NOBODY;
}

/**
 * The account a task runs as; undefined means the service's own user. Only a root service changes user: admin
 * identities keep root (they stand for sudo rights), nonadmin ones run as the pool account's linuxUserConfiguration
 * uid/gid when it gives both, else as `nobody`.
 */
export function runAsFor(
  identity: Pick<TaskIdentity, "admin" | "account">,
  env: NodeJS.ProcessEnv = process.env,
  uid: number | undefined = process.getuid?.(),
): RunAs | undefined {
  if (uid !== 0 || identity.admin || env[TASK_USER_ENV]?.trim().toLowerCase() === "service") return undefined;
  const linux = identity.account?.linuxUserConfiguration;
  if (typeof linux?.uid === "number" && typeof linux.gid === "number") return { uid: linux.uid, gid: linux.gid, name: identity.account!.name };
  defaultAccount ??= unprivilegedAccount();
  return defaultAccount;
}

/** `nobody`, read from the passwd file once per process */
let defaultAccount: RunAs | undefined;

/** Whether `runAs` may pass through a folder (execute permission for its owner, group or others, as they apply). */
function traversable(stat: fs.Stats, runAs: RunAs): boolean {
  if (runAs.uid === 0) return true;
  if (stat.uid === runAs.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === runAs.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

function chownTree(target: string, runAs: RunAs): void {
  fs.lchownSync(target, runAs.uid, runAs.gid);
  if (!fs.lstatSync(target).isDirectory()) return;
  for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), runAs);
}

/**
 * Opens the way down to the node root for `runAs` (the service's own folders between the data folder and the node root
 * get others' execute bit, not read) and the node's shared folder to every task; returns why the account still cannot
 * reach the node (a folder above the data folder, e.g. a private home) instead of changing anything there. Done once per
 * node: a node whose shared folder is already open (0777) was prepared (a reimage makes its folders afresh).
 */
function prepareNode(runAs: RunAs, node: NodeLayout): string | undefined {
  if ((fs.statSync(node.sharedDir).mode & 0o777) === 0o777) return undefined;
  const poolDir = path.dirname(node.rootDir);
  const dataDir = path.dirname(path.dirname(poolDir));
  for (const folder of [dataDir, path.dirname(poolDir), poolDir, node.rootDir]) {
    const stat = fs.statSync(folder);
    if (!traversable(stat, runAs) && stat.uid === process.getuid?.()) fs.chmodSync(folder, (stat.mode & 0o7777) | 0o001);
  }
  for (let folder = node.rootDir; ; folder = path.dirname(folder)) {
    if (!traversable(fs.statSync(folder), runAs)) return `${runAs.name} (uid ${runAs.uid}) cannot enter ${folder}`;
    if (path.dirname(folder) === folder) break;
  }
  fs.chmodSync(node.sharedDir, 0o777);
  return undefined;
}

/** What is in the task directory when it is given to the task's account. */
export type TaskDirState =
  /** anything (a retry's, or resource files were downloaded): every entry is given away */
  | "used"
  /** made for this attempt, nothing written into it: the directory, wd/ and certs/ are given away */
  | "fresh"
  /** not made yet: the spawner makes it as the account (makeDirs) */
  | "unmade";

/**
 * Gives `runAs` what a nonadmin task has on a node: its task directory (owned), the shared folder (read/write for every
 * task, as files-and-directories.md says), and a way down to the node root. stdout.txt and stderr.txt are left to the
 * spawner, which makes them as `runAs` (spawnTaskProcess, the Python account launcher), unless `outputs` asks for them
 * here (a container's engine CLI runs as the service). Synchronous: a few system calls on a fresh task directory,
 * cheaper than a round trip through the thread pool for each.
 */
export function grantTaskFolders(runAs: RunAs, node: NodeLayout, task: TaskLayout, state: TaskDirState = "used", outputs = false): string | undefined {
  const problem = prepareNode(runAs, node);
  if (problem || state === "unmade") return problem;
  if (outputs) for (const file of [task.stdoutFile, task.stderrFile]) fs.closeSync(fs.openSync(file, "a"));
  if (state === "used") {
    chownTree(task.taskDir, runAs);
    return undefined;
  }
  // a task directory made for this attempt and not written to since holds exactly these: no need to walk it
  for (const entry of [task.taskDir, task.workingDir, task.certsDir]) fs.lchownSync(entry, runAs.uid, runAs.gid);
  if (outputs) for (const file of [task.stdoutFile, task.stderrFile]) fs.lchownSync(file, runAs.uid, runAs.gid);
  return undefined;
}

export interface TaskSpawnInput {
  launch: TaskLaunch;
  identity: TaskIdentity;
  argv: string[];
  env: Record<string, string>;
  node: NodeLayout;
  task: TaskLayout;
  logger: Logger;
  /** what the task directory holds (default "used"); "unmade": the spawner makes it, with wd/ and certs/ (makeDirs) */
  taskDir?: TaskDirState;
}

/** node roots whose "cannot drop to nobody" warning was logged (once each) */
const warned = new Set<string>();

/** The spawn request of an attempt: on the host as its account, or the engine's `run` of its container; failureInfo when it cannot run at all. */
export async function taskSpawnRequest(input: TaskSpawnInput): Promise<SpawnRequest | { failureInfo: TaskFailureInfo }> {
  const { launch, task, node } = input;
  const decision = containerDecision(launch);
  if ("failureInfo" in decision) return decision;
  let taskDir = input.taskDir ?? "used";
  // a container's engine CLI runs as the service: its folders are made here
  const makeDirs = taskDir === "unmade" && decision.kind === "host" ? [task.taskDir, task.workingDir, task.certsDir] : undefined;
  if (taskDir === "unmade" && !makeDirs) taskDir = createTaskFolders(task) ? "fresh" : "used";
  let runAs = runAsFor(input.identity);
  if (runAs) {
    let problem: string | undefined;
    try {
      problem = grantTaskFolders(runAs, node, task, taskDir, decision.kind !== "host");
    } catch (error) {
      problem = `its folders could not be given to ${runAs.name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
    if (problem) {
      if (!warned.has(node.rootDir)) {
        warned.add(node.rootDir);
        input.logger.warn(
          `node ${launch.nodeId}: nonadmin tasks run as the service's user (root) because ${problem}; put the data folder where ${runAs.name} can reach it (e.g. under /tmp or /var/lib), or set ${TASK_USER_ENV}=service to silence this`,
        );
      }
      runAs = undefined;
    }
  }
  const files = { cwd: task.workingDir, stdoutFile: task.stdoutFile, stderrFile: task.stderrFile };
  if (decision.kind === "host")
    return { ...files, argv: input.argv, env: input.env, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), ...(makeDirs ? { makeDirs } : {}) };
  // the engine's CLI runs as the service (it needs the engine's socket); the container's process runs as the task's account
  const argv = containerRunArgv({
    engine: decision.engine.command,
    settings: decision.settings,
    runOptions: await splitCommandLine(decision.settings.containerRunOptions ?? ""),
    commandArgv: input.argv,
    nodeRootDir: node.rootDir,
    workingDir: task.workingDir,
    envNames: Object.keys(input.env),
    containerName: containerNameOf(launch),
    ...(runAs ? { runAs } : {}),
  });
  return { ...files, argv, env: engineClientEnvironment(input.env) };
}
