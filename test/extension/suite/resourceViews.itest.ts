// Why: the job and pool views in the REAL extension host against the real local service: the table's pages, search and state filter equal the service's lists, the chart samples its task counts while visible, the heat map shows its nodes, a row opens the task's stdout.

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { CommandId } from "../../../src/extension/common/ids";
import type { BatchManagerApi } from "../../../src/extension/extension";
import type { JobView } from "../../../src/extension/host/jobViewPanel";
import type { PoolView } from "../../../src/extension/host/poolViewPanel";
import { TASK_PAGE_SIZE, TASK_TABLE_SELECT, type TaskRow, taskRow } from "../../../src/extension/views/taskTable";
import type { JobPageMessage, JobViewMessage } from "../../../src/extension/views/viewMessages";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, treeLookup, vm } from "./harness";

const POOL = "rv-pool";
const JOB = "rv-job";
const WAITING = 600;
const waitId = (i: number) => `wait-${String(i).padStart(3, "0")}`;

type RowsMessage = Extract<JobViewMessage, { type: "rows" }>;
/** A row without its duration (a running task's grows with the clock). */
const stable = ({ durationMs: _d, ...row }: TaskRow) => row;

suite("Job and pool views in a real extension host", () => {
  let api: BatchManagerApi;
  let client: BatchServiceClient;
  let view: JobView;
  const { child } = treeLookup(() => api);
  const run = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);
  const rowsPosted = (from: number) => view.posted.slice(from).filter((m): m is RowsMessage => m.type === "rows");
  const nextRows = (from: number, what: string) => poll(() => rowsPosted(from)[0], what);
  const tasksOfState = async (state: string) => (await client.task.list(JOB, { taskListOptions: { filter: `state eq '${state}'` } })).length;

  suiteSetup(async function () {
    this.timeout(180_000);
    api = await openExplorer();
    assert.equal(await run(CommandId.localStart), "running");
    client = localBatchClient(api);
    await client.pool.add({ id: POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2, taskSlotsPerNode: 2 });
    await client.job.add({ id: JOB, poolInfo: { poolId: POOL } });
    // succeeded and failed first; then four long tasks fill the four slots, so the rest stay active
    await client.task.addCollection(JOB, [
      { id: "ok-1", commandLine: '/bin/sh -c "echo hello from ok-1"' },
      { id: "ok-2", commandLine: '/bin/sh -c "echo two"' },
      { id: "bad-1", commandLine: '/bin/sh -c "exit 3"' },
    ]);
    await poll(async () => ((await tasksOfState("completed")) === 3 ? true : undefined), "ok-1, ok-2 and bad-1 to complete", 120_000);
    await client.task.addCollection(
      JOB,
      Array.from({ length: 4 }, (_, i) => ({ id: `slow-${i}`, commandLine: '/bin/sh -c "sleep 300"' })),
    );
    await poll(async () => ((await tasksOfState("running")) === 4 ? true : undefined), "the four slow tasks to run", 120_000);
    for (let start = 0; start < WAITING; start += 100) {
      await client.task.addCollection(
        JOB,
        Array.from({ length: 100 }, (_, i) => ({ id: waitId(start + i), commandLine: "/bin/true" })),
      );
    }
    await run(CommandId.refresh);
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await client?.job.terminate(JOB).catch(() => undefined);
    await resetLocalDataFolder(api);
  });

  test("Open Job View: the first page equals the service's first page, and the page draws a virtualised window of it", async () => {
    const jobs = await child(await child(await child(undefined, "Accounts"), "Local"), "Jobs");
    const jobNode = await child(jobs, JOB);
    view = (await run<JobView>(CommandId.openJobView, jobNode))!;
    assert.ok(view?.panel, "the command returns the view");
    assert.match(view.panel.webview.html, /Content-Security-Policy" content="default-src 'none';/);
    const rendered = (await view.waitFor((m) => m.type === "rendered" && m.what === "rows" && m.queryId === 1)) as Extract<JobPageMessage, { what: "rows" }>;
    const [first] = rowsPosted(0);
    const expected = await client.task.list(JOB, { taskListOptions: { select: TASK_TABLE_SELECT, maxResults: TASK_PAGE_SIZE } });
    assert.equal(first.append, false);
    assert.equal(first.more, true);
    assert.equal(first.rows.length, TASK_PAGE_SIZE);
    assert.deepEqual(
      first.rows.map(stable),
      expected.map((t) => stable(taskRow(t))),
    );
    const byId = new Map(first.rows.map((r) => [r.id, r]));
    assert.equal(byId.get("bad-1")?.failed, true);
    assert.equal(byId.get("bad-1")?.exitCode, 3);
    assert.equal(byId.get("ok-1")?.exitCode, 0);
    assert.ok(byId.get("slow-0")?.nodeId, "a running task names its node");
    assert.equal(rendered.loaded, TASK_PAGE_SIZE);
    assert.ok(rendered.domRows > 0 && rendered.domRows < 100, `only a window of rows is in the DOM (${rendered.domRows})`);
    assert.deepEqual(
      rendered.domIds,
      first.rows.slice(0, rendered.domRows).map((r) => r.id),
    );
  });

  test("scrolling on: the next page is the service's next page; pages end with the job's last task", async () => {
    const [first] = rowsPosted(0);
    const pageOne = await client.task.list(JOB, { taskListOptions: { select: TASK_TABLE_SELECT, maxResults: TASK_PAGE_SIZE } });
    const pageTwo = await client.task.listNext(pageOne.odatanextLink!);
    const from = view.posted.length;
    await view.receive({ type: "more", queryId: first.queryId });
    const second = await nextRows(from, "the second page");
    assert.equal(second.append, true);
    assert.deepEqual(
      second.rows.map(stable),
      pageTwo.map((t) => stable(taskRow(t))),
    );
    const after = view.posted.length;
    await view.receive({ type: "more", queryId: first.queryId });
    const third = await nextRows(after, "the third page");
    assert.equal(third.more, false, `${3 + 4 + WAITING} tasks fit in three pages of ${TASK_PAGE_SIZE}`);
    assert.equal(third.rows.at(-1)?.id, waitId(WAITING - 1));
    await view.waitFor((m) => m.type === "rendered" && m.what === "rows" && m.loaded === 3 + 4 + WAITING);
  });

  test("search and state filter: the service's $filter answers are what the table gets", async () => {
    let from = view.posted.length;
    await view.receive({ type: "query", state: "failed", idPrefix: "" });
    const failed = await nextRows(from, "the failed tasks");
    assert.equal(failed.filter, "state eq 'completed' and executionInfo/result eq 'failure'");
    const serviceFailed = await client.task.list(JOB, { taskListOptions: { select: TASK_TABLE_SELECT, filter: failed.filter } });
    assert.deepEqual(
      failed.rows.map((r) => r.id),
      ["bad-1"],
    );
    assert.deepEqual(
      failed.rows.map(stable),
      serviceFailed.map((t) => stable(taskRow(t))),
    );

    from = view.posted.length;
    await view.receive({ type: "query", state: "active", idPrefix: "wait-1" });
    const search = await nextRows(from, "the search's rows");
    assert.equal(search.filter, "state eq 'active' and startswith(id,'wait-1')");
    const serviceSearch = await client.task.list(JOB, { taskListOptions: { select: TASK_TABLE_SELECT, filter: search.filter } });
    assert.deepEqual(
      search.rows.map((r) => r.id),
      Array.from({ length: 100 }, (_, i) => waitId(100 + i)),
    );
    assert.deepEqual(
      search.rows.map(stable),
      serviceSearch.map((t) => stable(taskRow(t))),
    );
    assert.equal(search.more, false);
    await view.waitFor((m) => m.type === "rendered" && m.what === "rows" && m.queryId === search.queryId);

    from = view.posted.length;
    await view.receive({ type: "query", state: "running", idPrefix: "" });
    const running = await nextRows(from, "the running tasks");
    assert.deepEqual(running.rows.map((r) => r.id).sort(), ["slow-0", "slow-1", "slow-2", "slow-3"]);
  });

  test("the chart: samples of the service's task counts while visible, drawn with a line per state; hidden stops sampling", async () => {
    const drawn = (await view.waitFor((m) => m.type === "rendered" && m.what === "chart" && m.samples >= 2, 60_000)) as Extract<
      JobPageMessage,
      { what: "chart" }
    >;
    assert.deepEqual(drawn.series, ["active", "running", "succeeded", "failed"]);
    const counts = (await client.job.getTaskCounts(JOB)).taskCounts;
    const latest = view.samples.at(-1)!;
    assert.deepEqual(
      { active: latest.active, running: latest.running, succeeded: latest.succeeded, failed: latest.failed },
      { active: counts.active, running: counts.running, succeeded: counts.succeeded, failed: counts.failed },
    );
    assert.deepEqual([latest.active, latest.running, latest.succeeded, latest.failed], [WAITING, 4, 2, 1]);
    assert.ok(view.samples.length >= 2 && view.samples[1].timeMs > view.samples[0].timeMs);
    assert.equal(view.poller.active, true);

    const document = await vscode.workspace.openTextDocument({ content: "covers the job view" });
    await vscode.window.showTextDocument(document, { viewColumn: view.panel.viewColumn, preview: false });
    await poll(() => (!view.panel.visible && !view.poller.active ? true : undefined), "the hidden view to stop sampling");
    const received = view.received.length;
    view.panel.reveal();
    await poll(() => (view.poller.active ? true : undefined), "the shown view to sample again");
    // the page is loaded again when shown: it gets the table's query back, and that query's rows
    await view.waitFor((m) => m.type === "rendered" && m.what === "rows", 30_000, received);
    const init = view.posted.filter((m) => m.type === "init").at(-1);
    assert.deepEqual(init?.type === "init" && init.query, { state: "running", idPrefix: "" });
  });

  test("a row opens its task's stdout through the batch: file system", async () => {
    await view.receive({ type: "open", taskId: "ok-1" });
    const editor = await poll(
      () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === "batch://local/jobs/rv-job/tasks/ok-1/files/stdout.txt"),
      "ok-1's stdout in an editor",
    );
    assert.match(editor.document.getText(), /hello from ok-1/);
    view.panel.dispose();
    await poll(() => (view.poller.active ? undefined : true), "the closed view to stop sampling");
  });

  test("Open Pool View: the heat map shows every node with the service's state and running-task count", async () => {
    const pools = await child(await child(await child(undefined, "Accounts"), "Local"), "Pools");
    const poolView = (await run<PoolView>(CommandId.openPoolView, await child(pools, POOL)))!;
    assert.ok(poolView?.panel, "the command returns the view");
    const rendered = (await poolView.waitFor((m) => m.type === "rendered" && m.what === "heatmap")) as Extract<
      Parameters<Parameters<PoolView["waitFor"]>[0]>[0],
      { what: "heatmap" }
    >;
    const nodes = await client.computeNode.list(POOL);
    assert.equal(nodes.length, 2);
    assert.deepEqual(
      rendered.nodes,
      nodes.map((n) => ({ id: n.id, state: n.state, running: n.runningTasksCount ?? 0 })),
    );
    assert.deepEqual(
      rendered.nodes.map((n) => [n.state, n.running]),
      [
        ["running", 2],
        ["running", 2],
      ],
    );
    const reads = poolView.posted.filter((m) => m.type === "nodes").length;
    await poll(() => (poolView.posted.filter((m) => m.type === "nodes").length > reads ? true : undefined), "the heat map to refresh while visible", 30_000);
    poolView.panel.dispose();
    await poll(() => (poolView.poller.active ? undefined : true), "the closed pool view to stop refreshing");
  });
});
