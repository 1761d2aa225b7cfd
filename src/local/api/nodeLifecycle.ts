// Why: reboot, reimage and remove-from-pool of local nodes (ComputeNode_Reboot, ComputeNode_Reimage, Pool_RemoveNodes): tasks requeued, terminated or awaited per option, the start task run again.
import * as fs from "node:fs";
import * as path from "node:path";
import { applyCompletionEffects } from "../dispatcher/jobTransitions";
import { endTask, requeueTask } from "../dispatcher/taskTransitions";
import { setNodeState } from "../node/nodeWire";
import { nodeLayout } from "../node/taskLayout";
import { conflict, invalidPropertyValue, missingRequiredProperty } from "../protocol/batchError";
import { idKey } from "../protocol/ids";
import { nowIso, type NodeRecord, type PoolRecord } from "../store/model";
import type { RequestContext, Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { nodeUrl, requireNode, tasksOnNode } from "./nodes";
import { poolUrl, requirePool } from "./pools";
import { checkConditions } from "./replies";

/** The spec's ComputeNodeRebootOption, ComputeNodeReimageOption and ComputeNodeDeallocationOption share these values. */
export type TaskOption = "requeue" | "terminate" | "taskcompletion" | "retaineddata";
const TASK_OPTIONS: readonly TaskOption[] = ["requeue", "terminate", "taskcompletion", "retaineddata"];

/** Node states from which a node may be rebooted or reimaged (the service allows idle and running; broken nodes are what reboot is for). */
const RESTARTABLE_STATES = new Set(["idle", "running", "offline", "starttaskfailed", "unusable"]);

/** The most nodes one Pool_RemoveNodes may name (the spec's maxItems). */
const MAX_REMOVE = 100;

function taskOption(property: string, value: unknown): TaskOption {
  if (value === undefined) return "requeue";
  const option = String(value).toLowerCase();
  const known = TASK_OPTIONS.find((candidate) => candidate === option);
  if (!known) throw invalidPropertyValue(property, value, `${property} must be one of ${TASK_OPTIONS.join(", ")}.`);
  return known;
}

/**
 * Frees the node of its tasks: `requeue` moves them back to active (they run elsewhere or later), `terminate` completes them
 * as terminated, and both stop their processes; `taskcompletion`/`retaineddata` wait until they end by themselves.
 */
async function freeNode(deps: HandlerDeps, node: NodeRecord, option: TaskOption): Promise<void> {
  const { state, dispatcher } = deps;
  if (option === "requeue" || option === "terminate") {
    const tasks = tasksOnNode(deps, node);
    for (const task of tasks) {
      if (option === "requeue") requeueTask(state, task);
      else {
        endTask(state, task);
        const job = state.getJob(task.jobId);
        if (job) applyCompletionEffects(state, dispatcher, job, task, undefined);
      }
    }
    await Promise.all(tasks.map((task) => dispatcher.killTask(task.jobId, task.wire.id)));
    return;
  }
  if (tasksOnNode(deps, node).length === 0) return;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (tasksOnNode(deps, node).length > 0 && state.getNode(node.poolId, node.wire.id)) return;
      state.off("changed", check);
      resolve();
    };
    state.on("changed", check);
  });
}

/** Empties a folder, keeping the folder itself. */
async function emptyFolder(folder: string): Promise<void> {
  const entries = await fs.promises.readdir(folder).catch(() => [] as string[]);
  await Promise.all(entries.map((entry) => fs.promises.rm(path.join(folder, entry), { recursive: true, force: true })));
}

/** The node comes back: the pool's current start task (a patched one applies from now on), start-up run again by the reconciler. */
function bootAgain(deps: HandlerDeps, pool: PoolRecord, node: NodeRecord): void {
  if (pool.wire.startTask === undefined) delete node.wire.startTask;
  else node.wire.startTask = structuredClone(pool.wire.startTask);
  delete node.wire.startTaskInfo;
  delete node.wire.errors;
  node.wire.lastBootTime = nowIso();
  setNodeState(node.wire, "starting");
  deps.state.saveNode(node);
  deps.dispatcher.reconcilePool(pool.wire.id);
}

/** Reboot (`wipe` false) or reimage (`wipe` true): the node is `rebooting`/`reimaging` until its tasks are dealt with, then starts again. */
async function restartNode(deps: HandlerDeps, pool: PoolRecord, node: NodeRecord, option: TaskOption, wipe: boolean): Promise<void> {
  await freeNode(deps, node, option);
  const current = deps.state.getNode(pool.wire.id, node.wire.id);
  if (!current || current.wire.state !== (wipe ? "reimaging" : "rebooting")) return;
  if (wipe) {
    const layout = nodeLayout(current.rootDir);
    await Promise.all([layout.workitemsDir, layout.sharedDir, layout.startupDir].map(emptyFolder));
    // the job preparation tasks run again on a fresh node
    for (const job of deps.state.jobs.allValues()) {
      const entries = job.local.preparation;
      const stale = Object.keys(entries).filter((key) => idKey(key) === idKey(current.wire.id));
      for (const key of stale) delete entries[key];
      if (stale.length > 0) deps.state.saveJob(job);
    }
  }
  bootAgain(deps, pool, current);
}

function beginRestart(deps: HandlerDeps, context: RequestContext, wipe: boolean) {
  const pool = requirePool(deps, context.params.poolId);
  const node = requireNode(deps, context.params.poolId, context.params.nodeId);
  const [property, verb] = wipe ? ["nodeReimageOption", "reimaged"] : ["nodeRebootOption", "rebooted"];
  const option = taskOption(property, (context.body as Record<string, unknown> | undefined)?.[property]);
  if (!RESTARTABLE_STATES.has(String(node.wire.state))) {
    throw conflict("NodeNotReady", `The node is ${String(node.wire.state)}; it can be ${verb} once it is idle or running.`);
  }
  setNodeState(node.wire, wipe ? "reimaging" : "rebooting");
  deps.state.saveNode(node);
  void restartNode(deps, pool, node, option, wipe).catch((error: unknown) =>
    deps.logger.error(`${wipe ? "reimaging" : "rebooting"} node ${node.wire.id} of pool ${pool.wire.id} failed: ${String(error)}`),
  );
  return { status: 202, headers: { DataServiceId: nodeUrl(context, node.poolId, node.wire.id) } };
}

/** Checks a NodeRemoveParameter and returns the nodes it names (each once). */
function nodesToRemove(deps: HandlerDeps, pool: PoolRecord, body: Record<string, unknown>): NodeRecord[] {
  const list = body.nodeList;
  if (list === undefined) throw missingRequiredProperty("nodeList");
  if (!Array.isArray(list) || list.length === 0) throw invalidPropertyValue("nodeList", JSON.stringify(list), "nodeList must name at least one node.");
  if (list.length > MAX_REMOVE) throw invalidPropertyValue("nodeList", list.length, `At most ${MAX_REMOVE} nodes may be removed per request.`);
  const nodes = new Map<string, NodeRecord>();
  for (const id of list) {
    const node = deps.state.getNode(pool.wire.id, String(id));
    if (!node) throw invalidPropertyValue("nodeList", String(id), `The pool ${pool.wire.id} has no node ${String(id)}.`);
    nodes.set(idKey(node.wire.id), node);
  }
  return [...nodes.values()];
}

/** Pool_RemoveNodes: the named nodes leave (the pool's targets shrink by as many), their tasks dealt with per nodeDeallocationOption. */
function removeNodes(deps: HandlerDeps, context: RequestContext) {
  const pool = requirePool(deps, context.params.poolId);
  checkConditions(context, pool.wire);
  const body = (context.body as Record<string, unknown> | undefined) ?? {};
  if (pool.wire.state === "deleting") throw conflict("PoolBeingDeleted", "The specified pool is being deleted.");
  if (pool.wire.allocationState !== "steady") {
    throw conflict("PoolNotSteady", "The pool is resizing; nodes can be removed once its allocationState is steady.");
  }
  const nodes = nodesToRemove(deps, pool, body);
  const option = taskOption("nodeDeallocationOption", body.nodeDeallocationOption);
  const leaving = nodes.filter((node) => node.wire.state !== "leavingpool");
  const dedicated = leaving.filter((node) => node.wire.isDedicated !== false).length;
  const count = (value: unknown) => (typeof value === "number" ? value : 0);
  pool.wire.targetDedicatedNodes = Math.max(0, count(pool.wire.targetDedicatedNodes) - dedicated);
  pool.wire.targetLowPriorityNodes = Math.max(0, count(pool.wire.targetLowPriorityNodes) - (leaving.length - dedicated));
  if (body.resizeTimeout !== undefined) pool.wire.resizeTimeout = body.resizeTimeout;
  pool.wire.allocationState = "resizing";
  pool.wire.allocationStateTransitionTime = nowIso();
  deps.state.touch(pool.wire);
  deps.state.savePool(pool);
  for (const node of leaving) {
    setNodeState(node.wire, "leavingpool");
    deps.state.saveNode(node);
  }
  // the reconciler removes leaving nodes once they are free (it requeues whatever still runs on them)
  void Promise.all(leaving.map((node) => freeNode(deps, node, option)))
    .catch((error: unknown) => deps.logger.error(`removing nodes of pool ${pool.wire.id} failed: ${String(error)}`))
    .finally(() => deps.dispatcher.reconcilePool(pool.wire.id));
  return { status: 202, headers: { DataServiceId: `${poolUrl(context, pool.wire.id)}/removenodes` } };
}

export function registerNodeLifecycleRoutes(router: Router, deps: HandlerDeps): void {
  router.on("ComputeNode_Reboot", (context) => beginRestart(deps, context, false));
  router.on("ComputeNode_Reimage", (context) => beginRestart(deps, context, true));
  router.on("Pool_RemoveNodes", (context) => removeNodes(deps, context));
}
