// Why: picks the node a task runs on: enough free slots, exclusivity of job managers, and the pool's nodeFillType (spread or pack).
import type { NodeRecord, PoolRecord } from "../store/model";
import { nodeKey, type NodeUsage } from "./attempts";

/** Node states in which a node accepts tasks. */
const SCHEDULABLE_STATES = new Set(["idle", "running"]);

export function isSchedulable(node: NodeRecord): boolean {
  return SCHEDULABLE_STATES.has(node.wire.state as string) && node.wire.schedulingState !== "disabled";
}

export function slotsPerNode(pool: PoolRecord): number {
  const slots = pool.wire.taskSlotsPerNode;
  return typeof slots === "number" && slots > 0 ? slots : 1;
}

export interface PlacementRequest {
  slots: number;
  exclusive: boolean;
}

/** The node for a task among `nodes`, or undefined when none has room now. */
export function pickNode(pool: PoolRecord, nodes: NodeRecord[], usage: Map<string, NodeUsage>, request: PlacementRequest): NodeRecord | undefined {
  const capacity = slotsPerNode(pool);
  const fill = (pool.wire.taskSchedulingPolicy as { nodeFillType?: string } | undefined)?.nodeFillType ?? "spread";
  let best: NodeRecord | undefined;
  let bestUsed = 0;
  for (const node of nodes) {
    const used = usage.get(nodeKey(pool.wire.id, node.wire.id)) ?? { slots: 0, tasks: 0, exclusive: false };
    if (used.exclusive) continue;
    if (request.exclusive && used.tasks > 0) continue;
    if (capacity - used.slots < request.slots) continue;
    const better = best === undefined || (fill === "pack" ? used.slots > bestUsed : used.slots < bestUsed);
    if (better) {
      best = node;
      bestUsed = used.slots;
    }
  }
  return best;
}
