// Why: calls the node agent for one attempt so that an agent failure becomes a task failure, and maps its directories to node-relative paths.
import * as path from "node:path";
import type { Logger } from "../common/logger";
import type { AttemptResult, NodeAgent, TaskLaunch } from "../node/nodeAgent";
import type { BatchState } from "../store/batchState";
import { nowIso } from "../store/model";
import type { TaskNodeInfo } from "./taskTransitions";

/** Runs one attempt; a thrown error is reported as a server-side pre-processing failure (the command never ran). */
export async function runAttempt(
  agent: NodeAgent,
  logger: Logger,
  launch: TaskLaunch,
  signal: AbortSignal,
  onStarted?: (pid: number, taskDir: string) => void,
): Promise<AttemptResult> {
  const startTime = nowIso();
  try {
    return await agent.run(launch, signal, onStarted);
  } catch (error) {
    logger.error(
      `node agent failed to run ${launch.kind} ${launch.jobId ?? ""}/${launch.taskId ?? ""} on ${launch.nodeId}: ${(error as Error).stack ?? error}`,
    );
    return {
      startTime,
      endTime: nowIso(),
      failureInfo: { category: "servererror", code: "NodeAgentError", message: `The local node agent could not run the task: ${(error as Error).message}` },
      failureKind: "preProcessing",
      taskDir: "",
      workingDir: "",
    };
  }
}

/** The task directory relative to the node root (taskRootDirectory), or undefined when it is not under it. */
export function nodeRelativeDir(state: BatchState, poolId: string, nodeId: string, taskDir: string): string | undefined {
  const node = state.getNode(poolId, nodeId);
  if (!node || !taskDir) return undefined;
  const relative = path.relative(node.rootDir, taskDir);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join("/");
}

export function nodeUrl(batchUrl: string, poolId: string, nodeId: string): string {
  return `${batchUrl}/pools/${encodeURIComponent(poolId)}/nodes/${encodeURIComponent(nodeId)}`;
}

/** One string per node URL, shared by the nodeInfo of every task that ran there (memory with 100,000 completed tasks). */
const sharedNodeUrls = new Map<string, string>();

function sharedNodeUrl(batchUrl: string, poolId: string, nodeId: string): string {
  const url = nodeUrl(batchUrl, poolId, nodeId);
  const shared = sharedNodeUrls.get(url);
  if (shared !== undefined) return shared;
  if (sharedNodeUrls.size >= 10_000) sharedNodeUrls.clear();
  sharedNodeUrls.set(url, url);
  return url;
}

/** ComputeNodeInformation of a task placed on a node (its directory is added once the attempt starts). */
export function taskNodeInfo(state: BatchState, batchUrl: string, poolId: string, nodeId: string): TaskNodeInfo {
  const node = state.getNode(poolId, nodeId);
  const affinityId = typeof node?.wire.affinityId === "string" ? node.wire.affinityId : `TVM:${nodeId}`;
  return { affinityId, nodeUrl: sharedNodeUrl(batchUrl, poolId, nodeId), poolId, nodeId };
}
