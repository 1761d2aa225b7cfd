// Why: fast unit tests (the in-memory FakeBatch account, no service) of paging edge cases: failing "Load more", retry after an error, unique ids.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { CommandId } from "../../../src/extension/common/ids";
import { LOAD_MORE_LABEL, LoadMoreErrorNode } from "../../../src/extension/tree/paging";
import { ErrorNode, type TreeNode } from "../../../src/extension/tree/treeNode";
import { FakeBatch, type FakeTask, fakeExplorer } from "../support/fakeBatch";
import { allNodeIds } from "../support/treeIds";

const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

/** One pool p1 (nodes n1 idle, n2 starttaskfailed) and one active job j1 with `tasks`; pages of two items. */
function fakeAccount(tasks: FakeTask[]) {
  const batch = new FakeBatch();
  batch.pools.push({
    id: "p1",
    state: "active",
    allocationState: "steady",
    currentDedicatedNodes: 2,
    nodes: [
      { id: "n1", state: "idle" },
      { id: "n2", state: "starttaskfailed" },
    ],
  });
  batch.jobs.push({ id: "j1", state: "active", tasks });
  return { batch, ...fakeExplorer(batch, 2) };
}

/** The Local account's children (Pools, Jobs, …), as a view expanding it gets them. */
const local = (explorer: { expand: (...labels: string[]) => Promise<TreeNode[]> }) => explorer.expand("Accounts", "Local");

/** model.retry of a load-more error item starts the next-page call without awaiting it: poll the children. */
async function waitForLabels(model: ExplorerModel, node: TreeNode, expected: string[]): Promise<void> {
  let labels: string[] = [];
  for (let i = 0; i < 100; i++) {
    labels = labelsOf(await model.children(node));
    if (JSON.stringify(labels) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(labels, expected);
}

describe("explorer paging and errors (fake client)", () => {
  it("an error item's retry reloads its branch, which then succeeds", async () => {
    const explorer = fakeAccount([]);
    const { batch, model } = explorer;
    batch.failWhen = (call) => (call === "pool.list" ? "Server failed to authenticate the request." : undefined);
    const [pools] = await local(explorer);
    const [error] = await model.children(pools);
    assert.equal(error.label, "Error: Server failed to authenticate the request.");
    batch.failWhen = undefined;
    model.retry(error);
    const [pool] = await model.children(pools);
    assert.equal(pool.label, "p1");
    assert.equal(pool.description, "2 nodes · steady");
    const nodes = await model.children(pool);
    assert.deepEqual(
      nodes.map((n) => [n.label, n.icon]),
      [
        ["n1", "vm-active"],
        ["n2", "vm-outline"],
      ],
    );
  });

  it("a failing Load more keeps the loaded pages and ends them with an error item whose retry loads the next page", async () => {
    const tasks = [1, 2, 3, 4, 5].map(
      (i): FakeTask => ({
        id: `t${i}`,
        state: i === 5 ? "running" : "completed",
        ...(i === 5 ? {} : { exitCode: i === 2 ? 1 : 0 }),
      }),
    );
    const explorer = fakeAccount(tasks);
    const { batch, model, events: changed } = explorer;
    let failNext = true;
    batch.failWhen = (call) => (failNext && call.startsWith("task.listNext") ? "socket hang up" : undefined);
    const [, jobs] = await local(explorer);
    const [job] = await model.children(jobs);
    const first = await model.children(job);
    assert.deepEqual(labelsOf(first), ["t1", "t2", LOAD_MORE_LABEL]);
    assert.equal(first[2].description, "2 shown");
    // the command never rejects (no popup): the tree shows the error instead
    await model.loadMore(first[2]);
    assert.equal(changed.at(-1), job, "the paged node is reloaded in the views");
    const failed = await model.children(job);
    assert.deepEqual(labelsOf(failed), ["t1", "t2", "Error: socket hang up"]);
    const error = failed[2];
    assert.ok(error instanceof ErrorNode && error instanceof LoadMoreErrorNode);
    assert.equal(error.contextValue, "error");
    assert.equal(error.icon, "error");
    assert.equal(error.command?.id, CommandId.retry);
    assert.equal(error.id, `${job.id}/error:more`);
    assert.equal(failed[0], first[0], "the loaded pages stay (same nodes, no reload)");
    // retry while still failing: still the loaded pages and the error item
    const before = changed.length;
    model.retry(error);
    for (let i = 0; i < 100 && changed.length === before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(changed.at(-1), job, "the failed retry is shown too");
    assert.deepEqual(labelsOf(await model.children(job)), ["t1", "t2", "Error: socket hang up"]);
    // retry once the service answers: the next page is appended, not the list reloaded
    failNext = false;
    model.retry(error);
    await waitForLabels(model, job, ["t1", "t2", "t3", "t4", LOAD_MORE_LABEL]);
    assert.equal((await model.children(job))[0], first[0], "the first page was not reloaded");
    const second = await model.children(job);
    assert.deepEqual(labelsOf(second), ["t1", "t2", "t3", "t4", LOAD_MORE_LABEL]);
    await model.loadMore(second[4]);
    const all = await model.children(job);
    assert.deepEqual(labelsOf(all), ["t1", "t2", "t3", "t4", "t5"]);
    assert.deepEqual(
      all.map((t) => [t.description, t.icon]),
      [
        ["completed · exit 0", "pass"],
        ["completed · exit 1", "error"],
        ["completed · exit 0", "pass"],
        ["completed · exit 0", "pass"],
        ["running", "loading~spin"],
      ],
    );
  });

  it("auto-refresh reads every loaded page again and updates the items in place; a new item joins, a gone one leaves", async () => {
    const tasks = [1, 2, 3, 4, 5, 6, 7].map((i): FakeTask => ({ id: `t${i}`, state: "running" }));
    const explorer = fakeAccount(tasks);
    const { model, events: changed } = explorer;
    const [, jobs] = await local(explorer);
    const [job] = await model.children(jobs);
    await model.children(job);
    await model.loadMore(job);
    await model.loadMore(job);
    const before = await model.children(job);
    assert.deepEqual(labelsOf(before), ["t1", "t2", "t3", "t4", "t5", "t6", LOAD_MORE_LABEL]);
    changed.length = 0;
    assert.deepEqual(await model.refreshActive(), [jobs], "the outermost active branch is reloaded");
    assert.deepEqual(changed, [], "three pages read again, nothing changed: nothing is redrawn");
    const same = await model.children(job);
    assert.deepEqual(labelsOf(same), labelsOf(before), "the three pages and Load more… stay");
    for (const [i, task] of before.slice(0, 6).entries()) assert.equal(same[i], task, `${task.label} is the same node`);
    tasks[1] = { id: "t2", state: "completed", exitCode: 0 };
    tasks[4] = { id: "t5", state: "completed", exitCode: 9 };
    tasks.splice(2, 1); // t3 deleted: t7 moves into the third page
    assert.deepEqual(await model.refreshActive(), [jobs]);
    assert.equal(changed.length, 1, "one redraw");
    assert.equal(changed[0], job, "the job whose list changed (in place: nothing is invalidated), not the Jobs branch");
    assert.equal((await model.children(jobs))[0], job, "the job stays the same node");
    const after = await model.children(job);
    assert.deepEqual(labelsOf(after), ["t1", "t2", "t4", "t5", "t6", "t7"], "three pages read again; no next link is left");
    assert.equal(after[1], before[1], "t2 updated in place");
    assert.equal(after[1].description, "completed · exit 0");
    assert.equal(after[3].icon, "error");
    assert.equal(after[0], before[0]);
  });

  it("node ids are unique across a running account's tree", async () => {
    const tasks = [1, 2, 3].map((i): FakeTask => ({ id: `t${i}`, state: "completed", exitCode: 0 }));
    const ids = await allNodeIds(fakeAccount(tasks).model);
    assert.ok(ids.includes("accounts/local/jobs/job:j1/task:t1"), ids.join("\n"));
    assert.ok(ids.includes("accounts/local/jobs/job:j1/more"));
    assert.equal(new Set(ids).size, ids.length);
  });
});
