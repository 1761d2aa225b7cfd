// Why: the slice of the Batch client the job and pool views read, and how a job or pool item of the explorer leads to its account's client.

import { treeClientOf } from "../actions/targets";
import type { ListPage, ListQuery, RequestOptions, TaskCountsLike } from "../common/batchClientLike";
import type { TreeNode } from "../tree/treeNode";

/** A task as the view's `$select` returns it (the SDK's CloudTask subset). */
export interface ViewTaskLike {
  id?: string;
  state?: string;
  executionInfo?: { exitCode?: number; result?: string; startTime?: Date | string; endTime?: Date | string; failureInfo?: { message?: string } };
  nodeInfo?: { nodeId?: string };
}

/** A compute node as the heat map's `$select` returns it. */
export interface ViewNodeLike {
  id?: string;
  state?: string;
  runningTasksCount?: number;
  runningTaskSlotsCount?: number;
}

/** What the views call; a real `BatchServiceClient` fits. */
export interface ViewClient {
  readonly job: { getTaskCounts(jobId: string, options?: RequestOptions): Promise<TaskCountsLike> };
  readonly task: {
    list(jobId: string, options?: RequestOptions & { taskListOptions?: ListQuery }): Promise<ListPage<ViewTaskLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<ViewTaskLike>>;
  };
  readonly computeNode: {
    list(poolId: string, options?: RequestOptions & { computeNodeListOptions?: ListQuery }): Promise<ListPage<ViewNodeLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<ViewNodeLike>>;
  };
}

export function isViewClient(client: unknown): client is ViewClient {
  const c = client as Partial<ViewClient> | undefined;
  return typeof c?.job?.getTaskCounts === "function" && typeof c.task?.list === "function" && typeof c.computeNode?.list === "function";
}

/** The account item (`account.*`) above a node. */
export function accountItemOf(node: TreeNode | undefined): TreeNode | undefined {
  for (let n = node; n; n = n.parent) if (n.contextValue.startsWith("account.")) return n;
  return undefined;
}

/**
 * The client of the account an item belongs to: carried by an ancestor (Jobs containers carry theirs), or else found
 * among the account's children (a pool item's Pools container carries none, its sibling Jobs container does).
 */
export async function viewClientOf(node: TreeNode, signal?: AbortSignal): Promise<ViewClient> {
  const carried = treeClientOf(node);
  if (isViewClient(carried)) return carried;
  const account = accountItemOf(node);
  const siblings = account?.getChildren ? await account.getChildren(signal) : [];
  const found = siblings.map((child) => treeClientOf(child)).find(isViewClient);
  if (!found) throw new Error(`No Batch client for the account of ${node.label}: expand the account in the explorer first.`);
  return found;
}

const JOB = /\/job:([^/]+)$/;
const POOL = /\/pool:([^/]+)$/;

/** The job id of a job item (`…/job:<id>`, contextValue `job …`), else undefined. */
export function jobIdOf(node: TreeNode | undefined): string | undefined {
  return node && /^job\b/.test(node.contextValue) ? JOB.exec(node.id)?.[1] : undefined;
}

/** The pool id of a pool item (`…/pool:<id>`, contextValue `pool`), else undefined. */
export function poolIdOf(node: TreeNode | undefined): string | undefined {
  return node && node.contextValue === "pool" ? POOL.exec(node.id)?.[1] : undefined;
}
