// Why: the one way a workflow (deploy, run, debug, the testing API) gets a local service: join the one running for the data folder, or start one.

import type { Logger } from "../../local/common/logger";
import { resolveLocalDataDir } from "./dataDir";
import { startDetachedLocalService } from "./detachedStart";
import type { LocalConnection } from "./connection";
import { LocalServiceController } from "./localServiceController";
import { runningLocalService, waitForStartingService } from "./runningService";

export { runningLocalService, waitForStartingService };

export interface LocalServiceLeaseOptions {
  /** the CLI bundle that runs `local start` (dist/cli.js) */
  readonly cliPath: string;
  /** default: the shared default data folder */
  readonly dataDir?: string;
  /**
   * true: a service this call starts keeps running after the caller ends (CLI `deploy`, then `run` in another process);
   * false: it is stopped by release(), so the caller leaves things as it found them (debug sessions, tests).
   */
  readonly keepRunning: boolean;
  readonly extraArgs?: readonly string[];
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface LocalServiceLease {
  readonly connection: LocalConnection;
  /** true when this lease started the service (false: it joined one that was running) */
  readonly started: boolean;
  /** Stops the service if this lease started it and keepRunning was false; otherwise only lets go. */
  release(): Promise<void>;
}

export async function acquireLocalService(options: LocalServiceLeaseOptions): Promise<LocalServiceLease> {
  const dataDir = resolveLocalDataDir(options.dataDir);
  const running = await waitForStartingService(dataDir, { signal: options.signal });
  if (running) {
    options.logger?.info(`Joined the local Batch service at ${running.batchUrl} (data folder ${dataDir})`);
    return { connection: running, started: false, release: async () => undefined };
  }
  if (options.keepRunning) {
    const connection = await startDetachedLocalService({ cliPath: options.cliPath, dataDir, extraArgs: options.extraArgs, signal: options.signal });
    options.logger?.info(
      `Started the local Batch service at ${connection.batchUrl} (pid ${connection.pid}, data folder ${dataDir}); it keeps running — stop it with 'batch-manager local stop'`,
    );
    return { connection, started: true, release: async () => undefined };
  }
  const controller = new LocalServiceController({ cliPath: options.cliPath, dataDir: () => dataDir, extraArgs: options.extraArgs, logger: options.logger });
  const connection = await controller.start(options.signal);
  return { connection, started: !controller.startedElsewhere, release: () => controller.dispose() };
}
