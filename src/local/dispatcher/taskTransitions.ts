// Why: the task state changes both the REST handlers and the scheduler make, in one place so the wire form stays consistent.
import { endedByUser } from "../node/failures";
import type { TaskFailureInfo } from "../node/nodeAgent";
import type { BatchState } from "../store/batchState";
import { nowIso, type TaskRecord } from "../store/model";
import { effectiveExitOptions, type DependencyAction, type ExitConditions } from "./taskOutcome";

/** TaskExecutionInformation as kept on the wire. */
export interface ExecutionInfo {
  startTime?: string;
  endTime?: string;
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  retryCount: number;
  lastRetryTime?: string;
  requeueCount: number;
  lastRequeueTime?: string;
  result?: "success" | "failure";
}

/** ComputeNodeInformation of the node a task runs (or ran) on. */
export interface TaskNodeInfo {
  affinityId?: string;
  nodeUrl: string;
  poolId: string;
  nodeId: string;
  taskRootDirectory?: string;
  taskRootDirectoryUrl?: string;
}

export function executionInfoOf(task: TaskRecord): ExecutionInfo {
  let info = task.wire.executionInfo as ExecutionInfo | undefined;
  if (!info) task.wire.executionInfo = info = { retryCount: 0, requeueCount: 0 };
  return info;
}

function clearAttempt(info: ExecutionInfo): void {
  delete info.endTime;
  delete info.exitCode;
  delete info.failureInfo;
  delete info.result;
}

function save(state: BatchState, task: TaskRecord): void {
  state.touch(task.wire);
  state.saveTask(task);
}

/** active → preparing: placed on a node that is still running the job preparation task. */
export function markPreparing(state: BatchState, task: TaskRecord, nodeInfo: TaskNodeInfo): void {
  state.transition(task.wire, "preparing");
  task.wire.nodeInfo = nodeInfo;
  task.local.nodeId = nodeInfo.nodeId;
  task.local.poolId = nodeInfo.poolId;
  save(state, task);
}

/** → running: a new attempt starts now. */
export function markRunning(state: BatchState, task: TaskRecord, nodeInfo: TaskNodeInfo): void {
  const info = executionInfoOf(task);
  const now = nowIso();
  // a retry attempt: lastRetryTime is when it started (it was set when the retry was decided)
  if (info.retryCount > 0 && info.lastRetryTime !== undefined && (info.startTime === undefined || info.lastRetryTime > info.startTime))
    info.lastRetryTime = now;
  info.startTime = now;
  clearAttempt(info);
  state.transition(task.wire, "running");
  task.wire.nodeInfo = nodeInfo;
  task.local.nodeId = nodeInfo.nodeId;
  task.local.poolId = nodeInfo.poolId;
  save(state, task);
}

/** The attempt's process is known: its pid (to kill orphans after a crash) and its directory. */
export function recordStarted(state: BatchState, task: TaskRecord, pid: number, taskRootDirectory: string | undefined): void {
  task.local.pid = pid;
  const nodeInfo = task.wire.nodeInfo as TaskNodeInfo | undefined;
  if (nodeInfo && taskRootDirectory !== undefined) {
    nodeInfo.taskRootDirectory = taskRootDirectory;
    nodeInfo.taskRootDirectoryUrl = `${nodeInfo.nodeUrl}/files/${taskRootDirectory.split("/").map(encodeURIComponent).join("/")}`;
  }
  state.saveTask(task);
}

function backToActive(state: BatchState, task: TaskRecord): void {
  state.transition(task.wire, "active");
  delete task.wire.nodeInfo;
  delete task.local.pid;
  delete task.local.nodeId;
  delete task.local.poolId;
  save(state, task);
}

/** running/preparing → active because the node went away, the job was disabled with requeue or the service restarted. */
export function requeueTask(state: BatchState, task: TaskRecord): void {
  const info = executionInfoOf(task);
  info.requeueCount++;
  info.lastRequeueTime = nowIso();
  clearAttempt(info);
  backToActive(state, task);
}

/** running → active for another try after a non-zero exit code. */
export function retryTask(state: BatchState, task: TaskRecord): void {
  const info = executionInfoOf(task);
  info.retryCount++;
  info.lastRetryTime = nowIso();
  clearAttempt(info);
  backToActive(state, task);
}

/** preparing → active without counting a requeue (the job preparation task failed on that node). */
export function unplaceTask(state: BatchState, task: TaskRecord): void {
  backToActive(state, task);
}

export interface Completion {
  exitCode?: number;
  failureInfo?: TaskFailureInfo;
  startTime?: string;
  endTime?: string;
}

/** → completed, with the result the failureInfo implies and the dependencyAction dependents will see. */
export function completeTask(state: BatchState, task: TaskRecord, completion: Completion, dependencyAction: DependencyAction): void {
  const info = executionInfoOf(task);
  // the attempt's start was set when it began running (markRunning): it does not move when the attempt ends
  if (info.startTime === undefined && completion.startTime !== undefined) info.startTime = completion.startTime;
  info.endTime = completion.endTime ?? nowIso();
  if (completion.exitCode !== undefined) info.exitCode = completion.exitCode;
  else delete info.exitCode;
  if (completion.failureInfo) info.failureInfo = completion.failureInfo;
  else delete info.failureInfo;
  info.result = completion.failureInfo ? "failure" : "success";
  state.transition(task.wire, "completed");
  delete task.local.pid;
  task.local.dependencyAction = dependencyAction;
  save(state, task);
}

/** → completed because a user (or the job ending) terminated it: failureInfo TaskEnded, no retry. */
export function endTask(state: BatchState, task: TaskRecord, failureInfo: TaskFailureInfo = endedByUser()): void {
  const options = effectiveExitOptions(task.wire.exitConditions as ExitConditions | undefined, { failureKind: "killed" });
  completeTask(state, task, { failureInfo }, options.dependencyAction);
}

/** completed (failed) → active with the retry count reset and the previous outcome forgotten. */
export function reactivateTask(state: BatchState, task: TaskRecord): void {
  const info = executionInfoOf(task);
  info.retryCount = 0;
  delete info.lastRetryTime;
  delete info.startTime;
  clearAttempt(info);
  delete task.local.dependencyAction;
  backToActive(state, task);
}
