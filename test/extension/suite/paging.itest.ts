// Why: in the REAL extension host: auto-refresh updates a job's loaded task pages in place (states, counts), keeps every "Load more…" page
// and expanded task, and redraws only what changed; the explorer's details (a filter that matches nothing, the Local account's data folder, short node ids).

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, Setting } from "../../../src/extension/common/ids";
import { LOAD_MORE_LABEL } from "../../../src/extension/tree/paging";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, scriptedUi, treeLookup, vm } from "./harness";

const JOB = "paging-job";
const PAGE_SIZE = 5;
/** 17 tasks: pages 1–3 hold 15, a "Load more…" stays */
const TASK_IDS = Array.from({ length: 17 }, (_, i) => `t${String(i + 1).padStart(2, "0")}`);

suite("Explorer lists: paging that survives auto-refresh, and details, in a real extension host", () => {
  let api: BatchManagerApi;
  let client: BatchServiceClient;
  const { label, child } = treeLookup(() => api);
  const settings = () => vscode.workspace.getConfiguration(Setting.section);
  const jobsNode = async () => child(await child(await child(undefined, "Accounts"), "Local"), "Jobs");
  const jobNode = async () => child(await jobsNode(), JOB);
  /** waits until auto-refresh has reloaded `count` more times */
  const reloads = (count: number) => {
    const target = api.features.autoRefresh.ticks + count;
    return poll(() => (api.features.autoRefresh.ticks >= target ? true : undefined), `${count} more auto-refreshes`);
  };
  /** what VS Code shows under the job when it asks (getChildren), by label */
  const shownTasks = async (job: TreeNode) => new Map((await api.treeProvider.getChildren(job)).map((node) => [label(node), node]));

  suiteSetup(async () => {
    api = await openExplorer();
    await resetLocalDataFolder(api);
    await settings().update(Setting.pageSize, PAGE_SIZE, vscode.ConfigurationTarget.Global);
    await settings().update(Setting.refreshInterval, 1, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    client = localBatchClient(api);
    await client.pool.add({ id: "paging-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2, taskSlotsPerNode: 10 });
    await client.job.add({ id: JOB, poolInfo: { poolId: "paging-pool" } });
    await client.task.addCollection(
      JOB,
      TASK_IDS.map((id) => ({ id, commandLine: `/bin/sh -c "sleep 300"` })),
    );
    await poll(
      async () => ((await client.task.list(JOB)).every((task) => task.state === "running" && task.nodeInfo?.nodeId) ? true : undefined),
      "every task running",
      60_000,
    );
  });

  suiteTeardown(async () => {
    await client?.job.terminate(JOB).catch(() => undefined);
    await settings().update(Setting.pageSize, undefined, vscode.ConfigurationTarget.Global);
    await settings().update(Setting.refreshInterval, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(CommandId.localStop);
  });

  test("tasks that change while pages 1–3 are shown update in place and only they are redrawn; the pages, the nodes and an expanded task stay", async () => {
    // VS Code holds the items it was given and draws one again (asking it for its children) when a change event names it
    const jobs = await jobsNode();
    const job = await child(jobs, JOB);
    await api.treeProvider.getChildren(job); // the first page, as VS Code asks on expanding the job
    await api.model.loadMore(job);
    await api.model.loadMore(job);
    const before = await shownTasks(job);
    assert.deepEqual([...before.keys()], [...TASK_IDS.slice(0, 15), LOAD_MORE_LABEL]);
    assert.equal(api.treeProvider.getTreeItem(before.get(LOAD_MORE_LABEL)!).description, "15 shown");
    // a task of page 3 expanded: its files are loaded
    // (a task that has just started may not have its directory listed yet: ask as VS Code would, until it has)
    const files = await poll(async () => {
      const names = (await api.treeProvider.getChildren(before.get("t13")!)).map(label);
      return names.includes("stdout.txt") ? names : undefined;
    }, "t13's files");
    assert.equal(api.features.autoRefresh.running, true, "the view is visible and the interval is 1 s");

    // from here on the test only reads the items it holds (no getChildren, which would hand it fresh data itself) and records the events
    const events: (TreeNode | undefined)[] = [];
    const subscription = api.treeProvider.onDidChangeTreeData((node) => void events.push(node ?? undefined));
    const described = (node: TreeNode | undefined) => String(node && api.treeProvider.getTreeItem(node).description);
    try {
      await reloads(1); // what was loaded just now has settled
      events.length = 0;
      await reloads(2);
      assert.deepEqual(
        events.map((node) => node?.id ?? "everything"),
        [],
        "reloads that find nothing changed redraw nothing",
      );

      // one task of page 1 and one of page 3 end; only auto-refresh (no manual refresh) may show it
      await client.task.terminate(JOB, "t02");
      await client.task.terminate(JOB, "t12");
      await poll(
        () => (["t02", "t12"].every((id) => /^completed/.test(described(before.get(id)))) && described(job).includes("2 ✗") ? true : undefined),
        "auto-refresh to show t02 and t12 completed and the job's counts the two failures",
      ).catch((error: Error) =>
        assert.fail(`${error.message}; the tree shows ${[job, ...before.values()].map((node) => `${label(node)}: ${described(node)}`)}`),
      );
      assert.match(described(job), /15 running/);
      const redrawn = [...new Set(events.map((node) => (node ? label(node) : "everything")))].sort();
      assert.ok(redrawn.length > 0, "the changes were redrawn");
      assert.ok(
        redrawn.every((name) => [JOB, "t02", "t12"].includes(name)),
        `only the two tasks that ended and their job (its counts) were redrawn, not the Jobs list nor other tasks: ${redrawn}`,
      );
    } finally {
      subscription.dispose();
    }

    const after = await shownTasks(await child(jobs, JOB));
    assert.deepEqual([...after.keys()], [...TASK_IDS.slice(0, 15), LOAD_MORE_LABEL], "every loaded page is still shown");
    for (const id of TASK_IDS.slice(0, 15)) assert.equal(after.get(id), before.get(id), `${id} is updated in place, not rebuilt`);
    assert.equal(await child(jobs, JOB), job, "the job node itself stays");
    assert.match(described(after.get("t13")), /^running/);
    assert.deepEqual((await api.treeProvider.getChildren(after.get("t13")!)).map(label), files, "the expanded task keeps its files");
  });

  test("a task filter that matches nothing shows one row saying so; clearing it shows the tasks again", async () => {
    const original = api.ui.current;
    api.ui.current = scriptedUi(original, { picks: ["succeeded"] });
    try {
      await vscode.commands.executeCommand(CommandId.filterTasks, await jobNode());
    } finally {
      api.ui.current = original;
    }
    const rows = await api.treeProvider.getChildren(await jobNode());
    assert.deepEqual(rows.map(label), ['No tasks match the filter "succeeded"']);
    assert.equal(rows[0].contextValue, "noMatch");
    await vscode.commands.executeCommand(CommandId.clearFilters);
    assert.ok((await api.treeProvider.getChildren(await jobNode())).some((node) => label(node) === "t01"));
  });

  test("the Local account's tooltip names its data folder; node labels are short ids, the tooltip and Copy Id have the full one", async () => {
    const local = await child(await child(undefined, "Accounts"), "Local");
    const dataDir = api.localService.connection!.dataDir;
    assert.match(String(api.treeProvider.getTreeItem(local).tooltip), new RegExp(`data folder: ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    const pool = await child(await child(local, "Pools"), "paging-pool");
    const nodes = await api.treeProvider.getChildren(pool);
    const fullIds = (await client.computeNode.list("paging-pool")).map((node) => node.id!);
    assert.equal(nodes.length, 2);
    for (const node of nodes) {
      const shown = label(node);
      assert.ok(shown.length <= 24, `a short label: ${shown}`);
      const fullId = fullIds.find((id) => String(api.treeProvider.getTreeItem(node).tooltip).includes(id));
      assert.ok(fullId && fullId.length > shown.length, `the tooltip has the full id: ${api.treeProvider.getTreeItem(node).tooltip}`);
      assert.equal(await vscode.commands.executeCommand(CommandId.copyId, node), fullId);
    }
  });
});
