// Why: integration tests of the Local account in the REAL extension host: start the service by command, explore it, stop it.

import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, Setting } from "../../../src/extension/common/ids";
import { LOCAL_START_LABEL } from "../../../src/extension/tree/accountNodes";
import { LOAD_MORE_LABEL } from "../../../src/extension/tree/paging";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { localBatchClient, openExplorer, poll, treeLookup, vm } from "./harness";

suite("Local Batch service in a real extension host", () => {
  let api: BatchManagerApi;
  const { label, child } = treeLookup(() => api);
  const labels = (nodes: TreeNode[]) => nodes.map(label);
  const localNode = async () => child(await child(undefined, "Accounts"), "Local");

  suiteSetup(async () => {
    api = await openExplorer();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.pageSize, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(CommandId.localStop);
  });

  test("while stopped, Local offers to start the service", async () => {
    assert.equal(api.localService.state, "stopped");
    const [start] = await api.treeProvider.getChildren(await localNode());
    const item = api.treeProvider.getTreeItem(start);
    assert.equal(item.label, LOCAL_START_LABEL);
    assert.equal(item.command?.command, CommandId.localStart);
  });

  test("batchManager.local.start starts the service and the API exposes its connection", async () => {
    const changed: unknown[] = [];
    const subscription = api.treeProvider.onDidChangeTreeData((node) => changed.push(node));
    try {
      assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    } finally {
      subscription.dispose();
    }
    assert.equal(api.localService.state, "running");
    const connection = api.localService.connection!;
    assert.equal(connection.accountName, "localbatch");
    assert.match(connection.batchUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(connection.dataDir, process.env.BATCH_MANAGER_LOCAL_DATA, "the default data folder is the CLI's ($BATCH_MANAGER_LOCAL_DATA in the test host)");
    assert.ok(changed.length >= 2, "the tree refreshed on starting and running");
    const local = await localNode();
    assert.deepEqual(labels(await api.treeProvider.getChildren(local)), ["Pools", "Jobs", "Job Schedules"]);
    assert.equal(api.treeProvider.getTreeItem(local).description, `running · ${connection.batchUrl}`);
  });

  test("a pool, its node, a job and its tasks created through the SDK show in the tree", async () => {
    const client = localBatchClient(api);
    await client.pool.add({ id: "itest-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
    await client.job.add({ id: "itest-job", poolInfo: { poolId: "itest-pool" } });
    await client.task.add("itest-job", { id: "t1-ok", commandLine: `/bin/sh -c "echo hello"` });
    await client.task.add("itest-job", { id: "t2-fails", commandLine: `/bin/sh -c "exit 7"` });
    await client.task.add("itest-job", { id: "t3-ok", commandLine: `/bin/sh -c "echo bye"` });
    await poll(async () => ((await client.task.list("itest-job")).every((t) => t.state === "completed") ? true : undefined), "the tasks to complete", 45_000);

    await vscode.commands.executeCommand(CommandId.refresh);
    const local = await localNode();
    const pool = await child(await child(local, "Pools"), "itest-pool");
    const nodes = await poll(async () => {
      await vscode.commands.executeCommand(CommandId.refresh, pool);
      const list = await api.treeProvider.getChildren(pool);
      return list.length === 1 && list[0].contextValue === "computeNode" ? list : undefined;
    }, "the pool's node in the tree");
    assert.ok(api.treeProvider.getTreeItem(nodes[0]).description);

    const job = await child(await child(local, "Jobs"), "itest-job");
    const tasks = await api.treeProvider.getChildren(job);
    const items = new Map(tasks.map((t) => [label(t), api.treeProvider.getTreeItem(t)]));
    assert.deepEqual([...items.keys()].sort(), ["t1-ok", "t2-fails", "t3-ok"]);
    assert.equal(items.get("t1-ok")!.description, "completed · exit 0");
    assert.equal(items.get("t2-fails")!.description, "completed · exit 7");
    const icon = items.get("t2-fails")!.iconPath as vscode.ThemeIcon;
    assert.equal(icon.id, "error");
    assert.equal(icon.color?.id, "testing.iconFailed");
    assert.equal((items.get("t1-ok")!.iconPath as vscode.ThemeIcon).id, "pass");

    await api.explorer.reveal(job, { select: true, focus: false, expand: true });
  });

  test("the pageSize setting pages the lists and batchManager.loadMore loads the rest", async () => {
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.pageSize, 2, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(CommandId.refresh);
    const job = await child(await child(await localNode(), "Jobs"), "itest-job");
    const firstPage = await api.treeProvider.getChildren(job);
    assert.equal(firstPage.length, 3);
    const more = api.treeProvider.getTreeItem(firstPage[2]);
    assert.equal(more.label, LOAD_MORE_LABEL);
    assert.equal(more.command?.command, CommandId.loadMore);
    await vscode.commands.executeCommand(more.command!.command, ...(more.command!.arguments ?? []));
    assert.deepEqual(labels(await api.treeProvider.getChildren(job)).sort(), ["t1-ok", "t2-fails", "t3-ok"]);
  });

  test("batchManager.local.stop stops the service and Local offers to start it again", async () => {
    const { batchUrl } = api.localService.connection!;
    assert.equal(await vscode.commands.executeCommand(CommandId.localStop), "stopped");
    assert.equal(api.localService.state, "stopped");
    assert.equal(api.localService.connection, undefined);
    await assert.rejects(fetch(`${batchUrl}/pools?api-version=2022-10-01.16.0`), "the service no longer answers");
    const local = await localNode();
    assert.deepEqual(labels(await api.treeProvider.getChildren(local)), [LOCAL_START_LABEL]);
    assert.equal(api.treeProvider.getTreeItem(local).description, "stopped");
  });
});
