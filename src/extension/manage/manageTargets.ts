// Why: what a create or manage command acts on, read from the explorer item it was run on: pool, node, job or task ids, the account's client, the branch to refresh.

import { treeClientOf } from "../actions/targets";
import type { TreeNode } from "../tree/treeNode";
import { isManageClient, type ManageClient } from "./manageClient";

export interface PoolRef {
  readonly poolId: string;
}
export interface NodeRef extends PoolRef {
  readonly nodeId: string;
}

const POOL = /\/pool:([^/]+)$/;
const NODE = /\/pool:([^/]+)\/node:([^/]+)$/;
const JOB = /\/job:([^/]+)$/;
const TASK = /\/job:([^/]+)\/task:([^/]+)$/;

export const poolRefOf = (node: TreeNode | undefined): PoolRef | undefined => {
  const match = node?.contextValue === "pool" ? POOL.exec(node.id) : null;
  return match ? { poolId: match[1] } : undefined;
};

export const nodeRefOf = (node: TreeNode | undefined): NodeRef | undefined => {
  const match = node?.contextValue === "computeNode" ? NODE.exec(node.id) : null;
  return match ? { poolId: match[1], nodeId: match[2] } : undefined;
};

/** The job of a job item, or of the task item's job. */
export const jobIdOf = (node: TreeNode | undefined): string | undefined => (node ? (JOB.exec(node.id)?.[1] ?? TASK.exec(node.id)?.[1]) : undefined);

export const taskRefOf = (node: TreeNode | undefined): { jobId: string; taskId: string } | undefined => {
  const match = node ? TASK.exec(node.id) : null;
  return match ? { jobId: match[1], taskId: match[2] } : undefined;
};

/** The account item an item belongs to (itself included). */
export function accountOf(node: TreeNode | undefined): TreeNode | undefined {
  for (let n = node; n; n = n.parent) if (n.contextValue.startsWith("account.")) return n;
  return undefined;
}

/** The `batch:` authority of local items; other accounts have no file system yet. */
export const isLocalItem = (node: TreeNode | undefined): boolean => accountOf(node)?.contextValue === "account.local";

/**
 * The client of the item's account: carried by an ancestor (the Jobs container carries its account's), else by one of the
 * account's children (a pool item's ancestors are Pools and the account); undefined for an item of no account.
 */
export async function accountClientOf(node: TreeNode | undefined, signal?: AbortSignal): Promise<ManageClient | undefined> {
  const carried = treeClientOf(node);
  if (isManageClient(carried)) return carried;
  const account = accountOf(node);
  if (!account?.getChildren) return undefined;
  const children = await account.getChildren(signal);
  return children.map((child) => treeClientOf(child)).find(isManageClient);
}

/** The item's ancestor (itself included) with this context value: the branch an action changed. */
export function ancestorWith(node: TreeNode | undefined, contextValue: string): TreeNode | undefined {
  for (let n = node; n; n = n.parent) if (n.contextValue === contextValue) return n;
  return undefined;
}
