// Why: the messages between the local service and its spawn launcher process (spawnLauncherMain.ts), in one place for both sides.
import type { SpawnRequest } from "./processGroup";

/** service → launcher: start one task process (ids are chosen by the service, unique per launcher). */
export interface LaunchMessage extends SpawnRequest {
  type: "spawn";
  id: number;
}

/** launcher → service: the process runs (as its own process group leader), could not be started, or exited. */
export type LauncherReply =
  | { type: "spawned"; id: number; pid: number }
  | { type: "failed"; id: number; code?: string; message: string }
  | { type: "exit"; id: number; code: number | null; signal: NodeJS.Signals | null };

/** the environment variable that tells the launcher how long to wait between SIGTERM and SIGKILL when the service is gone */
export const LAUNCHER_GRACE_ENV = "BATCH_MANAGER_LAUNCHER_GRACE_MS";
