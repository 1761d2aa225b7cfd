// Why: the integration suites' shared setup: the test pool's VM, polling, the activated extension with its explorer shown, tree lookups by label and the local service's client.

import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { scriptedPromptUi } from "../../../src/core/wizard/wizard";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, EXTENSION_ID, ViewId } from "../../../src/extension/common/ids";
import { runningLocalService } from "../../../src/core/localService/localServiceLease";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

export const vm = LOCAL_POOL_VM_CONFIGURATION;

/** The editor's UI with its prompts answered from a script (a missing answer fails naming the prompt); messages and progress stay real. */
export function scriptedUi(base: EditorUi, answers: Parameters<typeof scriptedPromptUi>[0], overrides: Partial<EditorUi> = {}): EditorUi {
  return { ...base, ...scriptedPromptUi(answers), ...overrides };
}

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

/**
 * Stops whatever local service runs for the suites' shared data folder ($BATCH_MANAGER_LOCAL_DATA) and empties it, so the
 * next suite starts from a fresh local account (a suite that leaves pools and jobs behind would change what others list).
 */
export async function resetLocalDataFolder(api: BatchManagerApi): Promise<void> {
  await vscode.commands.executeCommand(CommandId.localStop);
  const dataDir = process.env.BATCH_MANAGER_LOCAL_DATA;
  assert.ok(dataDir, "the extension-host tests run with BATCH_MANAGER_LOCAL_DATA (scripts/test-extension.sh sets it)");
  const running = runningLocalService(dataDir);
  if (running) await stopLocalServiceAt(dataDir);
  assert.equal(runningLocalService(dataDir), undefined, `a local service still runs for ${dataDir}`);
  assert.equal(api.localService.state, "stopped");
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** `batch-manager local stop --data <dir>` through the extension's own CLI bundle (a service another process started). */
async function stopLocalServiceAt(dataDir: string): Promise<void> {
  const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, "dist", "cli.js");
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [cli, "local", "stop", "--data", dataDir], { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}
