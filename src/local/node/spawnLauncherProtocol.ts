// Why: the messages between the local service and its spawn launcher (spawn_launcher.py, or spawnLauncherMain.ts), one JSON object per line on its stdin and stdout.
import type { SpawnRequest } from "./processGroup";

/** service → launcher: start one task process (ids are chosen by the service, unique per launcher). */
export interface LaunchMessage extends SpawnRequest {
  type: "spawn";
  id: number;
}

/** A task process's CPU (ms) and I/O, with every descendant it waited for, as the Python launcher measures them. */
export interface MeasuredFigures {
  userMs: number;
  kernelMs: number;
  readBytes: number;
  writeBytes: number;
  readOps: number;
  writeOps: number;
}

/**
 * launcher → service: it is ready, then per request: the process runs (as its own session and process group leader),
 * could not be started, or exited; or the (account) launcher that had it died, so its outcome is unknown.
 */
export type LauncherReply =
  | { type: "ready" }
  | { type: "spawned"; id: number; pid: number }
  /** folders: making the request's makeDirs failed (nothing was started) */
  | { type: "failed"; id: number; code?: string; message: string; folders?: boolean }
  | { type: "exit"; id: number; code: number | null; signal: NodeJS.Signals | null; figures?: MeasuredFigures | null }
  | { type: "lost"; id: number };

/** the environment variable that tells the launcher how long to wait between SIGTERM and SIGKILL when the service is gone */
export const LAUNCHER_GRACE_ENV = "BATCH_MANAGER_LAUNCHER_GRACE_MS";

/** Calls `onLine` with each complete line read from a stream of chunks (the launcher protocol's framing). */
export function lineReader(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let pending = "";
  return (chunk) => {
    const lines = (pending + chunk.toString()).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) onLine(line);
  };
}
