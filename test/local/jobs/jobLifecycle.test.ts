// Why: how jobs end and pause: terminate, disable (requeue/terminate/wait) and enable, delete while running, automatic ends.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForJobGone, waitForJobState, waitForTaskState } from "./helpers";

describe("jobs: lifecycle", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 3 });
    client = service.client();
    await poolWithIdleNodes(client, "life", 2, 2);
  });
  after(() => service.stop());

  /** The job still runs a task added after its failed one: scheduling passes ran since, and left the job active. */
  async function runsAnotherTask(jobId: string): Promise<void> {
    await client.task.add(jobId, { id: "sentinel", commandLine: sh("true") });
    await waitForTaskState(client, jobId, "sentinel", "completed");
  }

  it("terminate ends running tasks, leaves active ones active, completes the job with the reason", async () => {
    await client.job.add({ id: "term", poolInfo: { poolId: "life" }, usesTaskDependencies: true });
    await client.task.add("term", { id: "long", commandLine: sh("sleep 30") });
    await client.task.add("term", { id: "waiting", commandLine: sh("true"), dependsOn: { taskIds: ["long"] } });
    await waitForTaskState(client, "term", "long", "running");
    await client.job.terminate("term", { terminateReason: "enough" });
    const job = await waitForJobState(client, "term", "completed");
    assert.equal(job.executionInfo?.terminateReason, "enough");
    assert.ok(job.executionInfo?.endTime instanceof Date);
    const long = await client.task.get("term", "long");
    assert.equal(long.state, "completed");
    assert.equal(long.executionInfo?.result, "failure");
    assert.equal(long.executionInfo?.failureInfo?.code, "TaskEnded");
    assert.equal((await client.task.get("term", "waiting")).state, "active");
    await assert.rejects(client.task.add("term", { id: "late", commandLine: "true" }), { statusCode: 409, code: "JobCompleted" });
    await assert.rejects(client.job.terminate("term", { terminateReason: "again" }), { statusCode: 409, code: "JobCompleted" });
  });

  // the SDK sends no body at all here (the body parameter is optional in the spec)
  it("terminate without a reason reports UserTerminate", async () => {
    await client.job.add({ id: "term2", poolInfo: { poolId: "life" } });
    await client.job.terminate("term2");
    const job = await waitForJobState(client, "term2", "completed");
    assert.equal(job.executionInfo?.terminateReason, "UserTerminate");
  });

  it("disable with requeue puts running tasks back to active (requeueCount), enable runs them again", async () => {
    await client.job.add({ id: "dis-rq", poolInfo: { poolId: "life" } });
    await client.task.add("dis-rq", { id: "t", commandLine: sh("sleep 1") });
    await waitForTaskState(client, "dis-rq", "t", "running");
    await client.job.disable("dis-rq", "requeue");
    await waitForJobState(client, "dis-rq", "disabled");
    const requeued = await client.task.get("dis-rq", "t");
    assert.equal(requeued.state, "active");
    assert.equal(requeued.executionInfo?.requeueCount, 1);
    assert.ok(requeued.executionInfo?.lastRequeueTime instanceof Date);
    // a task of a later job on the same pool runs: the scheduling pass that placed it passed over the disabled job
    await client.job.add({ id: "dis-rq-sentinel", poolInfo: { poolId: "life" } });
    await client.task.add("dis-rq-sentinel", { id: "sentinel", commandLine: sh("true") });
    await waitForTaskState(client, "dis-rq-sentinel", "sentinel", "completed");
    assert.equal((await client.task.get("dis-rq", "t")).state, "active", "a disabled job starts nothing");
    await client.job.enable("dis-rq");
    await waitForJobState(client, "dis-rq", "active");
    const done = await waitForTaskState(client, "dis-rq", "t", "completed");
    assert.equal(done.executionInfo?.result, "success");
    assert.equal(done.executionInfo?.requeueCount, 1);
    await assert.rejects(client.job.enable("dis-rq"), { statusCode: 409 });
  });

  it("disable with terminate completes running tasks as failed; with wait lets them finish", async () => {
    await client.job.add({ id: "dis-term", poolInfo: { poolId: "life" } });
    await client.task.add("dis-term", { id: "t", commandLine: sh("sleep 30") });
    await waitForTaskState(client, "dis-term", "t", "running");
    await client.job.disable("dis-term", "terminate");
    await waitForJobState(client, "dis-term", "disabled");
    const ended = await client.task.get("dis-term", "t");
    assert.equal(ended.state, "completed");
    assert.equal(ended.executionInfo?.failureInfo?.code, "TaskEnded");

    await client.job.add({ id: "dis-wait", poolInfo: { poolId: "life" } });
    await client.task.add("dis-wait", { id: "t", commandLine: sh("sleep 1") });
    await waitForTaskState(client, "dis-wait", "t", "running");
    await client.job.disable("dis-wait", "wait");
    assert.equal((await client.job.get("dis-wait")).state, "disabling");
    const finished = await waitForTaskState(client, "dis-wait", "t", "completed");
    assert.equal(finished.executionInfo?.result, "success");
    await waitForJobState(client, "dis-wait", "disabled");
  });

  it("delete kills running tasks and removes the job", async () => {
    await client.job.add({ id: "del-run", poolInfo: { poolId: "life" } });
    await client.task.add("del-run", { id: "t", commandLine: sh("sleep 30") });
    const running = await waitForTaskState(client, "del-run", "t", "running");
    await client.job.deleteMethod("del-run");
    await waitForJobGone(client, "del-run");
    const node = await client.computeNode.get("life", running.nodeInfo!.nodeId!);
    assert.ok(!node.recentTasks?.some((info) => info.jobId === "del-run" && info.taskState === "running"));
  });

  it("onAllTasksComplete terminatejob ends an empty job at once and a job once its tasks complete", async () => {
    await client.job.add({ id: "auto-empty", poolInfo: { poolId: "life" }, onAllTasksComplete: "terminatejob" });
    const empty = await waitForJobState(client, "auto-empty", "completed");
    assert.equal(empty.executionInfo?.terminateReason, "AllTasksComplete");

    await client.job.add({ id: "auto", poolInfo: { poolId: "life" } });
    await client.task.addCollection("auto", [
      { id: "a", commandLine: sh("sleep 0.2") },
      { id: "b", commandLine: sh("exit 1") },
    ]);
    await client.job.patch("auto", { onAllTasksComplete: "terminatejob" });
    const job = await waitForJobState(client, "auto", "completed");
    assert.equal(job.executionInfo?.terminateReason, "AllTasksComplete");
  });

  it("terminates a job at its maxWallClockTime", async () => {
    await client.job.add({ id: "clock", poolInfo: { poolId: "life" }, constraints: { maxWallClockTime: "PT1S" } });
    await client.task.add("clock", { id: "t", commandLine: sh("sleep 30") });
    const job = await waitForJobState(client, "clock", "completed", 10_000);
    assert.equal(job.executionInfo?.terminateReason, "MaxWallClockTimeExpiry");
    assert.equal((await client.task.get("clock", "t")).state, "completed");
  });

  it("performs the exit options' job action: terminate (TaskFailed) and disable", async () => {
    await client.job.add({ id: "act-term", poolInfo: { poolId: "life" }, onTaskFailure: "performexitoptionsjobaction" });
    await client.task.add("act-term", { id: "bad", commandLine: sh("exit 4") });
    const terminated = await waitForJobState(client, "act-term", "completed");
    assert.equal(terminated.executionInfo?.terminateReason, "TaskFailed");

    await client.job.add({ id: "act-dis", poolInfo: { poolId: "life" }, onTaskFailure: "performexitoptionsjobaction" });
    await client.task.add("act-dis", {
      id: "bad",
      commandLine: sh("exit 5"),
      exitConditions: { exitCodes: [{ code: 5, exitOptions: { jobAction: "disable" } }] },
    });
    await waitForJobState(client, "act-dis", "disabled");

    await client.job.add({ id: "act-none", poolInfo: { poolId: "life" }, onTaskFailure: "performexitoptionsjobaction" });
    await client.task.add("act-none", { id: "bad", commandLine: sh("exit 6"), exitConditions: { default: { jobAction: "none" } } });
    await waitForTaskState(client, "act-none", "bad", "completed");
    await runsAnotherTask("act-none");
    assert.equal((await client.job.get("act-none")).state, "active");
  });

  it("a failing task does nothing to a job with onTaskFailure noaction", async () => {
    await client.job.add({ id: "noact", poolInfo: { poolId: "life" } });
    await client.task.add("noact", { id: "bad", commandLine: sh("exit 4") });
    await waitForTaskState(client, "noact", "bad", "completed");
    await runsAnotherTask("noact");
    assert.equal((await client.job.get("noact")).state, "active");
  });

  it("starts the task of the higher-priority job first when a slot frees up", async () => {
    await poolWithIdleNodes(client, "prio", 1, 1);
    await client.job.add({ id: "blocker", poolInfo: { poolId: "prio" } });
    await client.task.add("blocker", { id: "t", commandLine: sh("sleep 1") });
    await waitForTaskState(client, "blocker", "t", "running");
    await client.job.add({ id: "low", poolInfo: { poolId: "prio" }, priority: -10 });
    await client.task.add("low", { id: "t", commandLine: sh("sleep 0.2") });
    await client.job.add({ id: "high", poolInfo: { poolId: "prio" }, priority: 500 });
    await client.task.add("high", { id: "t", commandLine: sh("sleep 0.2") });
    const high = await waitForTaskState(client, "high", "t", "completed");
    const low = await waitForTaskState(client, "low", "t", "completed");
    assert.ok(low.executionInfo!.startTime! >= high.executionInfo!.endTime!, "the low-priority task ran after the high-priority one");
  });

  it("honours maxParallelTasks", async () => {
    await client.job.add({ id: "par", poolInfo: { poolId: "life" }, maxParallelTasks: 1 });
    await client.task.addCollection("par", [
      { id: "a", commandLine: sh("sleep 0.5") },
      { id: "b", commandLine: sh("sleep 0.5") },
    ]);
    await waitForTaskState(client, "par", "a", "running");
    assert.equal((await client.task.get("par", "b")).state, "active", "maxParallelTasks 1 keeps the second task waiting");
    const a = await waitForTaskState(client, "par", "a", "completed");
    const b = await waitForTaskState(client, "par", "b", "completed");
    assert.ok(b.executionInfo!.startTime! >= a.executionInfo!.endTime!);
  });
});
