// Why: a lease on the editor's own LocalServiceController, so a service that a debug session starts is the one the explorer shows.
import * as path from "node:path";
import { resolveLocalDataDir } from "./dataDir";
import type { LocalServiceController } from "./localServiceController";
import type { LocalServiceLease } from "./localServiceLease";

/**
 * Joins or starts the service through `controller` when the run wants the controller's data folder (undefined when it
 * wants another one: the caller then uses acquireLocalService). A service this lease starts is stopped on release, so
 * the run leaves things as it found them; one that ran before (started by the explorer, a terminal or another window) is left running.
 */
export async function controllerLease(
  controller: LocalServiceController,
  controllerDataDir: string,
  wantedDataDir: string | undefined,
  signal: AbortSignal,
): Promise<LocalServiceLease | undefined> {
  if (path.resolve(resolveLocalDataDir(wantedDataDir)) !== path.resolve(resolveLocalDataDir(controllerDataDir))) return undefined;
  const wasRunning = controller.state === "running";
  const connection = await controller.start(signal);
  const started = !wasRunning && !controller.startedElsewhere;
  return { connection, started, release: started ? () => controller.stop() : async () => undefined };
}
