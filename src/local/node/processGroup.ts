// Why: starts a task process in its own process group with its output in files, and kills whole groups (a task's children included).
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the process that watched it (the spawn launcher) died first: the exit status is unknown */
  lost?: boolean;
  /** its CPU and I/O with its waited-for descendants (store/lifetimeTotals.ts indexes), where they were measured */
  figures?: number[];
}

export interface StartedProcess {
  pid: number;
  exited: Promise<ProcessExit>;
}

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stdoutFile: string;
  stderrFile: string;
  /** run as this user/group (numeric ids) where set */
  uid?: number;
  gid?: number;
  /**
   * folders to make first, in order (the task directory, wd/, certs/), each given to uid/gid; a folder that exists is
   * left as it is. The Python launcher makes them off the service's thread; otherwise makeRequestFolders does, here.
   */
  makeDirs?: string[];
}

/** The task's folders could not be made (makeDirs): nothing was started. */
export class TaskFolderError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "TaskFolderError";
  }
}

/** Makes a request's makeDirs (parents as needed, those not given away) and returns the request without them. */
export function makeRequestFolders(request: SpawnRequest): SpawnRequest {
  if (!request.makeDirs) return request;
  const { makeDirs, ...rest } = request;
  for (const folder of makeDirs) {
    try {
      try {
        fs.mkdirSync(folder);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") continue;
        if (code !== "ENOENT") throw error;
        // the job's first task on this node: its folder first
        fs.mkdirSync(folder, { recursive: true });
      }
      if (request.uid !== undefined || request.gid !== undefined) fs.chownSync(folder, request.uid ?? -1, request.gid ?? -1);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new TaskFolderError(`${folder}: ${code ?? (error as Error).message}`, code);
    }
  }
  return rest;
}

/**
 * The one way a task process is started, in the service and in the spawn launcher: argv[0] (PATH from `env`, no shell)
 * as a process group leader, stdout/stderr into files that are truncated first (a retry starts them afresh in the same
 * task directory) and belong to the task's user. Throws synchronously only for bad arguments or unopenable files; spawn errors come as its "error" event.
 */
export function spawnTaskProcess(request: SpawnRequest): ChildProcess {
  const out = fs.openSync(request.stdoutFile, "w");
  try {
    const err = fs.openSync(request.stderrFile, "w");
    try {
      // made by the service's user: they belong to the task's, as if it had made them (its task directory is its own)
      if (request.uid !== undefined || request.gid !== undefined) for (const fd of [out, err]) fs.fchownSync(fd, request.uid ?? -1, request.gid ?? -1);
      return spawn(request.argv[0], request.argv.slice(1), {
        cwd: request.cwd,
        env: request.env,
        detached: true,
        stdio: ["ignore", out, err],
        windowsHide: true,
        ...(request.uid !== undefined ? { uid: request.uid } : {}),
        ...(request.gid !== undefined ? { gid: request.gid } : {}),
      });
    } finally {
      fs.closeSync(err);
    }
  } finally {
    fs.closeSync(out);
  }
}

/** Starts a task process (spawnTaskProcess) here; rejects with the spawn error (ENOENT, EACCES, …). */
export function spawnInGroup(request: SpawnRequest): Promise<StartedProcess> {
  const child = spawnTaskProcess(request);
  const exited = new Promise<ProcessExit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise<StartedProcess>((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", () => {
      child.removeListener("error", reject);
      child.on("error", () => undefined);
      resolve({ pid: child.pid!, exited });
    });
  });
}

/** The exit code as a shell reports it: the process's own code, or 128 + the number of the signal that killed it. */
export function exitCodeOf(exit: ProcessExit): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal ? os.constants.signals[exit.signal] : undefined;
  return 128 + (number ?? 0);
}

/** Sends a signal to a whole process group; false if the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM to the group, then SIGKILL to whatever of it is left after `graceMs`. Resolves once the leader has exited
 * and the group is gone (or was SIGKILLed).
 */
export async function terminateGroup(started: StartedProcess, graceMs: number): Promise<ProcessExit> {
  const deadline = Date.now() + graceMs;
  signalGroup(started.pid, "SIGTERM");
  const timer = sleep(graceMs).then(() => undefined);
  const exit = await Promise.race([started.exited, timer]);
  if (exit === undefined) signalGroup(started.pid, "SIGKILL");
  const result = exit ?? (await started.exited);
  while (signalGroup(started.pid, 0)) {
    if (Date.now() >= deadline) {
      signalGroup(started.pid, "SIGKILL");
      break;
    }
    await sleep(50);
  }
  return result;
}

/** Processes whose process group is `pgid`, from /proc (Linux); undefined where /proc cannot tell. */
export function groupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(path.join("/proc", entry, "stat"), "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return members;
}

/** True if the process's environment contains `marker` (a `NAME=value` prefix), as read from /proc. */
export function environmentHas(pid: number, marker: string): boolean {
  try {
    return fs
      .readFileSync(path.join("/proc", String(pid), "environ"), "utf8")
      .split("\0")
      .some((entry) => entry.startsWith(marker));
  } catch {
    return false;
  }
}
