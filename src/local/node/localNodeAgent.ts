// Why: the local node agent: runs task attempts on local "nodes" (folders + process groups) and keeps pools' node records in line.
import * as path from "node:path";
import type { AccountSettings } from "../common/account";
import type { ApplicationStore } from "../applications/applicationStore";
import { redactSecrets, type Logger } from "../common/logger";
import type { BatchState } from "../store/batchState";
import { ApplicationDeployer } from "./appPackages";
import { AttemptControl } from "./attemptControl";
import { AttemptRegistry, nodeKey } from "./attemptRegistry";
import { agentFailure } from "./failures";
import type { AttemptResult, NodeAgent, TaskLaunch } from "./nodeAgent";
import { PoolReconciler } from "./poolReconciler";
import { environmentHas, groupMembers, signalGroup, type SpawnRequest } from "./processGroup";
import { runAttempt } from "./runAttempt";
import { SpawnLauncher } from "./spawnLauncher";
import { nodeRootDir, taskLayout } from "./taskLayout";

export interface LocalNodeAgentDeps {
  state: BatchState;
  account: AccountSettings;
  logger: Logger;
  /** machine-wide cap on nodes over all pools (the CLI's --nodes) */
  maxNodes: number;
  applications: ApplicationStore;
  /** SIGTERM → SIGKILL grace when a process group is stopped; default 5 s */
  killGraceMs?: number;
  /** local-only: a growing pool's wait before its new nodes join (--allocation-delay); default 0 */
  allocationDelayMs?: number;
  /** local-only: how long a node stays starting (--node-start-delay); default 0 */
  nodeStartDelayMs?: number;
  /** local-only: how long leaving nodes take to go (--deallocation-delay); default 0 */
  deallocationDelayMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 5000;

function safeLayout(rootDir: string, launch: TaskLaunch): { taskDir: string; workingDir: string } {
  try {
    const layout = taskLayout(rootDir, launch);
    return { taskDir: layout.taskDir, workingDir: layout.workingDir };
  } catch {
    return { taskDir: rootDir, workingDir: rootDir };
  }
}

export class LocalNodeAgent implements NodeAgent {
  private readonly registry = new AttemptRegistry();
  private readonly deployer: ApplicationDeployer;
  private readonly pools: PoolReconciler;
  private readonly killGraceMs: number;
  /** starts every task process of this agent (a small process: forking the service itself is slow) */
  readonly launcher: SpawnLauncher;
  private readonly orphanTimers = new Map<number, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: LocalNodeAgentDeps) {
    this.killGraceMs = deps.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.launcher = new SpawnLauncher(deps.logger, this.killGraceMs, { figuresDir: path.join(deps.account.dataDir, "figures") });
    this.deployer = new ApplicationDeployer(deps.applications, deps.logger);
    this.pools = new PoolReconciler({
      state: deps.state,
      account: deps.account,
      logger: deps.logger,
      maxNodes: deps.maxNodes,
      deployer: this.deployer,
      registry: this.registry,
      allocationDelayMs: deps.allocationDelayMs,
      nodeStartDelayMs: deps.nodeStartDelayMs,
      deallocationDelayMs: deps.deallocationDelayMs,
      run: (launch, signal, onStarted) => this.run(launch, signal, onStarted),
    });
  }

  run(launch: TaskLaunch, signal: AbortSignal, onStarted?: (pid: number, taskDir: string) => void): Promise<AttemptResult> {
    const node = this.deps.state.getNode(launch.poolId, launch.nodeId);
    const control = new AttemptControl();
    // a node that is gone (or an agent that is stopping) cannot run anything: the attempt is requeued at once
    if (!node || this.stopped) control.stop("requeue");
    const onAbort = () => control.stop("killed");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    const target = node
      ? { rootDir: node.rootDir, isDedicated: node.wire.isDedicated !== false }
      : { rootDir: nodeRootDir(this.deps.account.dataDir, launch.poolId, launch.nodeId), isDedicated: true };
    const attemptDeps = {
      account: this.deps.account,
      logger: this.deps.logger,
      deployer: this.deployer,
      killGraceMs: this.killGraceMs,
      spawn: (request: SpawnRequest) => this.launcher.spawn(request),
    };
    const startTime = new Date().toISOString();
    const done = runAttempt(attemptDeps, target, launch, control, onStarted)
      .catch((error: unknown): AttemptResult => {
        // never reject: an agent error ends this attempt as a pre-processing failure the scheduler can report
        this.deps.logger.error(
          `${launch.kind} ${launch.jobId ?? ""}/${launch.taskId ?? ""} on ${launch.nodeId}: ${redactSecrets(String((error as Error)?.stack ?? error))}`,
        );
        const layout = safeLayout(target.rootDir, launch);
        return {
          startTime,
          endTime: new Date().toISOString(),
          ...layout,
          failureKind: "preProcessing",
          failureInfo: agentFailure(redactSecrets(String((error as Error)?.message ?? error))),
        };
      })
      .finally(() => signal.removeEventListener("abort", onAbort));
    this.registry.add(nodeKey(launch.poolId, launch.nodeId), { kind: launch.kind, control, done });
    return done;
  }

  reconcilePool(poolId: string): void {
    if (!this.stopped) this.pools.reconcile(poolId);
  }

  removePool(poolId: string): Promise<void> {
    return this.pools.removePool(poolId);
  }

  /**
   * Kills the group only if one of its processes carries a node root of this service in AZ_BATCH_NODE_ROOT_DIR
   * (read from /proc), so a recycled pid is never hit. Where /proc is not available the group is killed as asked.
   */
  killOrphan(pid: number): void {
    if (!Number.isInteger(pid) || pid <= 1) return;
    const members = groupMembers(pid);
    if (members !== undefined) {
      if (members.length === 0) return;
      const marker = `AZ_BATCH_NODE_ROOT_DIR=${path.join(this.deps.account.dataDir, "nodes")}${path.sep}`;
      if (!members.some((member) => environmentHas(member, marker))) {
        this.deps.logger.warn(`not killing process group ${pid}: it is not a task of this service`);
        return;
      }
    }
    if (!signalGroup(pid, "SIGTERM")) return;
    this.deps.logger.info(`killed orphaned task process group ${pid}`);
    const timer = setTimeout(() => {
      this.orphanTimers.delete(pid);
      signalGroup(pid, "SIGKILL");
    }, this.killGraceMs);
    timer.unref();
    this.orphanTimers.set(pid, timer);
  }

  /** Kills every running attempt (reported as nodeRemoval "requeue") and start task; node records are left for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [pid, timer] of this.orphanTimers) {
      clearTimeout(timer);
      signalGroup(pid, "SIGKILL");
    }
    this.orphanTimers.clear();
    const poolsStopped = this.pools.stop();
    // an attempt still waiting for the launcher's answer ends only when the launcher does: do not wait for it forever
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      poolsStopped.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.killGraceMs + 5000))),
    ]);
    clearTimeout(timer);
    if (!inTime) this.deps.logger.warn("task attempts still waiting for the spawn launcher after the kill grace: stopping the launcher ends them");
    await this.launcher.stop();
    await poolsStopped;
  }
}
