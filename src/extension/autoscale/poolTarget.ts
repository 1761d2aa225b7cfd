// Why: which pool (and which account's Batch client) an autoscale command acts on: a pool item of the explorer, or a pool a document was opened for.

import { treeClientOf } from "../actions/targets";
import type { RequestOptions } from "../common/batchClientLike";
import type { TreeNode } from "../tree/treeNode";

/** The autoscale slice of @azure/batch's BatchServiceClient (the real client fits). */
export interface AutoscaleClient {
  readonly pool: {
    get(
      poolId: string,
      options?: RequestOptions,
    ): Promise<{ id?: string; enableAutoScale?: boolean; autoScaleFormula?: string; autoScaleEvaluationInterval?: string }>;
    evaluateAutoScale(poolId: string, autoScaleFormula: string, options?: RequestOptions): Promise<AutoScaleRunLike>;
    list(options?: RequestOptions & { poolListOptions?: { select?: string } }): Promise<readonly { id?: string; enableAutoScale?: boolean }[]>;
  };
}

/** `AutoScaleRun` as the SDK returns it. */
export interface AutoScaleRunLike {
  timestamp: Date;
  results?: string;
  error?: { code?: string; message?: string; values?: { name?: string; value?: string }[] };
}

export interface PoolTarget {
  readonly poolId: string;
  /** the account, as the explorer shows it ("Local", a shared-key account name, an Azure account name) */
  readonly account: string;
  readonly client: AutoscaleClient;
}

const POOL = /\/pool:([^/]+)$/;

export function isAutoscaleClient(client: unknown): client is AutoscaleClient {
  const pool = (client as Partial<AutoscaleClient> | undefined)?.pool;
  return typeof pool?.get === "function" && typeof pool.evaluateAutoScale === "function";
}

/** The pool id of a pool item (`…/pool:<id>`), else undefined. */
export function poolIdOf(node: TreeNode | undefined): string | undefined {
  const match = node && node.contextValue === "pool" ? POOL.exec(node.id) : null;
  return match?.[1];
}

/**
 * The pool of a pool item with its account's client. The client is the one the item's account built: carried by an
 * ancestor (as Jobs containers carry theirs), or else by the account's Jobs container, found among the account's children.
 */
export async function poolTargetOf(node: TreeNode | undefined, signal?: AbortSignal): Promise<PoolTarget | undefined> {
  const poolId = poolIdOf(node);
  if (!node || !poolId) return undefined;
  const account = node.parent?.parent;
  let client = treeClientOf(node);
  if (!isAutoscaleClient(client) && account?.getChildren) {
    const siblings = await account.getChildren(signal);
    client = siblings.map((child) => treeClientOf(child)).find(isAutoscaleClient);
  }
  if (!isAutoscaleClient(client)) throw new Error(`No Batch client for the account of pool ${poolId}.`);
  return { poolId, account: account?.label ?? "?", client };
}
