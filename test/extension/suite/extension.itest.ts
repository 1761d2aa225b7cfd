// Why: integration tests that run inside the REAL VS Code extension host (code-server) against the bundled extension.

import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { markReported } from "../../../src/extension/common/errors";
import { CommandRegistry } from "../../../src/extension/host/commands";
import { CommandId, EXTENSION_ID, ViewId } from "../../../src/extension/common/ids";
import { LOCAL_START_LABEL, notStartedLocalService } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import type { TreeNode } from "../../../src/extension/tree/treeNode";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function activeApi(): Promise<BatchManagerApi> {
  const extension = vscode.extensions.getExtension<BatchManagerApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded (check engines.vscode and the server log)`);
  return extension.activate();
}

const labels = (provider: BatchManagerApi["treeProvider"], nodes: TreeNode[]) => nodes.map((n) => String(provider.getTreeItem(n).label));

suite("Azure Batch Manager in a real extension host", () => {
  test("the extension activates and returns its API", async () => {
    const api = await activeApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.ok(api.model && api.treeProvider && api.explorer && api.logger && api.commands);
    console.log(`  vscode ${vscode.version}, appHost ${vscode.env.appHost}, remote ${vscode.env.remoteName}, node ${process.version}`);
  });

  test("every command id is registered and contributed", async () => {
    await activeApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    for (const id of Object.values(CommandId)) {
      assert.ok(registered.has(id), `${id} not registered`);
      assert.ok(contributed.includes(id), `${id} not contributed in package.json`);
    }
    for (const id of contributed) assert.ok(registered.has(id), `contributed ${id} has no handler`);
  });

  test("the explorer view can be focused and becomes visible", async () => {
    const api = await activeApi();
    await vscode.commands.executeCommand(`${ViewId.explorer}.focus`);
    await waitFor(() => api.explorer.visible, "the Batch Explorer view to be visible");
    assert.equal(api.explorer.visible, true);
  });

  test("the tree's root children are what the model says", async () => {
    const api = await activeApi();
    const { treeProvider, model } = api;
    const roots = await treeProvider.getChildren();
    assert.deepEqual(
      roots.map((n) => n.id),
      model.roots().map((n) => n.id),
    );

    // The same model built from the plain-node modules gives the same tree.
    const reference = new ExplorerModel({ localService: notStartedLocalService });
    assert.deepEqual(
      labels(treeProvider, roots),
      reference.roots().map((n) => n.label),
    );
    assert.deepEqual(labels(treeProvider, roots), ["Accounts"]);
    assert.equal(treeProvider.getTreeItem(roots[0]).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    const accounts = await treeProvider.getChildren(roots[0]);
    assert.deepEqual(labels(treeProvider, accounts), ["Local", "Azure"]);
    assert.equal(treeProvider.getTreeItem(accounts[0]).contextValue, "account.local");
    const local = await treeProvider.getChildren(accounts[0]);
    assert.deepEqual(labels(treeProvider, local), [LOCAL_START_LABEL]);
    assert.equal(treeProvider.getParent(local[0])?.id, accounts[0].id);
  });

  test("a tree node can be revealed and selected in the live view", async () => {
    const api = await activeApi();
    const [accountsNode] = await api.treeProvider.getChildren();
    const [localNode] = await api.treeProvider.getChildren(accountsNode);
    await api.explorer.reveal(localNode, { select: true, focus: false });
    await waitFor(() => api.explorer.selection.some((n) => n.id === localNode.id), "Local to be selected");
  });

  test("batchManager.refresh reloads the explorer", async () => {
    const api = await activeApi();
    let fired = 0;
    const subscription = api.treeProvider.onDidChangeTreeData(() => fired++);
    try {
      assert.equal(await vscode.commands.executeCommand(CommandId.refresh), undefined);
      assert.equal(fired, 1);
    } finally {
      subscription.dispose();
    }
  });

  suite("registerCommand wrapper", () => {
    const shown: string[] = [];
    const logged: string[] = [];
    const subscriptions: vscode.Disposable[] = [];
    const logger = { debug: (m: string) => logged.push(`debug ${m}`), info: () => {}, warn: () => {}, error: (m: string) => logged.push(`error ${m}`) };
    const registry = new CommandRegistry(subscriptions, logger, () => ({ error: async (m: string) => void shown.push(m) }));

    setup(() => {
      shown.length = 0;
      logged.length = 0;
    });
    suiteTeardown(() => {
      for (const d of subscriptions) d.dispose();
    });

    test("returns the command's result and keeps the disposable", async () => {
      registry.registerCommand("batchManager.test.ok", async (x: number) => x * 2);
      assert.equal(subscriptions.length, 1);
      assert.equal(await vscode.commands.executeCommand("batchManager.test.ok", 21), 42);
      assert.deepEqual(shown, []);
    });

    test("shows an error once and does not reject", async () => {
      registry.registerCommand("batchManager.test.fail", () => {
        throw new Error("pool p1 does not exist\nstack-ish detail");
      });
      registry.registerCommand("batchManager.test.outer", async () => {
        // a failing inner step reports its own error and resolves to undefined; the outer command goes on
        await registry.run("inner", () => Promise.reject(new Error("inner failure")), []);
        return "outer done";
      });
      assert.equal(await vscode.commands.executeCommand("batchManager.test.fail"), undefined);
      assert.deepEqual(shown, ["pool p1 does not exist"]);
      assert.ok(logged.some((l) => l.startsWith("error batchManager.test.fail failed: pool p1 does not exist")));
      shown.length = 0;
      assert.equal(await vscode.commands.executeCommand("batchManager.test.outer"), "outer done");
      assert.deepEqual(shown, ["inner failure"]);
    });

    test("an error already shown by an inner step is not shown again", async () => {
      registry.registerCommand("batchManager.test.reported", () => {
        const error = new Error("already shown");
        markReported(error);
        throw error;
      });
      await vscode.commands.executeCommand("batchManager.test.reported");
      assert.deepEqual(shown, []);
      assert.ok(logged.some((l) => l.includes("already shown")));
    });

    test("cancellation is silent", async () => {
      registry.registerCommand("batchManager.test.cancel", () => {
        throw new vscode.CancellationError();
      });
      assert.equal(await vscode.commands.executeCommand("batchManager.test.cancel"), undefined);
      assert.deepEqual(shown, []);
      assert.ok(logged.some((l) => l.startsWith("debug batchManager.test.cancel cancelled")));
    });
  });
});
