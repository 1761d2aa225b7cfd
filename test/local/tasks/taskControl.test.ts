// Why: stopping and restarting tasks: terminate, reactivate, delete while running, and requeue after the service was killed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForTask, waitForTaskState } from "../jobs/helpers";

describe("tasks: terminate, reactivate, delete, requeue after a crash", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
    await poolWithIdleNodes(client, "ctl", 1, 4);
    await client.job.add({ id: "ctl", poolInfo: { poolId: "ctl" }, usesTaskDependencies: true });
  });
  after(() => service.stop());

  it("terminates a running task (completed, TaskEnded) and refuses to terminate it again", async () => {
    await client.task.add("ctl", { id: "run", commandLine: sh("sleep 30") });
    await waitForTaskState(client, "ctl", "run", "running");
    await client.task.terminate("ctl", "run");
    const task = await client.task.get("ctl", "run");
    assert.equal(task.state, "completed");
    assert.equal(task.executionInfo?.result, "failure");
    assert.equal(task.executionInfo?.failureInfo?.code, "TaskEnded");
    await assert.rejects(client.task.terminate("ctl", "run"), { statusCode: 409, code: "TaskCompleted" });
    await assert.rejects(client.task.update("ctl", "run", { constraints: { maxTaskRetryCount: 1 } }), { statusCode: 409, code: "TaskCompleted" });
    const node = await waitFor(async () => {
      const current = await client.computeNode.get("ctl", task.nodeInfo!.nodeId!);
      return current.runningTasksCount === 0 ? current : undefined;
    }, "the node to be free again");
    assert.equal(node.runningTaskSlotsCount, 0);
  });

  it("terminates an active task that never ran", async () => {
    await client.task.add("ctl", { id: "never", commandLine: sh("true"), dependsOn: { taskIds: ["does-not-exist"] } });
    await client.task.terminate("ctl", "never");
    const task = await client.task.get("ctl", "never");
    assert.equal(task.state, "completed");
    assert.equal(task.executionInfo?.startTime, undefined);
    assert.equal(task.executionInfo?.failureInfo?.code, "TaskEnded");
  });

  it("reactivates a failed task (retry count reset) and runs it again; refuses a succeeded or active one", async () => {
    await client.task.add("ctl", {
      id: "flaky",
      commandLine: sh("test -f $AZ_BATCH_NODE_SHARED_DIR/flaky-ok || { touch $AZ_BATCH_NODE_SHARED_DIR/flaky-ok; exit 9; }"),
      constraints: { maxTaskRetryCount: 0 },
    });
    const failed = await waitForTaskState(client, "ctl", "flaky", "completed");
    assert.equal(failed.executionInfo?.exitCode, 9);
    await client.task.reactivate("ctl", "flaky");
    const succeeded = await waitForTask(
      client,
      "ctl",
      "flaky",
      (task) => task.state === "completed" && task.executionInfo?.result === "success",
      "to succeed after reactivation",
    );
    assert.equal(succeeded.executionInfo?.exitCode, 0);
    assert.equal(succeeded.executionInfo?.retryCount, 0);
    await assert.rejects(client.task.reactivate("ctl", "flaky"), { statusCode: 409 });
    await client.task.add("ctl", { id: "idle", commandLine: sh("true"), dependsOn: { taskIds: ["does-not-exist"] } });
    await assert.rejects(client.task.reactivate("ctl", "idle"), { statusCode: 409 });
  });

  it("a terminated task can be reactivated (as the SDK's own tests do)", async () => {
    await client.task.add("ctl", { id: "again", commandLine: sh("sleep 30") });
    await waitForTaskState(client, "ctl", "again", "running");
    await client.task.terminate("ctl", "again");
    await client.task.reactivate("ctl", "again");
    await waitForTaskState(client, "ctl", "again", "running");
    await client.task.terminate("ctl", "again");
  });

  it("deleting a running task kills it and frees its slots", async () => {
    await client.task.add("ctl", { id: "doomed", commandLine: sh("sleep 30"), requiredSlots: 4 });
    const running = await waitForTaskState(client, "ctl", "doomed", "running");
    await client.task.deleteMethod("ctl", "doomed");
    await waitFor(
      async () => ((await client.computeNode.get("ctl", running.nodeInfo!.nodeId!)).runningTaskSlotsCount === 0 ? true : undefined),
      "slots to be freed",
    );
    await client.task.add("ctl", { id: "next", commandLine: sh("true"), requiredSlots: 4 });
    await waitForTaskState(client, "ctl", "next", "completed");
  });

  it("requeues a task that was running when the service was killed, and runs it again after a restart", async () => {
    await client.task.add("ctl", {
      id: "survivor",
      commandLine: sh("test -f $AZ_BATCH_NODE_SHARED_DIR/second-run || { touch $AZ_BATCH_NODE_SHARED_DIR/second-run; sleep 30; }"),
    });
    await waitForTaskState(client, "ctl", "survivor", "running");
    await service.kill();
    service = await startLocalService({ nodes: 1, dataDir: service.dataDir });
    client = service.client();
    const task = await waitForTask(client, "ctl", "survivor", (current) => current.state === "completed", "to complete after the restart", 30_000);
    assert.equal(task.executionInfo?.result, "success");
    assert.equal(task.executionInfo?.requeueCount, 1);
    assert.ok(task.executionInfo?.lastRequeueTime instanceof Date);
  });
});
