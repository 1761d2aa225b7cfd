// Why: unit tests (plain node) of the Local explorer branches against a REAL local Batch service and the real @azure/batch client.

import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CommandId } from "../../../src/extension/common/ids";
import { createBatchClient } from "../../../src/core/localService/batchClient";
import type { BatchClientLike } from "../../../src/extension/common/batchClientLike";
import type { LocalServiceProbe } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { JOB_SELECT, TASK_SELECT } from "../../../src/extension/tree/jobNodes";
import { LOAD_MORE_LABEL } from "../../../src/extension/tree/paging";
import { NODE_SELECT, POOL_SELECT } from "../../../src/extension/tree/poolNodes";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { type LocalServiceHandle, startLocalService, waitFor } from "../../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

const vm = LOCAL_POOL_VM_CONFIGURATION;
const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

function runningProbe(service: LocalServiceHandle, client: BatchClientLike): LocalServiceProbe {
  return { getStatus: async () => ({ state: "running", endpoint: service.info.batchUrl, accountName: service.info.accountName, client }) };
}

/** The real client, with every list call's options recorded (to check maxResults and $select). */
function recording(service: LocalServiceHandle): { client: BatchClientLike; calls: { op: string; query: unknown }[] } {
  const real: BatchClientLike = service.client();
  const calls: { op: string; query: unknown }[] = [];
  const record = <T>(op: string, query: unknown, result: T): T => {
    calls.push({ op, query });
    return result;
  };
  const client: BatchClientLike = {
    pool: {
      list: (o) => record("pool.list", o?.poolListOptions, real.pool.list(o)),
      listNext: (l, o) => record("pool.listNext", l, real.pool.listNext(l, o)),
    },
    computeNode: {
      list: (p, o) => record("computeNode.list", o?.computeNodeListOptions, real.computeNode.list(p, o)),
      listNext: (l, o) => real.computeNode.listNext(l, o),
    },
    job: { list: (o) => record("job.list", o?.jobListOptions, real.job.list(o)), listNext: (l, o) => real.job.listNext(l, o) },
    task: {
      list: (j, o) => record("task.list", o?.taskListOptions, real.task.list(j, o)),
      listNext: (l, o) => record("task.listNext", l, real.task.listNext(l, o)),
    },
  };
  return { client, calls };
}

async function localChildren(model: ExplorerModel): Promise<TreeNode[]> {
  const [local] = await model.children(model.roots()[0]);
  return model.children(local);
}

describe("Local explorer branches against a real local Batch service", () => {
  let service: LocalServiceHandle;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    const client = service.client();
    for (const id of ["pool-a", "pool-b", "pool-c"]) {
      await client.pool.add({ id, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: id === "pool-a" ? 1 : 0 });
    }
    await client.job.add({ id: "job-1", poolInfo: { poolId: "pool-a" } });
    await client.task.add("job-1", { id: "ok", commandLine: `/bin/sh -c "echo fine"` });
    await client.task.add("job-1", { id: "bad", commandLine: `/bin/sh -c "exit 3"` });
    await client.task.add("job-1", { id: "third", commandLine: `/bin/sh -c "echo third"` });
    await waitFor(
      async () => {
        const tasks = await client.task.list("job-1");
        return tasks.length === 3 && tasks.every((t) => t.state === "completed") ? true : undefined;
      },
      "the three tasks to complete",
      60_000,
    );
  });

  after(async () => {
    await service?.stop();
  });

  it("Local shows Pools, Jobs and Job Schedules while the service runs", async () => {
    const model = new ExplorerModel({ localService: runningProbe(service, service.client()) });
    const children = await localChildren(model);
    assert.deepEqual(labelsOf(children), ["Pools", "Jobs", "Job Schedules"]);
    assert.deepEqual(
      children.map((n) => n.id),
      ["accounts/local/pools", "accounts/local/jobs", "accounts/local/schedules"],
    );
  });

  it("pools come in maxResults pages with $select, and Load more appends the next page", async () => {
    const { client, calls } = recording(service);
    const model = new ExplorerModel({ localService: runningProbe(service, client), pageSize: 2 });
    const [pools] = await localChildren(model);
    const first = await model.children(pools);
    assert.deepEqual(labelsOf(first), ["pool-a", "pool-b", LOAD_MORE_LABEL]);
    assert.deepEqual(calls, [{ op: "pool.list", query: { maxResults: 2, select: POOL_SELECT } }]);
    const more = first[2];
    assert.equal(more.command?.id, CommandId.loadMore);
    assert.equal(more.parent, pools);

    const changed: (string | undefined)[] = [];
    model.onDidChange((node) => changed.push(node?.id));
    await model.loadMore(more);
    assert.deepEqual(changed, [pools.id]);
    assert.deepEqual(labelsOf(await model.children(pools)), ["pool-a", "pool-b", "pool-c"]);
    assert.equal(calls[1].op, "pool.listNext");

    // refresh drops the loaded pages: back to the first page
    model.refresh(pools);
    assert.deepEqual(labelsOf(await model.children(pools)), ["pool-a", "pool-b", LOAD_MORE_LABEL]);
  });

  it("a pool lists its compute nodes", async () => {
    const { client, calls } = recording(service);
    const model = new ExplorerModel({ localService: runningProbe(service, client), pageSize: 2 });
    const [pools] = await localChildren(model);
    const poolA = (await model.children(pools)).find((n) => n.label === "pool-a")!;
    const nodes = await waitFor(async () => {
      model.refresh(poolA);
      const list = await model.children(poolA);
      return list.length === 1 && list[0].contextValue === "computeNode" ? list : undefined;
    }, "pool-a's node");
    assert.ok(nodes[0].description, "a node shows its state");
    assert.ok(calls.some((c) => c.op === "computeNode.list" && JSON.stringify(c.query) === JSON.stringify({ maxResults: 2, select: NODE_SELECT })));
  });

  it("jobs show their tasks with state and exit code, paged", async () => {
    const { client, calls } = recording(service);
    const model = new ExplorerModel({ localService: runningProbe(service, client), pageSize: 2 });
    const [, jobs] = await localChildren(model);
    const jobNodes = await model.children(jobs);
    assert.deepEqual(labelsOf(jobNodes), ["job-1"]);
    assert.match(jobNodes[0].description ?? "", /pool-a/);
    const tasks = await model.children(jobNodes[0]);
    assert.equal(tasks.length, 3, `two tasks and Load more: ${labelsOf(tasks)}`);
    assert.equal(tasks[2].label, LOAD_MORE_LABEL);
    await model.loadMore(tasks[2]);
    const all = await model.children(jobNodes[0]);
    assert.deepEqual(labelsOf(all).sort(), ["bad", "ok", "third"]);
    const byId = new Map(all.map((n) => [n.label, n]));
    assert.equal(byId.get("ok")!.description, "completed · exit 0");
    assert.equal(byId.get("ok")!.icon, "pass");
    assert.equal(byId.get("bad")!.description, "completed · exit 3");
    assert.equal(byId.get("bad")!.icon, "error");
    assert.deepEqual(calls.find((c) => c.op === "job.list")?.query, { maxResults: 2, select: JOB_SELECT });
    assert.deepEqual(calls.find((c) => c.op === "task.list")?.query, { maxResults: 2, select: TASK_SELECT });
  });

  it("a branch whose call fails becomes an error item that retries", async () => {
    const wrongKey = createBatchClient({ ...service.info, accountKey: Buffer.from("not the key").toString("base64") });
    const model = new ExplorerModel({ localService: runningProbe(service, wrongKey), pageSize: 2 });
    const [pools] = await localChildren(model);
    const [error] = await model.children(pools);
    assert.equal(error.contextValue, "error");
    assert.match(error.label, /^Error: .*(authenticat|signature|key)/i);
    assert.equal(error.command?.id, CommandId.retry);
    assert.equal(error.parent, pools);
    const changed: (string | undefined)[] = [];
    model.onDidChange((node) => changed.push(node?.id));
    model.retry(error);
    assert.deepEqual(changed, [pools.id]);
  });
});

describe("Local explorer against a stopped service", () => {
  it("listing pools of a stopped service gives an error item, not an exception", async () => {
    const service = await startLocalService({ nodes: 1 });
    const client = createBatchClient(service.info); // the extension's own client (no retries)
    await service.stop();
    const model = new ExplorerModel({ localService: runningProbe(service, client) });
    const [pools, jobs] = await localChildren(model);
    const [poolsError] = await model.children(pools);
    const [jobsError] = await model.children(jobs);
    for (const error of [poolsError, jobsError]) {
      assert.equal(error.contextValue, "error");
      // the address in plain words, not the request URL the HTTP stack names
      assert.equal(error.label, `Error: cannot reach the local service at ${new URL(service.info.batchUrl).host} (nothing is listening there)`);
    }
  });
});
