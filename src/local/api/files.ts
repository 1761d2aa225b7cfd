// Why: the file operations on a task's directory and on a compute node's root directory (list, get, properties, delete).
import * as fs from "node:fs";
import * as path from "node:path";
import { BatchServiceError, notFound } from "../protocol/batchError";
import type { Reply, RequestContext, Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { deleteFileReply, fileReply } from "./fileContent";
import { listFilesReply, type FileScope } from "./fileListing";
import { nodeUrl, requireNode } from "./nodes";
import { isInside } from "./safePath";

interface NodeInfo {
  poolId?: string;
  nodeId?: string;
  /** relative to the node root, e.g. "workitems/job1/job-1/task1" */
  taskRootDirectory?: string;
}

const unavailable = (code: string, message: string): BatchServiceError => new BatchServiceError(409, code, message);
const cleanedUp = (): BatchServiceError => unavailable("TaskFilesCleanedup", "The files of the specified task are cleaned up.");

/**
 * A task directory removed while the request was reading it (its retention ran out in between) answers 409
 * TaskFilesCleanedup, as a request that came a moment later would, not 404 for the file it was looking at.
 */
export async function replyUnlessCleanedUp(scope: FileScope, reply: () => Promise<Reply>): Promise<Reply> {
  try {
    return await reply();
  } catch (error) {
    if (error instanceof BatchServiceError && error.statusCode === 404 && !fs.existsSync(scope.root)) throw cleanedUp();
    throw error;
  }
}

/**
 * The directory of the task's last attempt (from its nodeInfo): 404 JobNotFound/TaskNotFound; 409
 * OperationInvalidForCurrentState when it has not run on a node yet; 409 TaskFilesUnavailable when that node is gone;
 * 409 TaskFilesCleanedup when its directory was removed.
 */
function taskScope(deps: HandlerDeps, context: RequestContext): FileScope {
  const job = deps.state.getJob(context.params.jobId);
  if (!job) throw notFound("JobNotFound", "job");
  const task = deps.state.getTask(job.wire.id, context.params.taskId);
  if (!task) throw notFound("TaskNotFound", "task");
  const info = task.wire.nodeInfo as NodeInfo | undefined;
  if (!info?.poolId || !info.nodeId || !info.taskRootDirectory) {
    throw unavailable(
      "OperationInvalidForCurrentState",
      "The specified task has not run on a compute node yet, so it has no files. Wait until its state is running or completed.",
    );
  }
  const node = deps.state.getNode(info.poolId, info.nodeId);
  const root = node ? path.resolve(node.rootDir, info.taskRootDirectory) : undefined;
  if (!node || !root || !isInside(path.resolve(node.rootDir), root)) {
    throw unavailable(
      "TaskFilesUnavailable",
      `The files of the specified task are unavailable: the compute node ${info.nodeId} it ran on is no longer in pool ${info.poolId}.`,
    );
  }
  if (!fs.existsSync(root)) throw cleanedUp();
  const base = `${context.baseUrl}/jobs/${encodeURIComponent(job.wire.id)}/tasks/${encodeURIComponent(task.wire.id)}/files/`;
  return { root, where: "task directory", urlOf: (name) => base + encodeURIComponent(name) };
}

/** The node's root directory (AZ_BATCH_NODE_ROOT_DIR): 404 PoolNotFound / NodeNotFound. */
function nodeScope(deps: HandlerDeps, context: RequestContext): FileScope {
  const node = requireNode(deps, context.params.poolId, context.params.nodeId);
  const base = `${nodeUrl(context, node.poolId, node.wire.id)}/files/`;
  return { root: node.rootDir, where: "compute node's root directory", urlOf: (name) => base + encodeURIComponent(name) };
}

export function registerFileRoutes(router: Router, deps: HandlerDeps): void {
  type Answer = (context: RequestContext, scope: FileScope) => Promise<Reply>;
  const answers: [string, Answer][] = [
    ["File_List", (context, scope) => listFilesReply(context, scope)],
    ["File_Get", (context, scope) => fileReply(context, scope, context.params.filePath)],
    ["File_GetProperties", (context, scope) => fileReply(context, scope, context.params.filePath)],
    ["File_Delete", (context, scope) => deleteFileReply(context, scope, context.params.filePath)],
  ];
  for (const [operation, answer] of answers) {
    router.on(`${operation}FromTask`, (context) => {
      const scope = taskScope(deps, context);
      return replyUnlessCleanedUp(scope, () => answer(context, scope));
    });
    router.on(`${operation}FromComputeNode`, (context) => answer(context, nodeScope(deps, context)));
  }
}
