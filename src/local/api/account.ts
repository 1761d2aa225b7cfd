// Why: the account-level lists: node counts by state per pool (Account_ListPoolNodeCounts) and the supported images (Account_ListSupportedImages).
import type { NodeRecord } from "../store/model";
import type { Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { listReply } from "./listing";
import { SUPPORTED_IMAGES } from "./supportedImages";

/** ComputeNode states (wire spelling) → NodeCounts properties; the spec's two enums match one to one. */
const COUNTED = {
  creating: "creating",
  idle: "idle",
  offline: "offline",
  preempted: "preempted",
  rebooting: "rebooting",
  reimaging: "reimaging",
  running: "running",
  starting: "starting",
  starttaskfailed: "startTaskFailed",
  leavingpool: "leavingPool",
  unknown: "unknown",
  unusable: "unusable",
  waitingforstarttask: "waitingForStartTask",
} as const;

type NodeCounts = Record<(typeof COUNTED)[keyof typeof COUNTED] | "total", number>;

function nodeCounts(nodes: NodeRecord[]): NodeCounts {
  const counts = Object.fromEntries([...Object.values(COUNTED), "total"].map((name) => [name, 0])) as NodeCounts;
  for (const node of nodes) {
    counts[COUNTED[String(node.wire.state) as keyof typeof COUNTED] ?? "unknown"]++;
    counts.total++;
  }
  return counts;
}

/** Account_ListPoolNodeCounts pages by at most 10 pools (the spec's maxresults range). */
const NODE_COUNTS_PAGE = 10;

export function registerAccountRoutes(router: Router, deps: HandlerDeps): void {
  const { state } = deps;

  router.on("Account_ListPoolNodeCounts", (context) =>
    listReply(context, state.pools.values(), {
      maxResults: NODE_COUNTS_PAGE,
      present: (pool) => {
        const nodes = [...state.nodesOf(pool.wire.id)];
        return {
          poolId: pool.wire.id,
          dedicated: nodeCounts(nodes.filter((node) => node.wire.isDedicated !== false)),
          lowPriority: nodeCounts(nodes.filter((node) => node.wire.isDedicated === false)),
        };
      },
    }),
  );

  router.on("Account_ListSupportedImages", (context) => listReply(context, SUPPORTED_IMAGES, { present: (image) => ({ ...image }) }));
}
