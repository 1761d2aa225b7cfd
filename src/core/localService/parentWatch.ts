// Why: `local start --parent-pid [--parent-grace]`: stop when the editor that started the service is gone, after a grace period in which a reloaded window may adopt it.
import type { Logger } from "../../local/common/logger";
import { type OwnerFile, ownerIsLive, readOwnerFile, sameOwner, writeOwnerFile } from "./ownerFile";
import { isAlive } from "./serviceFile";

export interface ParentWatchOptions {
  readonly dataDir: string;
  readonly parentPid: number;
  /** 0: stop within a tick of the parent's end (no owner file, no adoption) */
  readonly graceSeconds: number;
  readonly logger: Logger;
  /** the service's stop; called once */
  readonly stop: (reason: string) => void;
  readonly servicePid?: number;
  readonly tickMs?: number;
}

/**
 * Checks every tick that the service's owner lives. With a grace period, the owner is whoever the data folder's
 * service.owner names (first the parent, then a controller that adopted the service); once it is gone or lets the
 * service go, the service keeps running for the grace period and stops when that expires without an adoption.
 */
export function watchParent(options: ParentWatchOptions): { dispose(): void } {
  const { dataDir, graceSeconds, logger } = options;
  const servicePid = options.servicePid ?? process.pid;
  const tickMs = options.tickMs ?? 500;
  let stopped = false;
  const stop = (reason: string) => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    options.stop(reason);
  };
  let current: Pick<OwnerFile, "pid" | "ownerId" | "processStart"> = { pid: options.parentPid };
  if (graceSeconds > 0) current = writeOwnerFile(dataDir, { servicePid, pid: options.parentPid, graceSeconds });
  let orphanedAt: number | undefined;
  const tick = () => {
    if (graceSeconds <= 0) {
      if (!isAlive(options.parentPid)) stop(`the end of parent process ${options.parentPid}`);
      return;
    }
    const file = readOwnerFile(dataDir);
    const owner = file?.servicePid === servicePid ? file : undefined;
    if (owner && !sameOwner(owner, current)) {
      current = owner;
      if (!owner.released) logger.info(`adopted by pid ${owner.pid}: watching it instead`);
    }
    const live = owner ? ownerIsLive(owner) : isAlive(current.pid);
    if (live) {
      orphanedAt = undefined;
      return;
    }
    if (orphanedAt === undefined) {
      orphanedAt = Date.now();
      const why = owner?.released ? `owner pid ${owner.pid} let the service go` : `parent process ${current.pid} ended`;
      logger.info(`${why}; waiting ${graceSeconds} s for an editor to adopt the service before stopping`);
    }
    if (Date.now() - orphanedAt >= graceSeconds * 1000) {
      logger.info(`grace period of ${graceSeconds} s expired without an adoption; stopping`);
      stop(`the grace period after its owner (pid ${current.pid}) ended`);
    }
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
