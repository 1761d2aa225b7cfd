// Why: allowTaskPreemption through the real client: a higher-priority job requeues running tasks of a job that allows it, and only such a job.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForTask, waitForTaskState } from "./helpers";

describe("allowTaskPreemption", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    // one node, two slots: two long tasks fill it
    await poolWithIdleNodes(client, "p-preempt", 1, 2);
  });
  after(() => service.stop());

  it("requeues only tasks of lower-priority jobs that allow it; the others keep running", async () => {
    await client.job.add({ id: "j-keep", poolInfo: { poolId: "p-preempt" }, priority: -10, allowTaskPreemption: false });
    await client.job.add({ id: "j-spare", poolInfo: { poolId: "p-preempt" }, priority: -200, allowTaskPreemption: true });
    await client.task.add("j-keep", { id: "k1", commandLine: sh("sleep 60") });
    await client.task.add("j-spare", { id: "s1", commandLine: sh("sleep 60") });
    await waitForTaskState(client, "j-keep", "k1", "running");
    await waitForTaskState(client, "j-spare", "s1", "running");
    await client.job.add({ id: "j-urgent", poolInfo: { poolId: "p-preempt" }, priority: 500 });
    await client.task.addCollection("j-urgent", [
      { id: "u1", commandLine: sh("exit 0") },
      { id: "u2", commandLine: sh("exit 0") },
    ]);
    // both urgent tasks run on the one slot s1 gave up; k1's job does not allow preemption
    await waitForTaskState(client, "j-urgent", "u1", "completed");
    await waitForTaskState(client, "j-urgent", "u2", "completed");
    const spare = await client.task.get("j-spare", "s1");
    assert.ok((spare.executionInfo?.requeueCount ?? 0) >= 1, `s1 was requeued: ${JSON.stringify(spare.executionInfo)}`);
    const kept = await client.task.get("j-keep", "k1");
    assert.equal(kept.state, "running");
    assert.equal(kept.executionInfo?.requeueCount, 0);
    await client.job.terminate("j-keep");
    await client.job.terminate("j-spare");
    await waitForTaskState(client, "j-keep", "k1", "completed");
    await waitForTaskState(client, "j-spare", "s1", "completed");
  });

  it("requeues the latest-started task of a lower-priority job that allows it, and runs the higher-priority task at once", async () => {
    await client.job.add({ id: "j-low", poolInfo: { poolId: "p-preempt" }, priority: -100, allowTaskPreemption: true });
    await client.task.add("j-low", { id: "l1", commandLine: sh("sleep 60") });
    await waitForTaskState(client, "j-low", "l1", "running");
    await client.task.add("j-low", { id: "l2", commandLine: sh("sleep 60") });
    await waitForTaskState(client, "j-low", "l2", "running");
    await client.job.add({ id: "j-high", poolInfo: { poolId: "p-preempt" }, priority: 100 });
    await client.task.add("j-high", { id: "h1", commandLine: sh("exit 0") });
    const high = await waitForTaskState(client, "j-high", "h1", "completed");
    assert.equal(high.executionInfo?.exitCode, 0);
    // l2 started last: it is the one requeued (counted as a requeue, not a retry); l1 kept running
    const requeued = await waitForTask(client, "j-low", "l2", (task) => (task.executionInfo?.requeueCount ?? 0) === 1, "to be requeued once");
    assert.equal(requeued.executionInfo?.retryCount, 0);
    const kept = await client.task.get("j-low", "l1");
    assert.equal(kept.state, "running");
    assert.equal(kept.executionInfo?.requeueCount, 0);
    // the requeued task runs again once the slot is free
    await waitForTaskState(client, "j-low", "l2", "running");
    assert.match(service.log(), /task j-low\/l2 on \S+: preempted for a higher-priority job; requeued/);
    await client.job.terminate("j-low");
  });
});
