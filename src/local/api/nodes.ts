// Why: the compute node operations (list, get, enable/disable scheduling) over the local nodes; reboot and reimage are in nodeLifecycle.ts.
import { BatchServiceError, notFound } from "../protocol/batchError";
import { applyCompletionEffects } from "../dispatcher/jobTransitions";
import { endTask, requeueTask } from "../dispatcher/taskTransitions";
import { idKey } from "../protocol/ids";
import { nowIso, type NodeRecord, type TaskRecord } from "../store/model";
import type { RequestContext, Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { listReply } from "./listing";
import { requirePool, poolUrl } from "./pools";
import { entity } from "./replies";

export const nodeUrl = (context: RequestContext, poolId: string, nodeId: string): string => `${poolUrl(context, poolId)}/nodes/${encodeURIComponent(nodeId)}`;

/** The node of a pool that exists: 404 PoolNotFound, then 404 NodeNotFound. */
export function requireNode(deps: HandlerDeps, poolId: string, nodeId: string): NodeRecord {
  const pool = requirePool(deps, poolId);
  const node = deps.state.getNode(pool.wire.id, nodeId);
  if (!node) throw notFound("NodeNotFound", "node");
  return node;
}

/** The wire form with its URL computed for this request (the host the client used). */
const presentNode = (context: RequestContext, node: NodeRecord): Record<string, unknown> => ({
  ...node.wire,
  url: nodeUrl(context, node.poolId, node.wire.id),
});

type DisableOption = "requeue" | "terminate" | "taskcompletion";

/** The tasks holding a slot of the node: running, or preparing on it. */
export function tasksOnNode(deps: HandlerDeps, node: NodeRecord): TaskRecord[] {
  return [...deps.state.tasks.allValues()].filter(
    (task) =>
      (task.wire.state === "running" || task.wire.state === "preparing") &&
      idKey(task.local.nodeId ?? "") === idKey(node.wire.id) &&
      idKey(task.local.poolId ?? "") === idKey(node.poolId),
  );
}

/**
 * Sets the scheduling state (the scheduler gives no new task to a disabled node). An idle node goes offline on disable and
 * back to idle on enable. On disable, the node's tasks are requeued (`requeue`, the default: they may run elsewhere),
 * completed as terminated (`terminate`), or left to finish (`taskcompletion`).
 */
function setScheduling(deps: HandlerDeps, node: NodeRecord, wanted: "enabled" | "disabled", option: DisableOption): void {
  const { state, dispatcher } = deps;
  if ((node.wire.schedulingState ?? "enabled") === wanted) {
    throw new BatchServiceError(409, "NodeAlreadyInTargetSchedulingState", `The specified node is already in the target scheduling state (${wanted}).`);
  }
  node.wire.schedulingState = wanted;
  const moveTo = wanted === "disabled" ? (node.wire.state === "idle" ? "offline" : undefined) : node.wire.state === "offline" ? "idle" : undefined;
  if (moveTo) {
    node.wire.state = moveTo;
    node.wire.stateTransitionTime = nowIso();
  }
  state.saveNode(node);
  if (wanted === "disabled" && option !== "taskcompletion") {
    for (const task of tasksOnNode(deps, node)) {
      // as for a job disable: move the task on first, then stop its process
      if (option === "requeue") {
        requeueTask(state, task);
      } else {
        endTask(state, task);
        const job = state.getJob(task.jobId);
        if (job) applyCompletionEffects(state, dispatcher, job, task, undefined);
      }
      void dispatcher.killTask(task.jobId, task.wire.id);
    }
  }
  dispatcher.kick();
}

export function registerNodeRoutes(router: Router, deps: HandlerDeps): void {
  router.on("ComputeNode_List", (context) => {
    const pool = requirePool(deps, context.params.poolId);
    return listReply(context, deps.state.nodesOf(pool.wire.id), { present: (node) => presentNode(context, node) });
  });

  router.on("ComputeNode_Get", (context) => {
    const node = requireNode(deps, context.params.poolId, context.params.nodeId);
    return entity(context, node.wire, presentNode(context, node));
  });

  const schedulingHandler = (wanted: "enabled" | "disabled") => (context: RequestContext) => {
    const node = requireNode(deps, context.params.poolId, context.params.nodeId);
    const option = (
      (context.body as { nodeDisableSchedulingOption?: string } | undefined)?.nodeDisableSchedulingOption ?? "requeue"
    ).toLowerCase() as DisableOption;
    setScheduling(deps, node, wanted, option);
    return { status: 200, headers: { DataServiceId: nodeUrl(context, node.poolId, node.wire.id) } };
  };
  router.on("ComputeNode_DisableScheduling", schedulingHandler("disabled"));
  router.on("ComputeNode_EnableScheduling", schedulingHandler("enabled"));
}
