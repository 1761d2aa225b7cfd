// Why: integration tests of the explorer's actions, filters, progress, auto-refresh and status bar in the REAL extension host, against the local service.

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import type { PickItem } from "../../../src/core/wizard/wizard";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import { CommandId, EXTENSION_ID, Setting } from "../../../src/extension/common/ids";
import type { ReactivateAllResult } from "../../../src/extension/actions/batchActions";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { localBatchClient, openExplorer, poll, treeLookup, vm } from "./harness";

const PROGRESS = `{\\"percent\\":45,\\"message\\":\\"transforming\\",\\"updatedAt\\":\\"2026-01-01T00:00:00Z\\"}`;
const JOB = "ix-job";

suite("Explorer actions, filters and auto-refresh in a real extension host", () => {
  let api: BatchManagerApi;
  let client: BatchServiceClient;
  let original: EditorUi;
  const answers = { confirm: true, pick: "" };
  const infos: string[] = [];
  const { label, child } = treeLookup(() => api);
  const jobsNode = async () => child(await child(await child(undefined, "Accounts"), "Local"), "Jobs");
  const jobNode = async () => child(await jobsNode(), JOB);
  /** Task items of the job as the tree shows them now (no manual refresh). */
  const taskItems = async () =>
    new Map((await api.treeProvider.getChildren(await jobNode())).map((n) => [label(n), { node: n, item: api.treeProvider.getTreeItem(n) }]));
  const taskState = async (id: string) => client.task.get(JOB, id);
  const run = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);

  suiteSetup(async () => {
    api = await openExplorer();
    original = api.ui.current;
    api.ui.current = {
      ...original,
      confirm: async () => answers.confirm,
      pick: async <T>(items: readonly PickItem<T>[]) => items.find((i) => i.label === answers.pick)?.value,
      info: async (message: string) => void infos.push(message),
      revealInOs: async () => undefined,
    };
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.refreshInterval, 1, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    api.ui.current = original;
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.refreshInterval, undefined, vscode.ConfigurationTarget.Global);
    await run(CommandId.localStop);
  });

  test("the status bar item shows the stopped service, then the running one with its active jobs", async () => {
    assert.match(await api.features.statusBar.recount(), /stopped/);
    assert.equal(api.features.statusBar.item.command, CommandId.statusBarClick);
    assert.equal(await run(CommandId.localStart), "running");
    client = localBatchClient(api);
    await client.pool.add({ id: "ix-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2, taskSlotsPerNode: 4 });
    await client.job.add({ id: JOB, poolInfo: { poolId: "ix-pool" } });
    // the data folder outlives the service: jobs of earlier suites count too
    const active = (await client.job.list({ jobListOptions: { filter: "state eq 'active'" } })).length;
    assert.equal(await api.features.statusBar.recount(), `$(vm-running) Batch: ${active} active job${active === 1 ? "" : "s"}`);
  });

  test("a job shows task counts, a running task its progress file; failures are red", async () => {
    await client.task.add(JOB, { id: "ok", commandLine: `/bin/sh -c "echo fine"` });
    await client.task.add(JOB, { id: "fail-1", commandLine: `/bin/sh -c "exit 3"` });
    await client.task.add(JOB, { id: "fail-2", commandLine: `/bin/sh -c "exit 4"` });
    await client.task.add(JOB, { id: "long", commandLine: `/bin/sh -c 'echo "${PROGRESS}" > progress.json; sleep 300'` });
    await poll(
      async () => {
        const byId = new Map((await client.task.list(JOB)).map((t) => [t.id, t.state]));
        return byId.get("long") === "running" && ["ok", "fail-1", "fail-2"].every((id) => byId.get(id) === "completed") ? true : undefined;
      },
      "three completed tasks and a running one",
      60_000,
    );
    await poll(async () => {
      await run(CommandId.refresh);
      return (await taskItems()).get("long")?.item.description === "running · 45% transforming" ? true : undefined;
    }, "the progress in the running task's description");
    assert.equal(api.treeProvider.getTreeItem(await jobNode()).description, "active · 1 running · 1 ✓ · 2 ✗ · ix-pool");
    const failed = (await taskItems()).get("fail-1")!.item;
    assert.equal(failed.contextValue, "task completed failed local");
    assert.equal((failed.iconPath as vscode.ThemeIcon).color?.id, "testing.iconFailed");
  });

  test("auto-refresh updates a task from running to completed without a manual refresh; once nothing changes, the job is not redrawn", async () => {
    assert.equal(api.explorer.visible, true);
    assert.equal(api.features.autoRefresh.running, true, "the view is visible and the interval is 1 s");
    await client.task.add(JOB, { id: "short", commandLine: `/bin/sh -c "sleep 2"` });
    await poll(async () => {
      await run(CommandId.refresh);
      return (await taskItems()).get("short")?.item.description === "running" ? true : undefined;
    }, "the short task running in the tree");
    // What VS Code does on a change event for node X: it draws X again and asks for its children. Only auto-refresh fires events
    // from here on, and only for what changed: the task, or its job (whose counts change with it).
    const ticks = api.features.autoRefresh.ticks;
    const events: (TreeNode | undefined)[] = [];
    const subscription = api.treeProvider.onDidChangeTreeData((node) => void events.push(node ?? undefined));
    const shortUnder = async (node: TreeNode | undefined) => {
      if (!node) return undefined;
      if (label(node) === "short") return node;
      const job = node.contextValue === "jobs" ? (await api.treeProvider.getChildren(node)).find((n) => label(n) === JOB) : node;
      return job?.id.endsWith(`/job:${JOB}`) ? (await api.treeProvider.getChildren(job)).find((n) => label(n) === "short") : undefined;
    };
    const jobId = `accounts/local/jobs/job:${JOB}`;
    /** the events that redrew the job or anything under it (the Jobs list above it may change with other suites' jobs: paging.itest checks it) */
    const aboutJob = () => events.filter((node) => node && (node.id === jobId || node.id.startsWith(`${jobId}/`)));
    let item: vscode.TreeItem;
    try {
      let seen = 0;
      item = await poll(async () => {
        for (; seen < events.length; seen++) {
          const short = await shortUnder(events[seen]);
          const shown = short && api.treeProvider.getTreeItem(short);
          if (shown?.description === "completed · exit 0") return shown;
        }
        return undefined;
      }, "auto-refresh to show the short task completed");
      assert.ok(api.features.autoRefresh.ticks > ticks);
      // nothing under the job changes any more (one task sleeps, the others ended): once settled, reloads redraw none of it
      const settled = api.features.autoRefresh.ticks + 1;
      await poll(() => (api.features.autoRefresh.ticks >= settled ? true : undefined), "the next auto-refresh");
      events.length = 0;
      await poll(() => (api.features.autoRefresh.ticks >= settled + 2 ? true : undefined), "two more auto-refreshes");
      assert.deepEqual(
        aboutJob().map((node) => node?.id),
        [],
        "two reloads that found nothing new there redrew nothing",
      );
    } finally {
      subscription.dispose();
    }
    assert.equal((item.iconPath as vscode.ThemeIcon).id, "pass");
  });

  test("filters: tasks by failure, jobs by state; the parent's description shows them; All clears", async () => {
    answers.pick = "failed";
    assert.equal(await run(CommandId.filterTasks, await jobNode()), "executionInfo/result eq 'failure'");
    assert.deepEqual([...(await taskItems()).keys()].sort(), ["fail-1", "fail-2"]);
    assert.match(String(api.treeProvider.getTreeItem(await jobNode()).description), /filter: failed$/);
    answers.pick = "All";
    assert.equal(await run(CommandId.filterTasks, await jobNode()), null);
    assert.equal((await taskItems()).size, 5);
    answers.pick = "completed";
    await run(CommandId.filterJobs, await jobsNode());
    assert.ok(!(await api.treeProvider.getChildren(await jobsNode())).some((n) => label(n) === JOB), "the active job is filtered out");
    assert.equal(api.treeProvider.getTreeItem(await jobsNode()).description, "filter: completed");
    await run(CommandId.clearFilters);
    assert.ok((await api.treeProvider.getChildren(await jobsNode())).some((n) => label(n) === JOB));
  });

  test("terminate a running task (confirmed): it completes with a failure", async () => {
    const { node } = (await taskItems()).get("long")!;
    answers.confirm = false;
    assert.equal(await run(CommandId.taskTerminate, node), undefined, "declined: nothing happens");
    assert.equal((await taskState("long")).state, "running");
    answers.confirm = true;
    assert.equal(await run(CommandId.taskTerminate, node), "terminated");
    const task = await poll(async () => ((await taskState("long")).state === "completed" ? taskState("long") : undefined), "the task to complete");
    assert.equal(task.executionInfo?.result, "failure");
  });

  test("reactivate all failed tasks of a job", async () => {
    const before = (await taskState("fail-1")).stateTransitionTime!;
    const result = await run<ReactivateAllResult>(CommandId.jobReactivateFailed, await jobNode());
    assert.equal(result?.total, 3);
    assert.equal(result?.reactivated, 3);
    assert.match(infos.at(-1) ?? "", /Reactivated 3 of 3 failed tasks/);
    const after = await taskState("fail-1");
    assert.ok(after.state !== "completed" || after.stateTransitionTime! > before);
    assert.notEqual((await taskState("long")).executionInfo?.result, "failure");
  });

  test("disable (requeue) and enable the job", async () => {
    answers.pick = "requeue";
    assert.equal(await run(CommandId.jobDisable, await jobNode()), "disabled");
    await poll(async () => ((await client.job.get(JOB)).state === "disabled" ? true : undefined), "the job disabled");
    await poll(async () => ((await jobNode()).contextValue === "job disabled local" ? true : undefined), "the tree to show it disabled");
    assert.equal(await run(CommandId.jobEnable, await jobNode()), "enabled");
    await poll(async () => ((await client.job.get(JOB)).state === "active" ? true : undefined), "the job active");
  });

  test("copy id, open in portal (Azure only), open the local data folder", async () => {
    assert.equal(await run(CommandId.copyId, await jobNode()), JOB);
    assert.equal(await vscode.env.clipboard.readText(), JOB);
    assert.equal(await run(CommandId.openInPortal, await jobNode()), undefined);
    assert.match(infos.at(-1) ?? "", /Azure Batch accounts only/);
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus["view/item/context"] as { command: string; when: string }[];
    const portal = menus.find((m) => m.command === CommandId.openInPortal)!.when;
    const regex = new RegExp(/\/(.+)\//.exec(portal)![1]);
    assert.ok(!regex.test((await jobNode()).contextValue) && regex.test("job active azure"), "hidden for local items");
    assert.equal(await run(CommandId.localOpenDataFolder), api.localService.connection!.dataDir);
  });

  test("delete the job (confirmed)", async () => {
    assert.equal(await run(CommandId.jobDelete, await jobNode()), "deleted");
    await poll(async () => ((await client.job.list()).some((j) => j.id === JOB) ? undefined : true), "the job gone");
    assert.ok(!(await api.treeProvider.getChildren(await jobsNode())).some((n) => label(n) === JOB));
    const active = (await client.job.list({ jobListOptions: { filter: "state eq 'active'" } })).length;
    assert.match(await api.features.statusBar.recount(), new RegExp(`Batch: ${active} active job`));
  });
});
