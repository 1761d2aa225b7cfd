// Why: unit tests (plain node) of the job and pool views' vscode-free parts: task pages, $filter search and state filter against a REAL local service, the chart, the heat map, the poller, and finding an item's client in the real explorer tree.

import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchClientLike } from "../../../src/extension/common/batchClientLike";
import type { LocalServiceProbe } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { addSample, type ProgressSample, progressSvg } from "../../../src/extension/views/jobProgress";
import { heatMapSvg, listPoolNodes, stateCounts } from "../../../src/extension/views/poolHeatMap";
import { VisiblePoller } from "../../../src/extension/views/poller";
import { TASK_TABLE_SELECT, TaskPager, taskFilter, taskRow } from "../../../src/extension/views/taskTable";
import { jobIdOf, poolIdOf, viewClientOf } from "../../../src/extension/views/viewClient";
import { LOCAL_POOL_VM_CONFIGURATION as vm } from "../../../src/local/common/defaults";
import { type LocalServiceHandle, startLocalService } from "../../support/localService";

const TASKS = 620;
const id = (i: number) => `t-${String(i).padStart(4, "0")}`;

describe("job and pool views: taskFilter, rows, chart and heat map", () => {
  it("a search and a state filter become one $filter; quotes are doubled", () => {
    assert.equal(taskFilter({ state: "all", idPrefix: "" }), undefined);
    assert.equal(taskFilter({ state: "running", idPrefix: " " }), "state eq 'running'");
    assert.equal(taskFilter({ state: "failed", idPrefix: "x'y" }), "state eq 'completed' and executionInfo/result eq 'failure' and startswith(id,'x''y')");
    assert.equal(taskFilter({ state: "succeeded", idPrefix: "" }), "state eq 'completed' and executionInfo/result eq 'success'");
  });

  it("a row has the duration of a finished task, and of a running one up to now", () => {
    const done = taskRow({
      id: "a",
      state: "completed",
      executionInfo: { exitCode: 2, result: "failure", startTime: new Date(1000), endTime: new Date(4500) },
    });
    assert.deepEqual(done, {
      id: "a",
      state: "completed",
      exitCode: 2,
      failed: true,
      nodeId: undefined,
      startTime: new Date(1000).toISOString(),
      endTime: new Date(4500).toISOString(),
      durationMs: 3500,
    });
    assert.equal(taskRow({ id: "b", state: "running", executionInfo: { startTime: new Date(1000) }, nodeInfo: { nodeId: "n" } }, 2000).durationMs, 1000);
    assert.equal(taskRow({ id: "c", state: "active" }).durationMs, undefined);
  });

  it("the chart has a line per state through every sample; samples are capped", () => {
    const samples: ProgressSample[] = [];
    for (let i = 0; i < 5; i++) addSample(samples, { timeMs: i * 1000, active: 10 - i, running: 1, succeeded: i, failed: i % 2 }, 4);
    assert.equal(samples.length, 4);
    assert.equal(samples[0].timeMs, 1000);
    const svg = progressSvg(samples);
    const paths = [...svg.matchAll(/<path class="series [^"]+" data-series="(\w+)" d="([^"]+)"/g)];
    assert.deepEqual(
      paths.map((p) => p[1]),
      ["active", "running", "succeeded", "failed"],
    );
    for (const p of paths) assert.equal(p[2].split(" ").length, 4);
    assert.doesNotMatch(svg, /style=|<script/);
  });

  it("the heat map has a cell per node with its state and running tasks; the legend counts states", () => {
    const cells = [
      { id: "n1", state: "running", runningTasks: 3 },
      { id: "n2", state: "idle", runningTasks: 0 },
      { id: "n<3>", state: "starttaskfailed", runningTasks: 0 },
      { id: "n4", state: "running", runningTasks: 1 },
    ];
    assert.deepEqual(stateCounts(cells), [
      { state: "idle", count: 1 },
      { state: "running", count: 2 },
      { state: "starttaskfailed", count: 1 },
    ]);
    const svg = heatMapSvg(cells);
    const nodes = [...svg.matchAll(/<g class="node" data-node="([^"]+)" data-state="(\w+)" data-running="(\d+)">/g)].map((m) => [m[1], m[2], Number(m[3])]);
    assert.deepEqual(nodes, [
      ["n1", "running", 3],
      ["n2", "idle", 0],
      ["n&#60;3&#62;", "starttaskfailed", 0],
      ["n4", "running", 1],
    ]);
    assert.match(heatMapSvg([]), /This pool has no nodes\./);
  });

  it("the poller reads once per interval, one read at a time, and aborts the read in flight when stopped", async () => {
    const signals: AbortSignal[] = [];
    let release: () => void = () => undefined;
    let third: () => void = () => undefined;
    const thirdStarted = new Promise<void>((resolve) => (third = resolve));
    const poller = new VisiblePoller(async (signal) => {
      signals.push(signal);
      if (signals.length === 3) {
        third();
        await new Promise<void>((resolve) => (release = resolve));
      }
    }, 5);
    poller.start();
    poller.start();
    await thirdStarted;
    assert.equal(signals.length, 3, "no second read while one is in flight");
    poller.stop();
    assert.equal(poller.active, false);
    assert.equal(signals[2].aborted, true);
    release();
  });
});

describe("job and pool views against a real local Batch service", () => {
  let service: LocalServiceHandle;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    const client = service.client();
    await client.pool.add({ id: "empty", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    await client.job.add({ id: "big", poolInfo: { poolId: "empty" } });
    for (let start = 0; start < TASKS; start += 100) {
      const chunk = Array.from({ length: Math.min(100, TASKS - start) }, (_, i) => ({ id: id(start + i), commandLine: "/bin/true" }));
      await service.client().task.addCollection("big", chunk);
    }
  });

  after(async () => {
    await service?.stop();
  });

  it("pages: the first page is the service's first page; next pages follow its next link to the end, nothing read ahead", async () => {
    const client = service.client();
    const calls: string[] = [];
    const recording = {
      ...client,
      task: {
        list: (jobId: string, options?: Parameters<typeof client.task.list>[1]) => {
          calls.push(`list ${JSON.stringify(options?.taskListOptions)}`);
          return client.task.list(jobId, options);
        },
        listNext: (link: string, options?: Parameters<typeof client.task.listNext>[1]) => {
          calls.push("next");
          return client.task.listNext(link, options);
        },
      },
    } as unknown as ConstructorParameters<typeof TaskPager>[0];
    const pager = new TaskPager(recording, "big", 250);
    const first = await pager.first({ state: "all", idPrefix: "" });
    const expected = await client.task.list("big", { taskListOptions: { select: TASK_TABLE_SELECT, maxResults: 250 } });
    assert.deepEqual(
      first.rows,
      expected.map((t) => taskRow(t)),
    );
    assert.equal(first.more, true);
    assert.deepEqual(calls, [`list ${JSON.stringify({ select: TASK_TABLE_SELECT, maxResults: 250 })}`]);
    const second = await pager.next();
    const third = await pager.next();
    assert.deepEqual(
      [...first.rows, ...second.rows, ...third.rows].map((r) => r.id),
      Array.from({ length: TASKS }, (_, i) => id(i)),
    );
    assert.equal(third.more, false);
    assert.deepEqual((await pager.next()).rows, []);
    assert.deepEqual(calls.slice(1), ["next", "next"]);
  });

  it("an id search and a state filter go to the service as $filter and return what it returns", async () => {
    const client = service.client();
    const pager = new TaskPager(client, "big", 250);
    const search = await pager.first({ state: "all", idPrefix: "t-05" });
    assert.deepEqual(
      search.rows.map((r) => r.id),
      Array.from({ length: 100 }, (_, i) => id(500 + i)),
    );
    assert.equal(search.filter, "startswith(id,'t-05')");
    assert.equal(search.more, false);
    const active = await pager.first({ state: "active", idPrefix: "t-061" });
    assert.deepEqual(
      active.rows.map((r) => r.id),
      Array.from({ length: 10 }, (_, i) => id(610 + i)),
    );
    assert.deepEqual((await pager.first({ state: "running", idPrefix: "" })).rows, []);
  });

  it("job and pool items of the real explorer tree lead to the account's client; the heat map lists the pool's nodes", async () => {
    const client = service.client() as unknown as BatchClientLike;
    const probe: LocalServiceProbe = {
      getStatus: async () => ({ state: "running", endpoint: service.info.batchUrl, accountName: service.info.accountName, client }),
    };
    const model = new ExplorerModel({ localService: probe });
    const child = async (parent: TreeNode | undefined, label: string) => {
      const found = (await model.children(parent)).find((c) => c.label === label);
      assert.ok(found, `no ${label}`);
      return found;
    };
    const local = await child(await child(undefined, "Accounts"), "Local");
    const pool = await child(await child(local, "Pools"), "empty");
    const job = await child(await child(local, "Jobs"), "big");
    assert.equal(poolIdOf(pool), "empty");
    assert.equal(jobIdOf(job), "big");
    assert.equal(jobIdOf(pool), undefined);
    assert.equal(await viewClientOf(pool), client, "the pool item finds the Jobs container's client");
    assert.equal(await viewClientOf(job), client);
    assert.deepEqual(await listPoolNodes(await viewClientOf(pool), "empty"), []);
  });
});
