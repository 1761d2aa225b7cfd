// Why: the integration suites' shared setup: the test pool's VM, polling, the activated extension with its explorer shown, tree lookups by label and the local service's client.

import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { EXTENSION_ID, ViewId } from "../../../src/extension/ids";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/defaults";

export const vm = LOCAL_POOL_VM_CONFIGURATION;

/** Calls `probe` until it returns something other than undefined; fails after `timeoutMs`. */
export async function poll<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function activeApi(): Promise<BatchManagerApi> {
  const extension = vscode.extensions.getExtension<BatchManagerApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** The activated extension's API, with the explorer view shown (a suite's setup). */
export async function openExplorer(): Promise<BatchManagerApi> {
  const api = await activeApi();
  await vscode.commands.executeCommand(`${ViewId.explorer}.focus`);
  return api;
}

/** Tree items by label through the real tree provider; `api` is read at each call (suites set it in suiteSetup). */
export function treeLookup(api: () => BatchManagerApi) {
  const label = (node: TreeNode) => String(api().treeProvider.getTreeItem(node).label);
  const child = async (parent: TreeNode | undefined, name: string) => {
    const children = await api().treeProvider.getChildren(parent);
    const found = children.find((n) => label(n) === name);
    assert.ok(found, `no "${name}" under ${parent?.id ?? "the root"}: ${children.map(label)}`);
    return found;
  };
  return { label, child };
}

/** A Batch client of the running local service (batchManager.local.start first). */
export function localBatchClient(api: BatchManagerApi): BatchServiceClient {
  const { accountName, accountKey, batchUrl } = api.localService.connection!;
  return new BatchServiceClient(new BatchSharedKeyCredentials(accountName, accountKey), batchUrl);
}
