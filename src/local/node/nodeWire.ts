// Why: the ComputeNode wire record of a local node (spec ComputeNode) and its state changes.
import { randomBytes } from "node:crypto";
import { nowIso, type Wire } from "../store/model";

/** Reported as nodeAgentInfo.version: a Linux node agent version of the 2022-10-01 API era. */
export const LOCAL_NODE_AGENT_VERSION = "1.9.27";

/** Ids in the service's style: `tvmps_<64 hex>_d` for dedicated nodes, `_p` for Spot/low-priority ones. */
export function newNodeId(isDedicated: boolean): string {
  return `tvmps_${randomBytes(32).toString("hex")}_${isDedicated ? "d" : "p"}`;
}

export function newNodeWire(pool: Wire, nodeId: string, isDedicated: boolean, batchUrl: string): Wire {
  const now = nowIso();
  const imageReference = (pool.virtualMachineConfiguration as { imageReference?: unknown } | undefined)?.imageReference;
  const wire: Wire = {
    id: nodeId,
    url: `${batchUrl.replace(/\/+$/, "")}/pools/${encodeURIComponent(pool.id)}/nodes/${nodeId}`,
    state: "starting",
    schedulingState: "enabled",
    stateTransitionTime: now,
    lastBootTime: now,
    allocationTime: now,
    ipAddress: "127.0.0.1",
    affinityId: `TVM:${nodeId}`,
    vmSize: pool.vmSize,
    totalTasksRun: 0,
    runningTasksCount: 0,
    runningTaskSlotsCount: 0,
    totalTasksSucceeded: 0,
    isDedicated,
    nodeAgentInfo: { version: LOCAL_NODE_AGENT_VERSION, lastUpdateTime: now },
  };
  if (imageReference !== undefined) wire.virtualMachineInfo = { imageReference };
  if (pool.startTask !== undefined) wire.startTask = pool.startTask;
  if (Array.isArray(pool.certificateReferences) && pool.certificateReferences.length > 0) wire.certificateReferences = pool.certificateReferences;
  return wire;
}

/** ComputeNode has no previousState: only state and stateTransitionTime change. */
export function setNodeState(wire: Wire, state: string): void {
  if (wire.state === state) return;
  wire.state = state;
  wire.stateTransitionTime = nowIso();
}
