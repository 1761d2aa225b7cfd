// Why: compute node operations through the real SDK on nodes a resize creates: list/get, scheduling on/off, reboot without a body (nodeLifecycle.test.ts has the rest).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, vm, waitForTask } from "./poolNodes";

describe("compute nodes", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let nodeIds: string[];

  before(async () => {
    service = await startLocalService({ nodes: 4 });
    client = service.client();
  });
  after(() => service.stop());

  it("lists the nodes a resize creates, each with its URL, and gets one", async () => {
    await client.pool.add({ id: "grow", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    assert.deepEqual([...(await client.computeNode.list("grow"))], []);
    await client.pool.resize("grow", { targetDedicatedNodes: 2 });
    const nodes = await waitFor(
      async () => {
        const listed = await client.computeNode.list("grow");
        return listed.length === 2 && listed.every((node) => node.state === "idle") ? listed : undefined;
      },
      "2 idle nodes after the resize",
      60_000,
      200,
    );
    nodeIds = nodes.map((node) => node.id!);
    for (const node of nodes) {
      assert.equal(node.url, `${service.info.batchUrl}/pools/grow/nodes/${node.id}`);
      assert.equal(node.schedulingState, "enabled");
      assert.equal(node.isDedicated, true);
    }
    const one = await client.computeNode.get("grow", nodeIds[0]);
    assert.equal(one.id, nodeIds[0]);
    assert.equal(one.url, `${service.info.batchUrl}/pools/grow/nodes/${nodeIds[0]}`);
    const selected = await client.computeNode.get("grow", nodeIds[0], { computeNodeGetOptions: { select: "id,state" } });
    assert.equal(selected.state, "idle");
    assert.equal(selected.vmSize, undefined);
  });

  it("lists with $filter, $select and maxresults paging", async () => {
    const first = await client.computeNode.list("grow", { computeNodeListOptions: { filter: "state eq 'idle'", select: "id,state", maxResults: 1 } });
    assert.equal(first.length, 1);
    assert.deepEqual(Object.keys(first[0]).sort(), ["id", "state"]);
    const second = await client.computeNode.listNext(first.odatanextLink!);
    assert.deepEqual([first[0].id, second[0].id].sort(), [...nodeIds].sort());
    assert.equal(second.odatanextLink, undefined);
    assert.equal((await client.computeNode.list("grow", { computeNodeListOptions: { filter: "state eq 'running'" } })).length, 0);
  });

  it("answers 404 PoolNotFound and NodeNotFound", async () => {
    await assert.rejects(client.computeNode.list("nopool"), { statusCode: 404, code: "PoolNotFound" });
    await assert.rejects(client.computeNode.get("nopool", "tvm-x"), { statusCode: 404, code: "PoolNotFound" });
    await assert.rejects(client.computeNode.get("grow", "tvm-x"), { statusCode: 404, code: "NodeNotFound" });
    await assert.rejects(client.computeNode.disableScheduling("grow", "tvm-x", { nodeDisableSchedulingOption: "requeue" }), {
      statusCode: 404,
      code: "NodeNotFound",
    });
  });

  it("answers reboot and reimage of an unknown node with 404 NodeNotFound", async () => {
    await assert.rejects(client.computeNode.reboot("grow", "tvm-x", { nodeRebootOption: "requeue" }), { statusCode: 404, code: "NodeNotFound" });
    await assert.rejects(client.computeNode.reimage("grow", "tvm-x", { nodeReimageOption: "requeue" }), { statusCode: 404, code: "NodeNotFound" });
  });

  it("accepts disable scheduling and reboot without their optional body", async () => {
    // the spec marks these bodies optional (the SDK sends none without options)
    await client.computeNode.disableScheduling("grow", nodeIds[1]);
    assert.equal((await client.computeNode.get("grow", nodeIds[1])).schedulingState, "disabled");
    await client.computeNode.enableScheduling("grow", nodeIds[1]);
    await client.computeNode.reboot("grow", nodeIds[1]);
    await waitFor(async () => (await client.computeNode.get("grow", nodeIds[1])).state === "idle" || undefined, "the rebooted node idle again", 30_000, 100);
  });

  it("disables scheduling (idle → offline), gives the node no task until enabled again", async () => {
    const [node] = await poolWithIdleNodes(client, "sched", 1);
    await client.computeNode.disableScheduling("sched", node.id!, { nodeDisableSchedulingOption: "taskcompletion" });
    let current = await client.computeNode.get("sched", node.id!);
    assert.equal(current.schedulingState, "disabled");
    assert.equal(current.state, "offline");
    await assert.rejects(client.computeNode.disableScheduling("sched", node.id!, { nodeDisableSchedulingOption: "requeue" }), {
      statusCode: 409,
      code: "NodeAlreadyInTargetSchedulingState",
    });
    await client.job.add({ id: "sched-job", poolInfo: { poolId: "sched" } });
    await client.task.add("sched-job", { id: "waits", commandLine: "/bin/true" });
    // a task of a later job on another pool runs: the scheduling pass that placed it passed over "waits" (an earlier job)
    await client.job.add({ id: "sched-sentinel", poolInfo: { poolId: "grow" } });
    await client.task.add("sched-sentinel", { id: "sentinel", commandLine: "/bin/true" });
    await waitForTask(client, "sched-sentinel", "sentinel", "completed");
    assert.equal((await client.task.get("sched-job", "waits")).state, "active", "no task runs on a disabled node");
    await client.computeNode.enableScheduling("sched", node.id!);
    current = await client.computeNode.get("sched", node.id!);
    assert.equal(current.schedulingState, "enabled");
    assert.notEqual(current.state, "offline");
    await assert.rejects(client.computeNode.enableScheduling("sched", node.id!), { statusCode: 409, code: "NodeAlreadyInTargetSchedulingState" });
    const done = await waitFor(
      async () => {
        const task = await client.task.get("sched-job", "waits");
        return task.state === "completed" ? task : undefined;
      },
      "the task to run once scheduling is enabled",
      30_000,
      200,
    );
    assert.equal(done.nodeInfo?.nodeId, node.id);
  });

  it("disables scheduling with requeue: the running task goes back to the queue and runs again once enabled", async () => {
    const [node] = [...(await client.computeNode.list("sched"))];
    // sleeps on its first run only (the node's shared folder remembers)
    const commandLine = `/bin/sh -c "if [ -e $AZ_BATCH_NODE_SHARED_DIR/ran ]; then exit 0; fi; touch $AZ_BATCH_NODE_SHARED_DIR/ran; sleep 60"`;
    await client.task.add("sched-job", { id: "requeued", commandLine });
    await waitFor(() => client.file.getPropertiesFromComputeNode("sched", node.id!, "shared/ran"), "the first run to start sleeping", 30_000, 100);
    await client.computeNode.disableScheduling("sched", node.id!, { nodeDisableSchedulingOption: "requeue" });
    const requeued = await waitForTask(client, "sched-job", "requeued", "active");
    assert.equal(requeued.executionInfo?.requeueCount, 1);
    await client.computeNode.enableScheduling("sched", node.id!);
    const done = await waitForTask(client, "sched-job", "requeued", "completed");
    assert.equal(done.executionInfo?.exitCode, 0);
  });

  it("disables scheduling with terminate: the running task completes as terminated", async () => {
    const [node] = await poolWithIdleNodes(client, "term", 1);
    await client.job.add({ id: "term-job", poolInfo: { poolId: "term" } });
    await client.task.add("term-job", { id: "long", commandLine: "/bin/sleep 60" });
    await waitForTask(client, "term-job", "long", "running");
    await client.computeNode.disableScheduling("term", node.id!, { nodeDisableSchedulingOption: "terminate" });
    const task = await waitForTask(client, "term-job", "long", "completed");
    assert.equal(task.executionInfo?.result, "failure");
    assert.ok(task.executionInfo?.failureInfo, "failureInfo says it was terminated");
    const current = await client.computeNode.get("term", node.id!);
    assert.equal(current.schedulingState, "disabled");
  });
});
