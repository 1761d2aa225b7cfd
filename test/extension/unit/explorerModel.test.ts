// Why: plain-node (node:test) unit tests of the explorer's vscode-free tree model (no extension host needed), and of what its auto-refresh redraws.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommandId } from "../../../src/extension/common/ids";
import { LOCAL_START_LABEL, type LocalServiceProbe, notStartedLocalService } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { LOAD_MORE_LABEL } from "../../../src/extension/tree/paging";
import { renderingOf } from "../../../src/extension/tree/shownTree";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { FakeBatch, fakeExplorer } from "../support/fakeBatch";
import { allNodeIds } from "../support/treeIds";

const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

/** Resolves once `condition` holds, checked after each turn of the event loop (fails after 2 s). */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("extension tree model", () => {
  it("the only root is an expanded Accounts node holding the Local account", async () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const roots = await model.children();
    assert.deepEqual(labelsOf(roots), ["Accounts"]);
    assert.equal(roots[0].collapsible, "expanded");
    const accounts = await model.children(roots[0]);
    assert.deepEqual(labelsOf(accounts), ["Local"]);
    assert.equal(accounts[0].id, "accounts/local");
    assert.equal(accounts[0].parent, roots[0]);
  });

  it("a stopped local service shows one action leaf that starts it", async () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const [local] = await model.children(model.roots()[0]);
    const children = await model.children(local);
    assert.deepEqual(labelsOf(children), [LOCAL_START_LABEL]);
    assert.equal(children[0].collapsible, "none");
    assert.equal(children[0].contextValue, "action");
    assert.equal(children[0].command?.id, CommandId.localStart);
    assert.deepEqual(await model.children(children[0]), []);
  });

  it("a running local service without a client shows its endpoint", async () => {
    const running: LocalServiceProbe = { getStatus: async () => ({ state: "running", endpoint: "http://127.0.0.1:10100", accountName: "local" }) };
    const model = new ExplorerModel({ localService: running });
    const [local] = await model.children(model.roots()[0]);
    assert.deepEqual(labelsOf(await model.children(local)), ["Running at http://127.0.0.1:10100"]);
  });

  it("a failing status probe becomes an error item instead of failing the list", async () => {
    const broken: LocalServiceProbe = {
      getStatus: async () => {
        throw new Error("ECONNREFUSED 127.0.0.1:10100");
      },
    };
    const model = new ExplorerModel({ localService: broken });
    const [local] = await model.children(model.roots()[0]);
    const children = await model.children(local);
    assert.equal(children.length, 1);
    assert.equal(children[0].contextValue, "error");
    assert.equal(children[0].label, "Error: Could not query the local service: cannot reach the local service at 127.0.0.1:10100 (nothing is listening there)");
  });

  it("a node whose getChildren throws yields one ErrorNode and a log line", async () => {
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => errors.push(m) };
    const model = new ExplorerModel({ localService: notStartedLocalService, logger });
    const bad: TreeNode = { id: "bad", label: "bad", contextValue: "x", collapsible: "collapsed", getChildren: () => Promise.reject(new Error("boom")) };
    const children = await model.children(bad);
    assert.deepEqual(labelsOf(children), ["Error: boom"]);
    assert.equal(children[0].id, "bad/error:children");
    assert.deepEqual(errors, ['Loading children of "bad" failed: boom']);
  });

  it("refresh notifies listeners until they are disposed", () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const seen: (string | undefined)[] = [];
    const subscription = model.onDidChange((node) => seen.push(node?.id));
    model.refresh();
    model.refresh(model.roots()[0]);
    subscription.dispose();
    model.refresh();
    assert.deepEqual(seen, [undefined, "accounts"]);
  });

  it("node ids are unique across the tree", async () => {
    const model = new ExplorerModel({ localService: notStartedLocalService });
    const ids = await allNodeIds(model);
    assert.equal(new Set(ids).size, ids.length);
  });
});

/** An account with one active job j1: t1 running (with files), t2 completed; the Jobs branch and the job expanded as a view does. */
async function activeJob(pageSize = 5) {
  const batch = new FakeBatch();
  batch.jobs.push({
    id: "j1",
    state: "active",
    tasks: [
      { id: "t1", state: "running", files: { "stdout.txt": 5, "stderr.txt": 0 } },
      { id: "t2", state: "completed", exitCode: 0 },
    ],
  });
  const explorer = fakeExplorer(batch, pageSize);
  const [, jobs] = await explorer.expand("Accounts", "Local");
  const [job] = await explorer.model.children(jobs);
  const tasks = await explorer.model.children(job);
  return { batch, ...explorer, jobs, job, tasks };
}

/** A model, the change events it fires, and an expanded branch (reloadable in place) whose children `read` gives. */
function modelWithBranch(read: () => Promise<TreeNode[]>) {
  const model = new ExplorerModel({ localService: notStartedLocalService });
  const events: (TreeNode | undefined)[] = [];
  model.onDidChange((node) => events.push(node));
  const branch: TreeNode = {
    id: "branch",
    label: "branch",
    contextValue: "x",
    collapsible: "expanded",
    markStale: () => {},
    invalidate: () => {},
    getChildren: read,
  };
  return { model, events, branch };
}

/** The change events named exactly these node objects (the ones the view holds), in this order. */
function assertRedrawn(events: readonly (TreeNode | undefined)[], expected: readonly TreeNode[], message?: string): void {
  assert.deepEqual(
    events.map((node) => node?.id),
    expected.map((node) => node.id),
    message,
  );
  for (const [i, node] of expected.entries()) assert.equal(events[i], node, `event ${i} names the node object the view holds`);
}

describe("auto-refresh reloads first, then redraws only what changed (fake account)", () => {
  it("a reload that finds nothing changed redraws nothing", async () => {
    const { model, batch, events, jobs } = await activeJob();
    const calls = batch.calls.length;
    assert.deepEqual(await model.refreshActive(), [jobs], "the Jobs branch shows an active job");
    assert.deepEqual(batch.calls.slice(calls), ["job.list", "task.list j1"], "the jobs and the shown job's tasks were read again");
    assertRedrawn(events, []);
  });

  it("one task's state changes: exactly that task is redrawn, updated in place", async () => {
    const { model, batch, events, job, tasks } = await activeJob();
    Object.assign(batch.task("j1", "t1"), { state: "completed", exitCode: 0 });
    await model.refreshActive();
    assertRedrawn(events, [tasks[0]], "the task object the view holds, nothing above or beside it");
    assert.equal(tasks[0].description, "completed · exit 0");
    assert.equal(tasks[0].icon, "pass");
    assert.deepEqual(await model.children(job), tasks, "the same nodes");
    events.length = 0;
    await model.refreshActive();
    assertRedrawn(events, [], "the view has the new rendering: the next reload redraws nothing");
  });

  it("a job's own state changes: the job item is redrawn, not the Jobs list", async () => {
    const { model, batch, events, job } = await activeJob();
    batch.job("j1").state = "disabled";
    await model.refreshActive();
    assertRedrawn(events, [job]);
    assert.match(job.description ?? "", /^disabled/);
  });

  it("a task added or removed, or Load more… appearing: the job (the parent) is redrawn once", async () => {
    const { model, batch, events, job } = await activeJob(3);
    batch.job("j1").tasks.push({ id: "t3", state: "active" });
    await model.refreshActive();
    assertRedrawn(events, [job]);
    assert.deepEqual(labelsOf(await model.children(job)), ["t1", "t2", "t3"]);
    events.length = 0;
    batch.job("j1").tasks.splice(1, 1);
    await model.refreshActive();
    assertRedrawn(events, [job]);
    assert.deepEqual(labelsOf(await model.children(job)), ["t1", "t3"]);
    events.length = 0;
    batch.job("j1").tasks.push({ id: "t4", state: "active" }, { id: "t5", state: "active" });
    await model.refreshActive();
    assertRedrawn(events, [job]);
    assert.deepEqual(labelsOf(await model.children(job)), ["t1", "t3", "t4", LOAD_MORE_LABEL]);
    events.length = 0;
    await model.refreshActive();
    assertRedrawn(events, [], "a Load more… item built anew but drawn the same is not redrawn");
  });

  it("a redraw is not repeated when the view does not ask again (a collapsed node): it will show the reloaded list when expanded", async () => {
    const { model, batch, events, job, tasks } = await activeJob();
    await model.children(tasks[0]);
    batch.job("j1").state = "terminating";
    batch.job("j1").tasks.push({ id: "t3", state: "active" });
    batch.task("j1", "t1").files!["stdout.txt"] = 99;
    await model.refreshActive();
    assertRedrawn(events, [job]);
    await model.refreshActive();
    assertRedrawn(events, [job], "nothing changed since the redraw");
  });

  it("an expanded task's files under an active job update too: a file's size redraws that file, a new file its task", async () => {
    const { model, batch, events, tasks } = await activeJob();
    const files = await model.children(tasks[0]);
    assert.deepEqual(labelsOf(files), ["stdout.txt", "stderr.txt"]);
    batch.task("j1", "t1").files!["stdout.txt"] = 12;
    await model.refreshActive();
    assertRedrawn(events, [files[0]]);
    assert.equal(files[0].description, "12 B");
    events.length = 0;
    batch.task("j1", "t1").files!.wd = 0;
    await model.refreshActive();
    assertRedrawn(events, [tasks[0]]);
    const after = await model.children(tasks[0]);
    assert.deepEqual(labelsOf(after), ["stdout.txt", "stderr.txt", "wd"]);
    assert.equal(after[0], files[0], "the file nodes stay");
  });

  it("changes at several depths redraw the outermost changed node only (a redraw covers what is under it)", async () => {
    const { model, batch, events, job, tasks } = await activeJob();
    await model.children(tasks[0]);
    batch.job("j1").state = "terminating";
    batch.task("j1", "t1").state = "completed";
    batch.task("j1", "t1").files!["stdout.txt"] = 99;
    await model.refreshActive();
    assertRedrawn(events, [job]);
  });

  it("a failing reload keeps the loaded children and redraws nothing; it stays stale, so the next reload shows the change", async () => {
    const { model, batch, events, warnings, job, tasks } = await activeJob();
    Object.assign(batch.task("j1", "t1"), { state: "completed", exitCode: 1 });
    batch.failing = "socket hang up";
    await model.refreshActive();
    assertRedrawn(events, []);
    assert.equal(tasks[0].description, "running", "the loaded task is kept as it was");
    assert.match(warnings.join("\n"), /Auto-refresh of "accounts\/local\/jobs" failed \(its loaded items stay\): socket hang up/);
    batch.failing = undefined;
    await model.refreshActive();
    assertRedrawn(events, [tasks[0]]);
    assert.equal(tasks[0].description, "completed · exit 1");
    assert.deepEqual(await model.children(job), tasks);
  });

  it("a view that asks again after a failed reload sees the error item, as before; the loaded children come back", async () => {
    const { model, batch, jobs, job } = await activeJob();
    batch.failing = "socket hang up";
    await model.refreshActive();
    assert.deepEqual(labelsOf(await model.children(jobs)), ["Error: socket hang up"]);
    batch.failing = undefined;
    const [again] = await model.children(jobs);
    assert.equal(again, job);
  });

  it("a branch is reloaded through the node last asked for its children: a refreshed one only once asked again", async () => {
    const { model, batch, expand, jobs } = await activeJob();
    assert.deepEqual(model.activeBranches(), [jobs]);
    model.refresh(jobs);
    assert.deepEqual(model.activeBranches(), [], "refreshed: its pages are dropped, nothing to reload in place");
    const calls = batch.calls.length;
    assert.deepEqual(await model.refreshActive(), []);
    assert.equal(batch.calls.length, calls, "nothing was read");
    const [, again] = await expand("Accounts", "Local");
    assert.notEqual(again, jobs, "Local builds its branches anew");
    await model.children(again);
    assert.equal(model.activeBranches()[0], again, "the Jobs node built anew, asked for its children, is the one reloaded");
  });

  it("a collapsed item's list is not read while it stays collapsed; expanded again, it is read at once and what changed is redrawn", async () => {
    const { model, batch, events, job, tasks } = await activeJob();
    await model.children(tasks[0]);
    await model.setExpanded(job, false);
    batch.task("j1", "t1").state = "completed";
    batch.job("j1").tasks.push({ id: "t3", state: "active" });
    let calls = batch.calls.length;
    await model.refreshActive();
    assert.deepEqual(batch.calls.slice(calls), ["job.list"], "the Jobs list is read; nothing under the collapsed job");
    assertRedrawn(events, [], "the job's own row did not change; nothing under it is drawn");
    calls = batch.calls.length;
    await model.setExpanded(job, true);
    assert.deepEqual(batch.calls.slice(calls), ["task.list j1", "file.listFromTask j1/t1"], "its tasks, and the files of the task still expanded under it");
    assertRedrawn(events, [job], "a task was added: the job is redrawn");
    assert.deepEqual(labelsOf(await model.children(job)), ["t1", "t2", "t3"]);
    assert.equal((await model.children(job))[0], tasks[0], "updated in place");
    assert.match(tasks[0].description ?? "", /^completed/);
  });

  it("a collapsed task under an expanded job: only its own row is kept current; expanding it again redraws nothing that did not change", async () => {
    const { model, batch, events, tasks } = await activeJob();
    await model.children(tasks[0]);
    await model.setExpanded(tasks[0], false);
    let calls = batch.calls.length;
    await model.refreshActive();
    assert.deepEqual(batch.calls.slice(calls), ["job.list", "task.list j1"], "its files are not read");
    calls = batch.calls.length;
    await model.setExpanded(tasks[0], true);
    assert.deepEqual(batch.calls.slice(calls), ["file.listFromTask j1/t1"]);
    assertRedrawn(events, []);
    await model.setExpanded(tasks[0], true);
    assert.equal(batch.calls.length, calls + 1, "an expand event for an item not collapsed reads nothing");
  });

  it("a manual refresh still drops the loaded pages and redraws the node at once", async () => {
    const { model, events, job, tasks } = await activeJob();
    model.refresh(job);
    assertRedrawn(events, [job]);
    assert.notEqual((await model.children(job))[0], tasks[0], "loaded anew");
  });

  it("a manual refresh while auto-refresh reads the branch wins: the older read is neither handed to the view nor redrawn", async () => {
    const leaf = (id: string): TreeNode => ({ id: `branch/${id}`, label: id, contextValue: "x", collapsible: "none", active: true });
    const reads: ((children: TreeNode[]) => void)[] = [];
    const { model, events, branch } = modelWithBranch(() => new Promise<TreeNode[]>((resolve) => reads.push(resolve)));
    const first = model.children(branch);
    reads.shift()!([leaf("a")]);
    await first;
    const autoRefresh = model.refreshActive();
    await waitUntil(() => reads.length === 1);
    const olderRead = reads.shift()!;
    model.refresh(branch);
    assertRedrawn(events, [branch], "the manual refresh redraws at once");
    const viewAsks = model.children(branch);
    reads.shift()!([leaf("a"), leaf("b")]);
    assert.deepEqual(
      (await viewAsks).map((node) => node.id),
      ["branch/a", "branch/b"],
    );
    olderRead([leaf("c")]);
    assert.deepEqual(await autoRefresh, [branch]);
    assertRedrawn(events, [branch], "the read that began before the refresh redraws nothing");
    const next = model.refreshActive();
    await waitUntil(() => reads.length === 1);
    reads.shift()!([leaf("a"), leaf("b")]);
    await next;
    assertRedrawn(events, [branch], "the view still holds the refreshed list, so the same list again changes nothing");
  });

  it("an item built anew on every load (not updated in place) is redrawn through its parent, and only when its rendering changed", async () => {
    let note = "2 left";
    const running: TreeNode = { id: "branch/running", label: "running", contextValue: "x", collapsible: "none", active: true };
    const { model, events, branch } = modelWithBranch(async () => [running, { id: "branch/note", label: note, contextValue: "info", collapsible: "none" }]);
    await model.children(branch);
    await model.refreshActive();
    assertRedrawn(events, [], "built anew but drawn the same: the view keeps the item it holds");
    note = "1 left";
    await model.refreshActive();
    assertRedrawn(events, [branch], "the view holds the old object, which a change event cannot name: its parent is redrawn");
  });

  it("a rendering covers every field the view draws; a command's node arguments are named by id", () => {
    const base: TreeNode = { id: "a", label: "a", contextValue: "x", collapsible: "none" };
    const variants: TreeNode[] = [
      { ...base, label: "b" },
      { ...base, description: "d" },
      { ...base, tooltip: "t" },
      { ...base, icon: "pass" },
      { ...base, contextValue: "y" },
      { ...base, collapsible: "collapsed" },
      { ...base, command: { id: "c", title: "C" } },
      { ...base, command: { id: "c", title: "C", args: ["x"] } },
    ];
    const renderings = new Set([base, ...variants].map(renderingOf));
    assert.equal(renderings.size, variants.length + 1);
    const parent: TreeNode = { ...base, id: "p" };
    const child: TreeNode = { ...base, id: "p/c", parent, command: { id: "c", title: "C", args: [parent] } };
    assert.match(renderingOf(child), /node:p/);
  });
});
