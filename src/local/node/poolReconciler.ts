// Why: keeps each pool's node records and node folders in line with its targets: grows within the machine-wide cap, shrinks by the deallocation option, deletes pools.
import * as fs from "node:fs";
import * as path from "node:path";
import type { AccountSettings } from "../common/account";
import { idKey } from "../protocol/ids";
import { nowIso, type NodeRecord, type PoolRecord } from "../store/model";
import { AttemptRegistry, nodeKey } from "./attemptRegistry";
import { pause, startNode, type StartupDeps } from "./nodeStartup";
import { nodeEndpointConfiguration } from "./nodeEndpoints";
import { newNodeId, newNodeWire, setNodeState } from "./nodeWire";
import { createNodeFolders, nodeRootDir } from "./taskLayout";

export interface ReconcilerDeps extends StartupDeps {
  account: AccountSettings;
  maxNodes: number;
  registry: AttemptRegistry;
  /** local-only (--allocation-delay): how long a growing pool waits before its new nodes join; default 0 */
  allocationDelayMs?: number;
  /** local-only (--deallocation-delay): how long a leaving node (or a deleted pool's nodes) take to go; default 0 */
  deallocationDelayMs?: number;
}

type Deallocation = "requeue" | "terminate" | "taskcompletion" | "retaineddata";

const count = (value: unknown): number => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0);
const isDedicated = (node: NodeRecord): boolean => node.wire.isDedicated !== false;

function deallocationOption(pool: PoolRecord): Deallocation {
  const option = String(pool.wire.nodeDeallocationOption ?? "requeue").toLowerCase();
  return (["requeue", "terminate", "taskcompletion", "retaineddata"] as const).find((known) => known === option) ?? "requeue";
}

export class PoolReconciler {
  private readonly startups = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly removals = new Map<string, Promise<void>>();
  private readonly poolRemovals = new Map<string, Promise<void>>();
  /** pools waiting out the allocation delay before their missing nodes join, and those whose delay is over */
  private readonly allocations = new Map<string, NodeJS.Timeout>();
  private readonly allocated = new Set<string>();
  private stopped = false;
  /** aborted when the service stops: delays end at once */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: ReconcilerDeps) {}

  reconcile(poolId: string): void {
    const { state } = this.deps;
    const pool = state.getPool(poolId);
    if (!pool || this.stopped || this.poolRemovals.has(idKey(poolId))) return;
    if (pool.wire.state === "deleting") {
      void this.removePool(pool.wire.id);
      return;
    }
    this.resume(pool.wire.id);
    const staying = [...state.nodesOf(poolId)].filter((node) => node.wire.state !== "leavingpool");
    if (pool.wire.allocationState === "stopping") {
      // stop resize: the pool keeps the nodes it has (those already leaving still go)
      pool.wire.targetDedicatedNodes = staying.filter(isDedicated).length;
      pool.wire.targetLowPriorityNodes = staying.filter((node) => !isDedicated(node)).length;
    }
    let missing = 0;
    const mayAllocate = this.mayAllocate(pool, staying);
    for (const dedicated of [true, false]) {
      const target = count(dedicated ? pool.wire.targetDedicatedNodes : pool.wire.targetLowPriorityNodes);
      const have = staying.filter((node) => isDedicated(node) === dedicated);
      if (have.length < target && mayAllocate) {
        const room = Math.max(0, this.deps.maxNodes - [...state.nodes.allValues()].length);
        const wanted = target - have.length;
        missing += Math.max(0, wanted - room);
        try {
          for (let i = 0; i < Math.min(wanted, room); i++) this.createNode(pool, dedicated);
        } catch (error) {
          this.deps.logger.error(`pool ${pool.wire.id}: cannot create a node folder: ${String(error)}`);
          pool.wire.resizeErrors = [{ code: "AllocationFailed", message: `The local node folders could not be created: ${(error as Error).message}` }];
        }
      } else if (have.length > target) {
        for (const node of this.surplus(pool.wire.id, have, have.length - target)) this.beginRemoval(pool.wire.id, node, deallocationOption(pool));
      }
    }
    if (missing > 0) {
      const message = `The local Batch service runs at most ${this.deps.maxNodes} nodes across all pools (start it with a larger --nodes to allow more); pool ${pool.wire.id} is ${missing} node(s) short of its target.`;
      this.deps.logger.warn(message);
      pool.wire.resizeErrors = [{ code: "AccountCoreQuotaReached", message, values: [{ name: "MaxNodes", value: String(this.deps.maxNodes) }] }];
    }
    this.settle(pool.wire.id);
  }

  /**
   * Whether the pool's missing nodes may join now: at once without an allocation delay; with one, once the delay that
   * started when the pool first lacked nodes is over (until then the pool stays resizing). A pool that no longer lacks
   * nodes (a stop resize, a smaller target) forgets its pending delay.
   */
  private mayAllocate(pool: PoolRecord, staying: NodeRecord[]): boolean {
    const delayMs = this.deps.allocationDelayMs ?? 0;
    const key = idKey(pool.wire.id);
    const lacking = [true, false].some(
      (dedicated) =>
        staying.filter((node) => isDedicated(node) === dedicated).length < count(dedicated ? pool.wire.targetDedicatedNodes : pool.wire.targetLowPriorityNodes),
    );
    if (delayMs <= 0) return true;
    if (!lacking) {
      this.cancelAllocation(key);
      return false;
    }
    if (this.allocated.delete(key)) return true;
    if (!this.allocations.has(key)) {
      const timer = setTimeout(() => {
        this.allocations.delete(key);
        this.allocated.add(key);
        try {
          this.reconcile(pool.wire.id);
        } catch (error) {
          this.deps.logger.error(`pool ${pool.wire.id}: allocating nodes failed: ${String(error)}`);
        }
      }, delayMs);
      timer.unref();
      this.allocations.set(key, timer);
    }
    return false;
  }

  private cancelAllocation(key: string): void {
    clearTimeout(this.allocations.get(key));
    this.allocations.delete(key);
    this.allocated.delete(key);
  }

  removePool(poolId: string): Promise<void> {
    const key = idKey(poolId);
    this.cancelAllocation(key);
    let done = this.poolRemovals.get(key);
    if (!done) {
      done = this.deletePool(poolId).finally(() => this.poolRemovals.delete(key));
      this.poolRemovals.set(key, done);
    }
    return done;
  }

  /** Ends start-ups and every attempt (as requeue: the node goes away) and waits for them; node records stay. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const key of [...this.allocations.keys()]) this.cancelAllocation(key);
    for (const startup of this.startups.values()) startup.controller.abort();
    await AttemptRegistry.stopAll(this.deps.registry.all(), "requeue");
    await Promise.allSettled([...this.startups.values()].map((startup) => startup.done));
    await Promise.allSettled([...this.removals.values(), ...this.poolRemovals.values()]);
  }

  private createNode(pool: PoolRecord, dedicated: boolean): void {
    const nodeId = newNodeId(dedicated);
    const rootDir = nodeRootDir(this.deps.account.dataDir, pool.wire.id, nodeId);
    createNodeFolders(rootDir);
    const wire = newNodeWire(pool.wire, nodeId, dedicated, this.deps.account.batchUrl);
    const endpointConfiguration = nodeEndpointConfiguration(
      pool.wire,
      [...this.deps.state.nodesOf(pool.wire.id)].map((node) => node.wire),
    );
    if (endpointConfiguration) wire.endpointConfiguration = endpointConfiguration;
    this.deps.state.saveNode({ poolId: pool.wire.id, wire, rootDir });
    this.deps.logger.info(`pool ${pool.wire.id}: node ${nodeId} joined (${rootDir})`);
    this.launchStartup(pool.wire.id, nodeId);
  }

  private launchStartup(poolId: string, nodeId: string): void {
    const key = nodeKey(poolId, nodeId);
    const controller = new AbortController();
    const done = startNode(this.deps, poolId, nodeId, controller.signal)
      .catch((error) => this.deps.logger.error(`node ${nodeId} start-up failed: ${String(error)}`))
      .finally(() => this.startups.delete(key));
    this.startups.set(key, { controller, done });
  }

  /** After a restart: finish removals and start-ups that the previous process did not finish (a rebooted node reruns its start task). */
  private resume(poolId: string): void {
    for (const node of this.deps.state.nodesOf(poolId)) {
      const key = nodeKey(poolId, node.wire.id);
      if (node.wire.state === "leavingpool") {
        if (!this.removals.has(key)) this.beginRemoval(poolId, node, "requeue");
      } else if (!this.startups.has(key)) {
        const interrupted =
          ["creating", "starting", "waitingforstarttask"].includes(String(node.wire.state)) ||
          (node.wire.startTaskInfo as { state?: string } | undefined)?.state === "running";
        if (interrupted) this.launchStartup(poolId, node.wire.id);
      }
    }
  }

  /** Which nodes go first: broken ones, then idle, then still starting, then busy; newest first within a rank. */
  private surplus(poolId: string, nodes: NodeRecord[], howMany: number): NodeRecord[] {
    const rank = (node: NodeRecord): number => {
      const state = String(node.wire.state);
      if (state === "unusable" || state === "starttaskfailed") return 0;
      if (this.deps.registry.busy(nodeKey(poolId, node.wire.id)) || state === "running") return 3;
      return ["creating", "starting", "waitingforstarttask"].includes(state) ? 2 : 1;
    };
    return nodes
      .map((node, index) => ({ node, index }))
      .sort((a, b) => rank(a.node) - rank(b.node) || b.index - a.index)
      .slice(0, howMany)
      .map((entry) => entry.node);
  }

  private beginRemoval(poolId: string, node: NodeRecord, option: Deallocation): void {
    const key = nodeKey(poolId, node.wire.id);
    if (this.removals.has(key)) return;
    setNodeState(node.wire, "leavingpool");
    this.deps.state.saveNode(node);
    const done = this.removeNode(poolId, node.wire.id, option)
      .catch((error) => this.deps.logger.error(`removing node ${node.wire.id} failed: ${String(error)}`))
      .finally(() => {
        this.removals.delete(key);
        try {
          this.settle(poolId);
        } catch (error) {
          this.deps.logger.error(`pool ${poolId}: updating node counts failed: ${String(error)}`);
        }
      });
    this.removals.set(key, done);
  }

  /**
   * requeue/terminate: running tasks are killed now and reported with nodeRemoval; taskcompletion: running tasks
   * finish first; retaineddata: like taskcompletion (task retention times are not waited for locally).
   */
  private async removeNode(poolId: string, nodeId: string, option: Deallocation): Promise<void> {
    const key = nodeKey(poolId, nodeId);
    const startup = this.startups.get(key);
    startup?.controller.abort();
    if (option === "requeue" || option === "terminate") await AttemptRegistry.stopAll(this.deps.registry.on(key), option);
    await startup?.done;
    await this.deps.registry.drained(key);
    await pause(this.deps.deallocationDelayMs ?? 0, this.stopping.signal);
    const node = this.deps.state.getNode(poolId, nodeId);
    if (!node) return;
    await fs.promises.rm(node.rootDir, { recursive: true, force: true });
    this.deps.state.nodes.delete(idKey(nodeId), idKey(poolId));
    this.deps.state.changed();
    this.deps.logger.info(`pool ${poolId}: node ${nodeId} left the pool (${option})`);
  }

  private async deletePool(poolId: string): Promise<void> {
    const { state, registry } = this.deps;
    const prefix = `${idKey(poolId)}/`;
    const startups = [...this.startups.entries()].filter(([key]) => key.startsWith(prefix)).map(([, startup]) => startup);
    for (const startup of startups) startup.controller.abort();
    await AttemptRegistry.stopAll(registry.ofPool(poolId), "requeue");
    await Promise.allSettled([
      ...startups.map((startup) => startup.done),
      ...[...this.removals.entries()].filter(([key]) => key.startsWith(prefix)).map(([, done]) => done),
    ]);
    await pause(this.deps.deallocationDelayMs ?? 0, this.stopping.signal);
    const nodes = [...state.nodesOf(poolId)];
    await Promise.all(nodes.map((node) => fs.promises.rm(node.rootDir, { recursive: true, force: true })));
    const poolDir = path.join(this.deps.account.dataDir, "nodes", state.getPool(poolId)?.wire.id ?? poolId);
    await fs.promises.rm(poolDir, { recursive: true, force: true });
    state.nodes.deletePartition(idKey(poolId));
    state.pools.delete(idKey(poolId));
    state.changed();
    this.deps.logger.info(`pool ${poolId}: deleted with its ${nodes.length} node(s)`);
  }

  /** Current node counts and, once no node is still leaving, allocationState steady. */
  private settle(poolId: string): void {
    const { state } = this.deps;
    const pool = state.getPool(poolId);
    if (!pool || pool.wire.state === "deleting") return;
    const nodes = [...state.nodesOf(poolId)];
    pool.wire.currentDedicatedNodes = nodes.filter(isDedicated).length;
    pool.wire.currentLowPriorityNodes = nodes.length - (pool.wire.currentDedicatedNodes as number);
    const leaving = [...this.removals.keys()].some((key) => key.startsWith(`${idKey(poolId)}/`));
    if (!leaving && !this.allocations.has(idKey(poolId)) && pool.wire.allocationState !== "steady") {
      if (pool.wire.allocationState === "stopping") {
        const errors = Array.isArray(pool.wire.resizeErrors) ? pool.wire.resizeErrors : [];
        pool.wire.resizeErrors = [...errors, { code: "ResizeStopped", message: "The user stopped the resize operation." }];
      }
      pool.wire.allocationState = "steady";
      pool.wire.allocationStateTransitionTime = nowIso();
    }
    state.savePool(pool);
  }
}
