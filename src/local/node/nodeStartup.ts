// Why: what a node does when it joins its pool: deploy the pool's application packages, run the start task (with retries), become idle.
import type { Logger } from "../common/logger";
import type { BatchState } from "../store/batchState";
import { nowIso, type NodeRecord } from "../store/model";
import { referencesFromWire } from "./appPackageNames";
import { ApplicationPackageError, type ApplicationDeployer } from "./appPackages";
import { applicationPackageFailure, failureExitCode } from "./failures";
import type { NodeAgent } from "./nodeAgent";
import { setNodeState } from "./nodeWire";
import { nodeLayout } from "./taskLayout";

export interface StartupDeps {
  state: BatchState;
  logger: Logger;
  deployer: ApplicationDeployer;
  run: NodeAgent["run"];
  /** local-only (--node-start-delay): how long a node stays starting before its start-up goes on; default 0 */
  nodeStartDelayMs?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

const STARTUP_STATES = new Set(["creating", "starting", "waitingforstarttask"]);

/** Moves a node on from a start-up state only: the scheduler owns idle/running once the node is in service. */
function advance(node: NodeRecord, state: string): void {
  if (STARTUP_STATES.has(String(node.wire.state))) setNodeState(node.wire, state);
}

/**
 * Runs the node's start-up. Stops writing as soon as `signal` aborts or the node leaves the pool. A pool package that
 * cannot be deployed makes the node `unusable` (errors[] says why); a start task that fails after its retries makes it
 * `starttaskfailed` when waitForSuccess (default true), else the node stays in service and only startTaskInfo tells.
 */
export async function startNode(deps: StartupDeps, poolId: string, nodeId: string, signal: AbortSignal): Promise<void> {
  const { state } = deps;
  const current = (): NodeRecord | undefined => {
    const node = state.getNode(poolId, nodeId);
    return node && node.wire.state !== "leavingpool" && !signal.aborted ? node : undefined;
  };
  if (String(current()?.wire.state) === "starting") await pause(deps.nodeStartDelayMs ?? 0, signal);
  const pool = state.getPool(poolId);
  let node = current();
  if (!pool || !node) return;

  const references = referencesFromWire(pool.wire.applicationPackageReferences);
  if (references.length > 0) {
    try {
      await deps.deployer.deploy(nodeLayout(node.rootDir).applicationsDir, references);
    } catch (error) {
      const info = error instanceof ApplicationPackageError ? error.failureInfo : applicationPackageFailure("?", undefined, String(error));
      node = current();
      if (!node) return;
      deps.logger.warn(`node ${nodeId} of pool ${poolId} is unusable: ${info.message}`);
      setNodeState(node.wire, "unusable");
      node.wire.errors = [{ code: info.code, message: info.message, errorDetails: info.details ?? [] }];
      state.saveNode(node);
      return;
    }
    node = current();
    if (!node) return;
  }

  const startTask = node.wire.startTask as Record<string, unknown> | undefined;
  if (!startTask) {
    advance(node, "idle");
    state.saveNode(node);
    return;
  }
  const waitForSuccess = startTask.waitForSuccess !== false;
  const maxRetries = typeof startTask.maxTaskRetryCount === "number" ? startTask.maxTaskRetryCount : 0;
  advance(node, waitForSuccess ? "waitingforstarttask" : "idle");
  for (let retry = 0; ; retry++) {
    const startTime = nowIso();
    const lastRetryTime = retry > 0 ? startTime : undefined;
    node.wire.startTaskInfo = { state: "running", startTime, retryCount: retry, ...(lastRetryTime ? { lastRetryTime } : {}) };
    state.saveNode(node);
    const result = await deps.run({ kind: "startTask", poolId, nodeId, spec: startTask, pool: pool.wire, retryCount: retry }, signal);
    node = current();
    if (!node) return;
    const exitFailure = result.failureKind === undefined && result.exitCode !== undefined && result.exitCode !== 0;
    if (exitFailure && (maxRetries < 0 || retry < maxRetries)) continue;
    const failureInfo = result.failureInfo ?? (exitFailure ? failureExitCode(result.exitCode!) : undefined);
    node.wire.startTaskInfo = {
      state: "completed",
      startTime: result.startTime,
      endTime: result.endTime,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(failureInfo ? { failureInfo } : {}),
      retryCount: retry,
      ...(lastRetryTime ? { lastRetryTime } : {}),
      result: failureInfo ? "failure" : "success",
    };
    if (waitForSuccess) advance(node, failureInfo ? "starttaskfailed" : "idle");
    deps.logger.info(
      `node ${nodeId} of pool ${poolId}: start task ${failureInfo ? `failed (${failureInfo.code})` : "succeeded"} after ${retry + 1} tr${retry === 0 ? "y" : "ies"}`,
    );
    state.saveNode(node);
    return;
  }
}
