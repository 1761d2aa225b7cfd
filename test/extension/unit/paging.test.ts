// Why: fast unit tests (fake BatchClientLike, no service) of paging edge cases: failing "Load more", retry after an error, unique ids.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BatchClientLike, ListPage, TaskLike } from "../../../src/extension/common/batchClientLike";
import type { LocalServiceProbe } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { CommandId } from "../../../src/extension/common/ids";
import { LOAD_MORE_LABEL, LoadMoreErrorNode } from "../../../src/extension/tree/paging";
import { ErrorNode, type TreeNode } from "../../../src/extension/tree/treeNode";
import { allNodeIds } from "../support/treeIds";

const page = <T>(items: T[], next?: string): ListPage<T> => Object.assign([...items], next ? { odatanextLink: next } : {});
const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

/** A fake service with `jobs` jobs; pool.list fails while `failPools` is set; task pages of two with next links. */
function fakeClient(state: { failPools: boolean; failNext: boolean; tasks: TaskLike[] }): BatchClientLike {
  const tasksFrom = (offset: number) => page(state.tasks.slice(offset, offset + 2), offset + 2 < state.tasks.length ? `next:${offset + 2}` : undefined);
  return {
    pool: {
      list: async () => {
        if (state.failPools) throw new Error("Server failed to authenticate the request.");
        return page([{ id: "p1", state: "active", allocationState: "steady", currentDedicatedNodes: 2 }]);
      },
      listNext: async () => page([]),
    },
    computeNode: {
      list: async () =>
        page([
          { id: "n1", state: "idle" },
          { id: "n2", state: "starttaskfailed" },
        ]),
      listNext: async () => page([]),
    },
    job: { list: async () => page([{ id: "j1", state: "active", poolInfo: { poolId: "p1" } }]), listNext: async () => page([]) },
    task: {
      list: async () => tasksFrom(0),
      listNext: async (link) => {
        if (state.failNext) throw new Error("socket hang up");
        return tasksFrom(Number(link.split(":")[1]));
      },
    },
  };
}

function modelFor(client: BatchClientLike): ExplorerModel {
  const probe: LocalServiceProbe = { getStatus: async () => ({ state: "running", endpoint: "http://127.0.0.1:1", accountName: "localbatch", client }) };
  return new ExplorerModel({ localService: probe, pageSize: 2 });
}

async function local(model: ExplorerModel): Promise<TreeNode[]> {
  const [account] = await model.children(model.roots()[0]);
  return model.children(account);
}

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
    const state = { failPools: true, failNext: false, tasks: [] };
    const model = modelFor(fakeClient(state));
    const [pools] = await local(model);
    const [error] = await model.children(pools);
    assert.equal(error.label, "Error: Server failed to authenticate the request.");
    state.failPools = false;
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
    const tasks = [1, 2, 3, 4, 5].map((i) => ({
      id: `t${i}`,
      state: i === 5 ? "running" : "completed",
      executionInfo: i === 5 ? undefined : { exitCode: i === 2 ? 1 : 0 },
    }));
    const state = { failPools: false, failNext: true, tasks };
    const model = modelFor(fakeClient(state));
    const changed: (TreeNode | undefined)[] = [];
    model.onDidChange((node) => changed.push(node));
    const [, jobs] = await local(model);
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
    state.failNext = false;
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
    const tasks = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ id: `t${i}`, state: "running" }) as TaskLike);
    const model = modelFor(fakeClient({ failPools: false, failNext: false, tasks }));
    const changed: (TreeNode | undefined)[] = [];
    model.onDidChange((node) => changed.push(node));
    const [, jobs] = await local(model);
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
    tasks[1] = { id: "t2", state: "completed", executionInfo: { exitCode: 0 } };
    tasks[4] = { id: "t5", state: "completed", executionInfo: { exitCode: 9 } };
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
    const tasks = [1, 2, 3].map((i) => ({ id: `t${i}`, state: "completed", executionInfo: { exitCode: 0 } }));
    const model = modelFor(fakeClient({ failPools: false, failNext: false, tasks }));
    const ids = await allNodeIds(model);
    assert.ok(ids.includes("accounts/local/jobs/job:j1/task:t1"), ids.join("\n"));
    assert.ok(ids.includes("accounts/local/jobs/job:j1/more"));
    assert.equal(new Set(ids).size, ids.length);
  });
});
