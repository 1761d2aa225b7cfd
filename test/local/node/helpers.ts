// Why: shared set-up for the node agent tests: a temp data dir with real BatchState and ApplicationStore, pools, and waiting helpers.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccountSettings } from "../../../src/local/common/account";
import { ApplicationStore } from "../../../src/local/applications/applicationStore";
import { createLineLogger, type Logger } from "../../../src/local/common/logger";
import { LocalNodeAgent } from "../../../src/local/node/localNodeAgent";
import type { TaskLaunch } from "../../../src/local/node/nodeAgent";
import { BatchState } from "../../../src/local/store/batchState";
import { nowIso, type NodeRecord, type Wire } from "../../../src/local/store/model";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

export const VM = LOCAL_POOL_VM_CONFIGURATION;
export const BATCH_URL = "http://127.0.0.1:8510";

export interface Harness {
  dataDir: string;
  state: BatchState;
  account: AccountSettings;
  applications: ApplicationStore;
  agent: LocalNodeAgent;
  log: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  maxNodes?: number;
  killGraceMs?: number;
  storage?: AccountSettings["storage"];
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export function harness(options: HarnessOptions = {}): Harness {
  const dataDir = tempDir("node-agent");
  const state = BatchState.open(path.join(dataDir, "state"));
  const log: string[] = [];
  const logger: Logger = createLineLogger((line) => log.push(line), "debug");
  const account: AccountSettings = {
    accountName: "localbatch",
    accountKey: "bG9jYWwta2V5LWZvci1ub2RlLWFnZW50LXRlc3RzLW9ubHktMDAwMDAwMDAwMA==",
    batchUrl: BATCH_URL,
    dataDir,
    storage: options.storage ?? { blobEndpoint: "http://127.0.0.1:9/devstoreaccount1", accountName: "devstoreaccount1", accountKey: "a2V5" },
  };
  const applications = new ApplicationStore(dataDir);
  const agent = new LocalNodeAgent({ state, account, logger, maxNodes: options.maxNodes ?? 8, applications, killGraceMs: options.killGraceMs ?? 1000 });
  return {
    dataDir,
    state,
    account,
    applications,
    agent,
    log,
    async close() {
      await agent.stop();
      state.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Adds a pool record as Pool_Add does (allocationState resizing) and asks the agent to reconcile it. */
export function addPool(h: Harness, id: string, extra: Record<string, unknown> = {}): Wire {
  const now = nowIso();
  const wire: Wire = {
    id,
    vmSize: "standard_d2s_v3",
    virtualMachineConfiguration: VM,
    creationTime: now,
    state: "active",
    stateTransitionTime: now,
    allocationState: "resizing",
    allocationStateTransitionTime: now,
    currentDedicatedNodes: 0,
    currentLowPriorityNodes: 0,
    targetDedicatedNodes: 1,
    targetLowPriorityNodes: 0,
    taskSlotsPerNode: 1,
    ...extra,
  };
  h.state.savePool({ wire });
  h.agent.reconcilePool(id);
  return wire;
}

/** Changes a pool's targets as Pool_Resize does and reconciles. */
export function resizePool(h: Harness, id: string, targetDedicatedNodes: number, nodeDeallocationOption?: string): void {
  const pool = h.state.getPool(id)!;
  pool.wire.targetDedicatedNodes = targetDedicatedNodes;
  if (nodeDeallocationOption) pool.wire.nodeDeallocationOption = nodeDeallocationOption;
  pool.wire.allocationState = "resizing";
  h.state.savePool(pool);
  h.agent.reconcilePool(id);
}

export function nodesOf(h: Harness, poolId: string): NodeRecord[] {
  return [...h.state.nodesOf(poolId)];
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A pool with one node that has finished starting; returns the node. */
export async function readyNode(h: Harness, poolId: string, extra: Record<string, unknown> = {}): Promise<NodeRecord> {
  addPool(h, poolId, extra);
  return waitFor(`a ready node in ${poolId}`, () =>
    nodesOf(h, poolId).find((node) => ["idle", "unusable", "starttaskfailed"].includes(String(node.wire.state))),
  );
}

export function launch(node: NodeRecord, pool: Wire, rest: Partial<TaskLaunch> & Pick<TaskLaunch, "kind" | "spec">): TaskLaunch {
  return { poolId: node.poolId, nodeId: node.wire.id, pool, retryCount: 0, ...rest };
}

/** Parses `/usr/bin/env` output (NAME=value lines). */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

export function readText(file: string): string {
  return fs.readFileSync(file, "utf8");
}

export const never = new AbortController().signal;
