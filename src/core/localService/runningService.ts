// Why: finds the local service that runs (or is starting) for a data folder, from its service.json and its lock, without asking it anything.

import { setTimeout as delay } from "node:timers/promises";
import { UserCancelledError } from "../cancellation";
import { connectionOf, type LocalConnection } from "./connection";
import { resolveLocalDataDir } from "./dataDir";
import { dataFolderLockHolder } from "./dataFolderLock";
import { isAlive, readServiceFile } from "./serviceFile";

/**
 * While another process holds the data folder's lock but has not yet written its service.json (it is starting: Azurite,
 * state replay), waits for it and returns its connection; undefined when nothing is running or starting.
 */
export async function waitForStartingService(
  dataDir: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<LocalConnection | undefined> {
  const folder = resolveLocalDataDir(dataDir);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const running = runningLocalService(folder);
    if (running) return running;
    const holder = dataFolderLockHolder(folder);
    if (!holder) return undefined;
    if (options.signal?.aborted) throw new UserCancelledError("start");
    if (Date.now() > deadline)
      throw new Error(
        `a local Batch service (pid ${holder.pid}) is still starting with data folder ${folder}; wait for it, or stop it with 'batch-manager local stop --data ${folder}'`,
      );
    await delay(100);
  }
}

/** The service running for the data folder (from its service.json), if any. */
export function runningLocalService(dataDir?: string): LocalConnection | undefined {
  const folder = resolveLocalDataDir(dataDir);
  const file = readServiceFile(folder);
  return file && isAlive(file.pid) ? connectionOf({ running: true, ...file }, folder) : undefined;
}
