// Why: the "Pools" branch of an account: pools (paged) and each pool's compute nodes (paged), from a BatchClientLike.

import type { BatchClientLike, ComputeNodeLike, PoolLike } from "../common/batchClientLike";
import { type FileChildren, fileChildrenFor, FileOwnerItem, type FileOwnerNode } from "./fileNodes";
import { PagedNode } from "./paging";
import type { TreeNode } from "./treeNode";

export const POOL_SELECT = "id,state,allocationState,vmSize,currentDedicatedNodes,currentLowPriorityNodes";
export const NODE_SELECT = "id,state,runningTasksCount";

export function poolsNode(parent: TreeNode, client: BatchClientLike, pageSize: () => number): PagedNode<PoolLike> {
  return new PagedNode<PoolLike>(parent, "pools", "Pools", "server-process", "pools", {
    select: POOL_SELECT,
    pageSize,
    source: {
      first: (query, abortSignal) => client.pool.list({ poolListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.pool.listNext(link, { abortSignal }),
    },
    toNode: (pool, container) => poolNode(container, client, pool, pageSize),
  });
}

function poolNode(parent: TreeNode, client: BatchClientLike, pool: PoolLike, pageSize: () => number): PagedNode<ComputeNodeLike> {
  const poolId = pool.id ?? "?";
  const nodes = (pool.currentDedicatedNodes ?? 0) + (pool.currentLowPriorityNodes ?? 0);
  return new PagedNode<ComputeNodeLike>(parent, `pool:${poolId}`, poolId, poolIcon(pool), "pool", {
    description: `${nodes} node${nodes === 1 ? "" : "s"} · ${pool.allocationState ?? pool.state ?? "?"}`,
    tooltip: `Pool ${poolId}\nstate: ${pool.state ?? "?"}, allocation: ${pool.allocationState ?? "?"}\nVM size: ${pool.vmSize ?? "?"}`,
    select: NODE_SELECT,
    pageSize,
    source: {
      first: (query, abortSignal) => client.computeNode.list(poolId, { computeNodeListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.computeNode.listNext(link, { abortSignal }),
    },
    toNode: (computeNode, container) =>
      new ComputeNodeNode(container, computeNode, fileChildrenFor(client, { kind: "node", poolId, nodeId: computeNode.id ?? "?" }, pageSize)),
  });
}

function poolIcon(pool: PoolLike): string {
  if (pool.state === "deleting") return "trash";
  if (pool.allocationState === "resizing" || pool.allocationState === "stopping") return "loading~spin";
  return "server";
}

export class ComputeNodeNode extends FileOwnerItem {
  readonly contextValue = "computeNode";
  description: string;
  icon: string;
  tooltip: string;
  constructor(parent: TreeNode, node: ComputeNodeLike, files?: (node: FileOwnerNode) => FileChildren | undefined) {
    super(parent, "node", node.id ?? "?", files, shortNodeId(node.id ?? "?"));
    const state = node.state ?? "unknown";
    this.description = node.runningTasksCount ? `${state} · ${node.runningTasksCount} running` : state;
    this.icon = computeNodeIcon(state);
    this.tooltip = `Node ${this.itemId}: ${state}`;
  }
}

/**
 * A compute node id short enough for a tree label: Batch's `tvmps_<64 hex digits>_d` becomes `tvmps_3f2a9c1e…_d`;
 * other long ids keep their start and end. The full id is in the tooltip, and Copy Id copies it.
 */
export function shortNodeId(id: string): string {
  if (id.length <= 24) return id;
  const batch = /^(tvm[a-z]*_)([0-9a-f]+)(_[a-z]+)?$/i.exec(id);
  if (batch) return `${batch[1]}${batch[2].slice(0, 8)}…${batch[3] ?? ""}`;
  return `${id.slice(0, 14)}…${id.slice(-8)}`;
}

/** Codicon per node state; the host adapter colours "vm-active" green and error-ish states red. */
export function computeNodeIcon(state: string): string {
  switch (state) {
    case "running":
      return "vm-running";
    case "idle":
      return "vm-active";
    case "starting":
    case "creating":
    case "rebooting":
    case "reimaging":
    case "waitingforstarttask":
    case "leavingpool":
      return "loading~spin";
    case "unusable":
    case "starttaskfailed":
    case "unknown":
      return "vm-outline";
    default:
      return "vm";
  }
}
