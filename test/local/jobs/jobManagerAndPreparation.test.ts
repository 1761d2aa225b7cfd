// Why: job manager tasks (first, exclusive, killJobOnCompletion) and job preparation / release tasks with their per-node status.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForJobState, waitForTaskState } from "./helpers";

describe("jobs: job manager, preparation and release tasks", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    await poolWithIdleNodes(client, "jm", 1, 2);
  });
  after(() => service.stop());

  it("completes the job with JMComplete when the job manager ends, terminating the other running tasks", async () => {
    await client.job.add({ id: "jm-kill", poolInfo: { poolId: "jm" }, jobManagerTask: { id: "manager", commandLine: sh("sleep 1"), runExclusive: false } });
    await client.task.add("jm-kill", { id: "worker", commandLine: sh("sleep 30") });
    await waitForTaskState(client, "jm-kill", "worker", "running");
    const job = await waitForJobState(client, "jm-kill", "completed", 15_000);
    assert.equal(job.executionInfo?.terminateReason, "JMComplete");
    const manager = await client.task.get("jm-kill", "manager");
    assert.equal(manager.executionInfo?.result, "success");
    const worker = await client.task.get("jm-kill", "worker");
    assert.equal(worker.state, "completed");
    assert.equal(worker.executionInfo?.failureInfo?.code, "TaskEnded");
  });

  it("runs an exclusive job manager alone on its node and before the job's other tasks", async () => {
    await client.job.add({
      id: "jm-excl",
      poolInfo: { poolId: "jm" },
      jobManagerTask: { id: "manager", commandLine: sh("sleep 1"), killJobOnCompletion: false },
    });
    await client.task.add("jm-excl", { id: "other", commandLine: sh("true") });
    const manager = await waitForTaskState(client, "jm-excl", "manager", "completed");
    const other = await waitForTaskState(client, "jm-excl", "other", "completed");
    assert.ok(other.executionInfo!.startTime! >= manager.executionInfo!.endTime!, "the other task waited for the exclusive job manager");
    // "other" was placed by a scheduling pass after the manager had completed (and a job manager's completion ends its
    // job in the same step that completes it): an ending would show by now
    assert.equal((await client.job.get("jm-excl")).state, "active", "killJobOnCompletion false leaves the job running");
  });

  it("runs the preparation task once per node before tasks and the release task when the job ends", async () => {
    await client.job.add({
      id: "prep",
      poolInfo: { poolId: "jm" },
      jobPreparationTask: { commandLine: sh("echo prepared > $AZ_BATCH_NODE_SHARED_DIR/prep-marker") },
      jobReleaseTask: { commandLine: sh("true") },
    });
    await client.task.addCollection("prep", [
      { id: "a", commandLine: sh("test -f $AZ_BATCH_NODE_SHARED_DIR/prep-marker") },
      { id: "b", commandLine: sh("test -f $AZ_BATCH_NODE_SHARED_DIR/prep-marker") },
    ]);
    const a = await waitForTaskState(client, "prep", "a", "completed");
    const b = await waitForTaskState(client, "prep", "b", "completed");
    assert.equal(a.executionInfo?.exitCode, 0);
    assert.equal(b.executionInfo?.exitCode, 0);
    let statuses = await client.job.listPreparationAndReleaseTaskStatus("prep");
    assert.equal(statuses.length, 1, "one node ran the preparation task, once");
    assert.equal(statuses[0].poolId, "jm");
    assert.equal(statuses[0].jobPreparationTaskExecutionInfo?.state, "completed");
    assert.equal(statuses[0].jobPreparationTaskExecutionInfo?.result, "success");
    assert.equal(statuses[0].jobPreparationTaskExecutionInfo?.exitCode, 0);
    assert.equal(statuses[0].jobPreparationTaskExecutionInfo?.retryCount, 0);
    assert.ok(statuses[0].jobPreparationTaskExecutionInfo?.taskRootDirectory);
    assert.equal(statuses[0].jobReleaseTaskExecutionInfo, undefined);
    await client.job.terminate("prep", { terminateReason: "done" });
    await waitForJobState(client, "prep", "completed");
    statuses = await client.job.listPreparationAndReleaseTaskStatus("prep");
    assert.equal(statuses[0].jobReleaseTaskExecutionInfo?.state, "completed");
    assert.equal(statuses[0].jobReleaseTaskExecutionInfo?.exitCode, 0);
  });

  it("keeps tasks off a node whose preparation task failed (waitForSuccess), with the failure in the status", async () => {
    await client.job.add({
      id: "prep-fail",
      poolInfo: { poolId: "jm" },
      jobPreparationTask: { commandLine: sh("exit 7"), constraints: { maxTaskRetryCount: 1 } },
    });
    await client.task.add("prep-fail", { id: "t", commandLine: sh("true") });
    const failed = await waitFor(
      async () => {
        const [status] = await client.job.listPreparationAndReleaseTaskStatus("prep-fail");
        return status?.jobPreparationTaskExecutionInfo?.state === "completed" ? status.jobPreparationTaskExecutionInfo : undefined;
      },
      "the preparation task of prep-fail to complete",
      20_000,
    );
    assert.deepEqual([failed.result, failed.exitCode, failed.retryCount], ["failure", 7, 1]);
    // a task of a later job on the same node runs: the scheduling pass that placed it passed over "t" (the earlier job)
    await client.job.add({ id: "prep-fail-sentinel", poolInfo: { poolId: "jm" } });
    await client.task.add("prep-fail-sentinel", { id: "sentinel", commandLine: sh("true") });
    await waitForTaskState(client, "prep-fail-sentinel", "sentinel", "completed");
    assert.equal((await client.task.get("prep-fail", "t")).state, "active");
  });

  it("shows tasks as preparing while a slow preparation task runs", async () => {
    await client.job.add({ id: "prep-slow", poolInfo: { poolId: "jm" }, jobPreparationTask: { commandLine: sh("sleep 1") } });
    await client.task.add("prep-slow", { id: "t", commandLine: sh("true") });
    const preparing = await waitForTaskState(client, "prep-slow", "t", "preparing");
    assert.equal(preparing.nodeInfo?.poolId, "jm");
    const counts = await client.job.getTaskCounts("prep-slow");
    assert.equal(counts.taskCounts.running, 1);
    await waitForTaskState(client, "prep-slow", "t", "completed");
  });

  it("refuses task ids of the preparation and release tasks", async () => {
    await client.job.add({
      id: "ids",
      poolInfo: { poolId: "jm" },
      jobPreparationTask: { id: "MyPrep", commandLine: "true" },
      jobReleaseTask: { commandLine: "true" },
    });
    await assert.rejects(client.task.add("ids", { id: "myprep", commandLine: "true" }), { statusCode: 409, code: "TaskIdSameAsJobPreparationTask" });
    await assert.rejects(client.task.add("ids", { id: "jobrelease", commandLine: "true" }), { statusCode: 409, code: "TaskIdSameAsJobReleaseTask" });
  });
});
