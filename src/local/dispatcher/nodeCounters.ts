// Why: keeps a node's task counters (running tasks and slots, totals, recentTasks) and its idle/running state in step with attempts.
import type { BatchState } from "../store/batchState";
import { nowIso, type NodeRecord, type TaskRecord } from "../store/model";

/** How many entries ComputeNode.recentTasks keeps. */
const RECENT_TASKS = 10;

interface TaskInformation {
  taskUrl: string;
  jobId: string;
  taskId: string;
  taskState: string;
  executionInfo?: unknown;
}

function numberOf(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function taskInformation(batchUrl: string, task: TaskRecord): TaskInformation {
  return {
    taskUrl: `${batchUrl}/jobs/${encodeURIComponent(task.jobId)}/tasks/${encodeURIComponent(task.wire.id)}`,
    jobId: task.jobId,
    taskId: task.wire.id,
    taskState: task.wire.state as string,
    executionInfo: structuredClone(task.wire.executionInfo),
  };
}

function rememberTask(node: NodeRecord, info: TaskInformation): void {
  const recent = ((node.wire.recentTasks as TaskInformation[] | undefined) ?? []).filter(
    (entry) => !(entry.jobId === info.jobId && entry.taskId === info.taskId),
  );
  recent.unshift(info);
  node.wire.recentTasks = recent.slice(0, RECENT_TASKS);
}

/** ComputeNode has no previousState: only the state and its transition time change. */
function setState(node: NodeRecord, next: string): void {
  node.wire.state = next;
  node.wire.stateTransitionTime = nowIso();
}

function followLoad(node: NodeRecord): void {
  const busy = numberOf(node.wire.runningTasksCount) > 0;
  if (busy && node.wire.state === "idle") setState(node, "running");
  // a node whose scheduling was disabled goes offline once its last task ends
  if (!busy && node.wire.state === "running") setState(node, node.wire.schedulingState === "disabled" ? "offline" : "idle");
}

export function nodeTaskStarted(state: BatchState, batchUrl: string, poolId: string, nodeId: string, task: TaskRecord, slots: number): void {
  const node = state.getNode(poolId, nodeId);
  if (!node) return;
  node.wire.runningTasksCount = numberOf(node.wire.runningTasksCount) + 1;
  node.wire.runningTaskSlotsCount = numberOf(node.wire.runningTaskSlotsCount) + slots;
  node.wire.totalTasksRun = numberOf(node.wire.totalTasksRun) + 1;
  rememberTask(node, taskInformation(batchUrl, task));
  followLoad(node);
  state.saveNodeSoon(node);
}

/** Refreshes the task's entry in the node's recentTasks (e.g. once it moved from preparing to running). */
export function nodeTaskProgressed(state: BatchState, batchUrl: string, poolId: string, nodeId: string, task: TaskRecord): void {
  const node = state.getNode(poolId, nodeId);
  if (!node) return;
  rememberTask(node, taskInformation(batchUrl, task));
  state.saveNodeSoon(node);
}

export function nodeTaskFinished(state: BatchState, batchUrl: string, poolId: string, nodeId: string, task: TaskRecord, slots: number): void {
  const node = state.getNode(poolId, nodeId);
  if (!node) return;
  node.wire.runningTasksCount = Math.max(0, numberOf(node.wire.runningTasksCount) - 1);
  node.wire.runningTaskSlotsCount = Math.max(0, numberOf(node.wire.runningTaskSlotsCount) - slots);
  const info = task.wire.executionInfo as { result?: string } | undefined;
  if (task.wire.state === "completed" && info?.result === "success") node.wire.totalTasksSucceeded = numberOf(node.wire.totalTasksSucceeded) + 1;
  rememberTask(node, taskInformation(batchUrl, task));
  followLoad(node);
  state.saveNodeSoon(node);
}

/** After a restart nothing runs any more: the counters of running work start from zero. */
export function resetNodeLoad(state: BatchState, node: NodeRecord): void {
  node.wire.runningTasksCount = 0;
  node.wire.runningTaskSlotsCount = 0;
  followLoad(node);
  state.saveNode(node);
}
