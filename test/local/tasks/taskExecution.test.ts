// Why: tasks run as a Batch node runs them: exit codes and results, retries, exit conditions, dependencies, timeouts, node counters.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForTaskState } from "../jobs/helpers";

describe("tasks: execution", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    await poolWithIdleNodes(client, "exec", 2, 2);
    await client.job.add({ id: "run", poolInfo: { poolId: "exec" }, usesTaskDependencies: true });
  });
  after(() => service.stop());

  it("runs a task to success with executionInfo and nodeInfo filled in", async () => {
    await client.task.add("run", { id: "ok", commandLine: sh("echo hello") });
    const task = await waitForTaskState(client, "run", "ok", "completed");
    assert.equal(task.executionInfo?.exitCode, 0);
    assert.equal(task.executionInfo?.result, "success");
    assert.equal(task.executionInfo?.retryCount, 0);
    assert.equal(task.executionInfo?.requeueCount, 0);
    assert.equal(task.executionInfo?.failureInfo, undefined);
    assert.ok(task.executionInfo?.startTime instanceof Date && task.executionInfo?.endTime instanceof Date);
    assert.equal(task.previousState, "running");
    assert.equal(task.nodeInfo?.poolId, "exec");
    assert.ok(task.nodeInfo?.nodeId);
    assert.equal(task.nodeInfo?.nodeUrl, `${service.info.batchUrl}/pools/exec/nodes/${task.nodeInfo?.nodeId}`);
    assert.ok(task.nodeInfo?.taskRootDirectory?.includes("ok"), `taskRootDirectory ${task.nodeInfo?.taskRootDirectory}`);
    assert.ok(task.nodeInfo?.taskRootDirectoryUrl?.startsWith(`${task.nodeInfo?.nodeUrl}/files/`));
  });

  it("fails a non-zero exit with FailureExitCode and retries up to maxTaskRetryCount", async () => {
    await client.task.add("run", { id: "fail3", commandLine: sh("exit 3"), constraints: { maxTaskRetryCount: 2 } });
    const task = await waitForTaskState(client, "run", "fail3", "completed");
    assert.equal(task.executionInfo?.exitCode, 3);
    assert.equal(task.executionInfo?.result, "failure");
    assert.equal(task.executionInfo?.retryCount, 2);
    assert.ok(task.executionInfo?.lastRetryTime instanceof Date);
    assert.equal(task.executionInfo?.failureInfo?.category, "usererror");
    assert.equal(task.executionInfo?.failureInfo?.code, "FailureExitCode");
  });

  it("inherits the job's maxTaskRetryCount when the task has no constraints", async () => {
    await client.job.add({ id: "retry-job", poolInfo: { poolId: "exec" }, constraints: { maxTaskRetryCount: 1 } });
    await client.task.add("retry-job", { id: "t", commandLine: sh("exit 1") });
    const task = await waitForTaskState(client, "retry-job", "t", "completed");
    assert.equal(task.constraints?.maxTaskRetryCount, 1);
    assert.equal(task.executionInfo?.retryCount, 1);
  });

  it("does not retry a task that could not start (pre-processing error)", async () => {
    await client.task.add("run", { id: "noprog", commandLine: "/no/such/program", constraints: { maxTaskRetryCount: 3 } });
    const task = await waitForTaskState(client, "run", "noprog", "completed");
    assert.equal(task.executionInfo?.result, "failure");
    assert.equal(task.executionInfo?.retryCount, 0);
    assert.ok(task.executionInfo?.failureInfo?.code);
  });

  it("ends a task at its maxWallClockTime without retrying it", async () => {
    await client.task.add("run", { id: "slow", commandLine: sh("sleep 30"), constraints: { maxWallClockTime: "PT1S", maxTaskRetryCount: 2 } });
    const task = await waitForTaskState(client, "run", "slow", "completed", 15_000);
    assert.equal(task.executionInfo?.result, "failure");
    assert.equal(task.executionInfo?.retryCount, 0);
    assert.ok(task.executionInfo?.failureInfo);
  });

  it("runs dependents only after their parents succeed (ids and ranges)", async () => {
    await client.task.addCollection("run", [
      { id: "after", commandLine: sh("true"), dependsOn: { taskIds: ["p-a"], taskIdRanges: [{ start: 10, end: 12 }] } },
      { id: "p-a", commandLine: sh("sleep 0.3") },
      { id: "10", commandLine: sh("true") },
      { id: "11", commandLine: sh("true") },
      { id: "12", commandLine: sh("sleep 0.3") },
    ]);
    const after = await waitForTaskState(client, "run", "after", "completed");
    for (const parent of ["p-a", "10", "11", "12"]) {
      const task = await client.task.get("run", parent);
      assert.equal(task.state, "completed");
      assert.ok(task.executionInfo!.endTime! <= after.executionInfo!.startTime!, `${parent} ended before the dependent started`);
    }
  });

  it("keeps a dependent of a failed parent blocked (default dependencyAction block) and satisfies with satisfy", async () => {
    await client.task.add("run", { id: "bad-parent", commandLine: sh("exit 2") });
    await client.task.add("run", { id: "blocked", commandLine: sh("true"), dependsOn: { taskIds: ["bad-parent"] } });
    await client.task.add("run", {
      id: "ok-parent",
      commandLine: sh("exit 2"),
      exitConditions: { exitCodes: [{ code: 2, exitOptions: { dependencyAction: "satisfy" } }] },
    });
    await client.task.add("run", { id: "unblocked", commandLine: sh("true"), dependsOn: { taskIds: ["ok-parent"] } });
    await waitForTaskState(client, "run", "unblocked", "completed");
    await waitForTaskState(client, "run", "bad-parent", "completed");
    // a task added after the failure runs: the scheduling pass that placed it looked at "blocked" (added earlier) first
    await client.task.add("run", { id: "after-bad-parent", commandLine: sh("true") });
    await waitForTaskState(client, "run", "after-bad-parent", "completed");
    assert.equal((await client.task.get("run", "blocked")).state, "active");
    const okParent = await client.task.get("run", "ok-parent");
    assert.equal(okParent.executionInfo?.result, "failure");
  });

  it("keeps node counters: running tasks and slots while running, totals after", async () => {
    await client.task.add("run", { id: "busy", commandLine: sh("sleep 2"), requiredSlots: 2 });
    const running = await waitForTaskState(client, "run", "busy", "running");
    const node = await client.computeNode.get("exec", running.nodeInfo!.nodeId!);
    assert.equal(node.state, "running");
    assert.equal(node.runningTasksCount, 1);
    assert.equal(node.runningTaskSlotsCount, 2);
    assert.ok(node.recentTasks?.some((info) => info.taskId === "busy" && info.taskState === "running"));
    await waitForTaskState(client, "run", "busy", "completed");
    const after = await waitFor(async () => {
      const current = await client.computeNode.get("exec", running.nodeInfo!.nodeId!);
      return current.runningTasksCount === 0 ? current : undefined;
    }, "node to be free");
    assert.equal(after.runningTaskSlotsCount, 0);
    assert.ok((after.totalTasksRun ?? 0) >= 1);
    assert.ok((after.totalTasksSucceeded ?? 0) >= 1);
    assert.equal(after.state, "idle");
  });

  it("lets a task's environment include the job's common environment settings", async () => {
    await client.job.add({
      id: "env-job",
      poolInfo: { poolId: "exec" },
      commonEnvironmentSettings: [
        { name: "FROM_JOB", value: "job" },
        { name: "BOTH", value: "job" },
      ],
    });
    await client.task.add("env-job", {
      id: "env",
      commandLine: sh("test $FROM_JOB = job && test $BOTH = task && test $AZ_BATCH_TASK_ID = env"),
      environmentSettings: [{ name: "BOTH", value: "task" }],
    });
    const task = await waitForTaskState(client, "env-job", "env", "completed");
    assert.equal(task.executionInfo?.exitCode, 0);
  });
});
