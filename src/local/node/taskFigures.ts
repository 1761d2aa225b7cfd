// Why: measures a task attempt's CPU and I/O (the process and every descendant it waited for) through a tiny dash wrapper, since Node reaps children without rusage.
import * as fs from "node:fs";
import * as path from "node:path";
import { FIGURE_COUNT, KERNEL_MS, READ_BYTES, READ_OPS, type TaskFigures, USER_MS, WRITE_BYTES, WRITE_OPS } from "../store/lifetimeTotals";
import { acquireFiguresFile, releaseFiguresFile } from "./figuresFiles";
import { makeRequestFolders, type SpawnRequest, type StartedProcess, spawnInGroup } from "./processGroup";
import type { MeasuredFigures } from "./spawnLauncherProtocol";

export type { TaskFigures } from "../store/lifetimeTotals";

/** USER_HZ: the unit of the times in /proc/<pid>/stat (100 on every Linux architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/**
 * The wrapper, run as `dash -c SCRIPT <figures file> <attempt token> <argv...>`. It writes the token, its figures and `end`
 * over the start of the file without truncating it (the file is reused from attempt to attempt; truncating costs more
 * than a trivial task on some file systems): what follows `end` is an earlier attempt's and is ignored. Its own stderr goes to /dev/null (so it never adds
 * "Segmentation fault" or similar to the task's stderr.txt); the task runs in a subshell that restores stderr and execs
 * the argv, so the task is dash's child with its own argv and environment. Trapped signals (a handler, not "ignore")
 * reach the task with their default action, and dash waits for it before writing the figures. In /proc/<dash>/stat,
 * cutime/cstime then hold the CPU time of the task and every descendant that was waited for; /proc/<dash>/io holds their
 * I/O (the wrapper's own reading and writing of the stat line is subtracted when parsed). A task killed by signal N makes dash exit 128+N,
 * the same exit code the service reports for the signal.
 */
const SCRIPT =
  'exec 9>&2 2>/dev/null; trap : HUP INT QUIT TERM USR1 USR2 ALRM; t=$1; shift; (exec 2>&9 9>&-; exec "$@"); r=$?; exec 9>&-; ' +
  '{ echo "$t" && read -r s </proc/$$/stat && echo "$s" && while read -r l; do echo "$l"; done </proc/$$/io; echo end; } 1<>"$0"; exit $r';

const PORTABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** variables dash resets or rewrites when it starts: the task would see other values */
const SHELL_OWNED = new Set(["IFS", "OPTIND", "PPID"]);

let dashPath: string | null | undefined;

/** dash, where this is Linux with /proc I/O accounting; null otherwise (figures are then not measured). */
function findDash(): string | null {
  if (dashPath !== undefined) return dashPath;
  dashPath = null;
  if (process.platform !== "linux") return dashPath;
  try {
    fs.accessSync("/proc/self/io", fs.constants.R_OK);
  } catch {
    return dashPath;
  }
  for (const candidate of ["/bin/dash", "/usr/bin/dash"]) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      dashPath = candidate;
      break;
    } catch {
      // not here
    }
  }
  return dashPath;
}

/** The environment reaches the task unchanged through dash: portable names only, none dash rewrites, PWD already right. */
function passesThroughDash(env: Record<string, string>, cwd: string): boolean {
  for (const name of Object.keys(env)) if (!PORTABLE_NAME.test(name) || SHELL_OWNED.has(name)) return false;
  const pwd = env.PWD;
  return pwd !== undefined && pwd === cwd && path.isAbsolute(pwd) && path.normalize(pwd) === pwd && !pwd.endsWith("/");
}

function executableBy(file: string, uid: number | undefined, gid: number | undefined): boolean {
  try {
    const stats = fs.statSync(file);
    if (!stats.isFile()) return false;
    if (uid === undefined || uid === process.getuid?.()) {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    }
    if (uid === 0) return (stats.mode & 0o111) !== 0;
    if (stats.uid === uid) return (stats.mode & 0o100) !== 0;
    if (gid !== undefined && stats.gid === gid) return (stats.mode & 0o010) !== 0;
    return (stats.mode & 0o001) !== 0;
  } catch {
    return false;
  }
}

/**
 * True if argv[0] names an executable file as execvp would find it (PATH from the task's environment). Only then is the
 * task wrapped: a program that cannot be started must still fail to start (the launch error the service reports), not
 * become an exit code 127 of the wrapper.
 */
function programFound(request: SpawnRequest): boolean {
  const program = request.argv[0];
  if (!program) return false;
  if (program.includes("/")) return executableBy(path.resolve(request.cwd, program), request.uid, request.gid);
  const searchPath = request.env.PATH;
  if (!searchPath) return false;
  return searchPath.split(":").some((dir) => executableBy(path.resolve(request.cwd, dir || ".", program), request.uid, request.gid));
}

/** attempts measured by this process: each writes its own token, so a file's earlier content is never taken for its figures */
let attempts = 0;

/** One attempt's measurement: the request to spawn instead, and how to read the figures once it exited. */
export interface FiguresProbe {
  request: SpawnRequest;
  /** the figures (without wall clock time), or undefined where the task could not be measured; frees the file for reuse (once) */
  read(options?: { discard?: boolean }): TaskFigures | undefined;
}

/**
 * Wraps the spawn request so the attempt's figures can be read after it exits. Unchanged (figures undefined) where they
 * cannot be measured faithfully: not Linux, no dash, an environment dash would not pass on unchanged, a program that
 * is not found (it must fail to start as before), or no place to write the figures.
 */
export function figuresProbe(request: SpawnRequest, figuresDir: string): FiguresProbe {
  const dash = findDash();
  const unchanged: FiguresProbe = { request, read: () => undefined };
  if (!dash || !passesThroughDash(request.env, request.cwd) || !programFound(request)) return unchanged;
  let entry: ReturnType<typeof acquireFiguresFile>;
  try {
    entry = acquireFiguresFile(figuresDir, request.uid, request.gid);
  } catch {
    return unchanged;
  }
  let read = false;
  const token = `${process.pid}.${++attempts}`;
  return {
    request: { ...request, argv: [dash, "-c", SCRIPT, entry.file, token, ...request.argv] },
    read: (options) => {
      if (read) return undefined;
      read = true;
      // a wrapper whose end was not seen (the launcher died) may still write: its file is not reused
      const text = releaseFiguresFile(figuresDir, entry, options?.discard === true);
      try {
        return text === "" ? undefined : parseFigures(text, token);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Starts a task process under the dash wrapper (where it can be measured) with `spawn`, its folders (makeDirs) made
 * first; its exit then carries the figures. Used where the process is started by Node: the service itself, or the Node
 * spawn launcher.
 */
export async function spawnWithFigures(
  request: SpawnRequest,
  figuresDir: string,
  spawn: (request: SpawnRequest) => Promise<StartedProcess> = spawnInGroup,
): Promise<StartedProcess> {
  const probe = figuresProbe(makeRequestFolders(request), figuresDir);
  let started: StartedProcess;
  try {
    started = await spawn(probe.request);
  } catch (error) {
    probe.read();
    throw error;
  }
  const exited = started.exited.then((exit) => {
    const figures = probe.read({ discard: exit.lost === true });
    return figures ? { ...exit, figures } : exit;
  });
  return { pid: started.pid, exited };
}

/** The figures the Python launcher measured, as the store keeps them (CPU to whole microseconds; no wall clock time). */
export function figuresFromMeasured(measured: MeasuredFigures): TaskFigures {
  const figures: TaskFigures = new Array(FIGURE_COUNT).fill(0);
  figures[USER_MS] = Math.round(measured.userMs * 1000) / 1000;
  figures[KERNEL_MS] = Math.round(measured.kernelMs * 1000) / 1000;
  figures[READ_OPS] = measured.readOps;
  figures[WRITE_OPS] = measured.writeOps;
  figures[READ_BYTES] = measured.readBytes;
  figures[WRITE_BYTES] = measured.writeBytes;
  return figures;
}

/** The figures from the wrapper's file: its /proc/<pid>/stat line, then its /proc/<pid>/io lines. */
export function parseFigures(text: string, token: string): TaskFigures | undefined {
  const lines = text.split("\n");
  const end = lines.indexOf("end");
  // another attempt's content, or a write cut short (the wrapper was killed): no figures
  if (lines[0] !== token || end < 2) return undefined;
  const statLine = lines[1];
  const fields = statLine.slice(statLine.lastIndexOf(")") + 2).split(" ");
  // after "pid (comm) ": state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime, stime, cutime, cstime
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  if (!Number.isFinite(cutime) || !Number.isFinite(cstime)) return undefined;
  const io = new Map<string, number>();
  for (const line of lines.slice(2, end)) {
    const match = /^(\w+):\s*(\d+)$/.exec(line.trim());
    if (match) io.set(match[1], Number(match[2]));
  }
  // before /proc/<pid>/io was generated the wrapper wrote the token (one write(2)), read the stat line one byte per
  // read(2) and wrote it (one write(2))
  const own = statLine.length + 1;
  const tokenBytes = token.length + 1;
  const figures: TaskFigures = new Array(FIGURE_COUNT).fill(0);
  figures[USER_MS] = (cutime * 1000) / TICKS_PER_SECOND;
  figures[KERNEL_MS] = (cstime * 1000) / TICKS_PER_SECOND;
  figures[READ_OPS] = Math.max(0, (io.get("syscr") ?? 0) - own);
  figures[WRITE_OPS] = Math.max(0, (io.get("syscw") ?? 0) - 2);
  figures[READ_BYTES] = Math.max(0, (io.get("rchar") ?? 0) - own);
  figures[WRITE_BYTES] = Math.max(0, (io.get("wchar") ?? 0) - own - tokenBytes);
  return figures;
}
