// Why: the example workload end to end against the real local Batch service and Azurite: submit → job manager → tasks → FinalizeTask → callback.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import type { BlobServiceClient } from "@azure/storage-blob";
import { readTaskProgress, type ErrorReport, type JobSummary, type TaskSummary } from "../../src/runtime";
import { startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";
import { CallbackServer } from "./support/callbackServer";
import { azuriteBlobService, localWorkloadSettings, readBlob, uploadTexts } from "./support/localWorkloadEnvironment";
import { cleanEnvironment, runNode } from "./support/workloadProcess";
import { deployFixtureWorkload } from "./support/workloadProject";

const POOL_ID = "workload-pool";
const APPLICATION = { BATCH_APPLICATION_ID: "example-workload", BATCH_APPLICATION_VERSION: "1.0.0" };
const SUMMARY_TIMEOUT_MS = 240_000;

describe("example workload end to end (local service, Azurite, real processes)", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let blobs: BlobServiceClient;
  let mainJs: string;
  const callbacks = new CallbackServer();
  let callbackBase: string;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    blobs = azuriteBlobService(service.info);
    mainJs = await deployFixtureWorkload(service, { application: APPLICATION, poolId: POOL_ID, taskSlotsPerNode: 4 });
    callbackBase = await callbacks.start();
  });
  after(async () => {
    await callbacks.stop();
    await service.stop();
  });

  async function submit(inputPrefix: string, callbackPath: string): Promise<string> {
    const env = cleanEnvironment(localWorkloadSettings(service.info, { ...APPLICATION, BATCH_POOL_ID: POOL_ID, BATCH_LOGGING_CONFIG: "logging.json" }));
    const args = JSON.stringify({ inputContainer: "inputs", inputPrefix, outputContainer: "outputs" });
    const result = await runNode(mainJs, ["submit", "--args", args, "--callback-url", `${callbackBase}${callbackPath}`], env);
    assert.equal(result.code, 0, `submit failed:\n${result.stderr}`);
    const printed = JSON.parse(result.stdout.trim().split("\n").pop()!) as { jobId: string; poolId: string; callbackUrl: string; summaryBlob: string };
    assert.equal(printed.poolId, POOL_ID);
    assert.equal(printed.summaryBlob, `${service.info.blobEndpoint}/batch-runtime/${printed.jobId}/summary.json`);
    return printed.jobId;
  }

  const byName = (summary: JobSummary, displayName: string): TaskSummary => {
    const task = summary.tasks.find((t) => t.displayName === displayName);
    assert.ok(task, `no task "${displayName}" in ${summary.tasks.map((t) => t.displayName).join(", ")}`);
    return task;
  };

  function assertTimings(task: TaskSummary): void {
    assert.ok(task.timings.createdAt && task.timings.startedAt && task.timings.endedAt, `${task.id} timings`);
    assert.ok(Date.parse(task.timings.startedAt) <= Date.parse(task.timings.endedAt));
    assert.equal(typeof task.timings.durationSeconds, "number");
  }

  function assertSucceededTransform(summary: JobSummary, name: string, lines: number): TaskSummary {
    const task = byName(summary, `transform ${name}`);
    assert.equal(task.kind, "task");
    assert.equal(task.entryPoint, "TransformTask");
    assert.equal(task.state, "completed");
    assert.equal(task.result, "success");
    assert.equal(task.exitCode, 0);
    assert.equal(task.errorReport, undefined);
    assert.equal(task.failureInfo, undefined);
    assert.deepEqual(task.progress && { percent: task.progress.percent, message: task.progress.message, taskId: task.progress.taskId }, {
      percent: 100,
      message: `transformed ${lines} of ${lines} lines`,
      taskId: task.id,
    });
    assert.deepEqual(task.outputs, [
      { filePattern: `${name}.upper.txt`, containerUrl: `${service.info.blobEndpoint}/outputs`, path: `${summary.jobId}/transformed/${name}.upper.txt` },
    ]);
    assert.deepEqual(task.runtimeFiles, [
      { filePattern: "../std*.txt", containerUrl: `${service.info.blobEndpoint}/batch-runtime`, path: `${summary.jobId}/${task.id}` },
    ]);
    assertTimings(task);
    return task;
  }

  it("runs submit → job manager → fan-out tasks → gather → FinalizeTask and posts the summary", async () => {
    await uploadTexts(blobs, "inputs", { "ok/a.txt": "alpha\nbeta\n", "ok/b.txt": "gamma\n", "ok/c.txt": "delta\nepsilon\nzeta\n" });
    const jobId = await submit("ok/", "/ok");
    const callback = await callbacks.waitFor("/ok", SUMMARY_TIMEOUT_MS);
    assert.equal(callback.headers["content-type"], "application/json");
    const summary = callback.body as JobSummary;

    assert.equal(summary.jobId, jobId);
    assert.equal(summary.workloadName, "example-workload");
    assert.equal(summary.result, "succeeded");
    assert.deepEqual(summary.counts, { total: 5, succeeded: 5, failed: 0, notCompleted: 0 });
    assert.ok(summary.timings.jobCreatedAt && summary.timings.finalizedAt && typeof summary.timings.durationSeconds === "number");

    const jobManager = summary.tasks[0]!;
    assert.deepEqual(
      [jobManager.id, jobManager.kind, jobManager.state, jobManager.result, jobManager.exitCode],
      ["job-manager", "jobManager", "completed", "success", 0],
    );
    assertTimings(jobManager);
    assertSucceededTransform(summary, "a.txt", 2);
    assertSucceededTransform(summary, "b.txt", 1);
    assertSucceededTransform(summary, "c.txt", 3);
    const gather = byName(summary, "gather");
    assert.deepEqual([gather.entryPoint, gather.result, gather.exitCode], ["GatherTask", "success", 0]);
    assert.deepEqual(gather.outputs, [{ filePattern: "report.json", containerUrl: `${service.info.blobEndpoint}/outputs`, path: `${jobId}/report.json` }]);
    assert.equal(gather.progress?.percent, 100);
    assert.ok(
      summary.tasks.every((task) => task.id !== "finalize"),
      "the FinalizeTask does not summarize itself",
    );

    assert.equal(await readBlob(blobs, "outputs", `${jobId}/transformed/a.txt.upper.txt`), "ALPHA\nBETA\n");
    assert.equal(await readBlob(blobs, "outputs", `${jobId}/transformed/c.txt.upper.txt`), "DELTA\nEPSILON\nZETA\n");
    const report = JSON.parse(await readBlob(blobs, "outputs", `${jobId}/report.json`)) as { files: { name: string; lines: number }[]; totalLines: number };
    assert.deepEqual(
      report.files.map((f) => [f.name, f.lines]),
      [
        ["a.txt.upper.txt", 2],
        ["b.txt.upper.txt", 1],
        ["c.txt.upper.txt", 3],
      ],
    );
    assert.equal(report.totalLines, 6);

    // logging.json: JSON lines, each with the job and task ids
    const transformA = byName(summary, "transform a.txt");
    const logLines = (await readBlob(blobs, "batch-runtime", `${jobId}/${transformA.id}/stderr.txt`))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(logLines.length > 0);
    for (const line of logLines) assert.deepEqual([line.jobId, line.taskId], [jobId, transformA.id]);
    assert.ok(
      logLines.some((line) => line.level === "debug" && line.logger === "workload.TransformTask"),
      "workload.TransformTask logs at debug",
    );

    const progress = await readTaskProgress(client, jobId, transformA.id);
    assert.equal(progress?.percent, 100);
    const job = await waitFor(
      async () => {
        const current = await client.job.get(jobId);
        return current.state === "completed" ? current : undefined;
      },
      "the job to complete",
      60_000,
      500,
    );
    assert.equal(job.executionInfo?.terminateReason, "AllTasksComplete");
    // the FinalizeTask's own outputs are uploaded once it has exited (after the callback), so the job is complete first
    const stored = JSON.parse(await readBlob(blobs, "batch-runtime", `${jobId}/summary.json`)) as JobSummary;
    assert.equal(stored.jobId, jobId);
    assert.equal(stored.result, "succeeded");
  });

  it("failure path: a throwing task leaves error.json in blob storage, the summary reports it, other outputs stay intact", async () => {
    await uploadTexts(blobs, "inputs", { "mixed/a.txt": "one\ntwo\n", "mixed/bad.txt": "fine\nFAIL\n", "mixed/c.txt": "three\n" });
    const jobId = await submit("mixed/", "/mixed");
    const summary = (await callbacks.waitFor("/mixed", SUMMARY_TIMEOUT_MS)).body as JobSummary;

    assert.equal(summary.result, "failed");
    assert.deepEqual(summary.counts, { total: 5, succeeded: 3, failed: 2, notCompleted: 0 });
    assertSucceededTransform(summary, "a.txt", 2);
    assertSucceededTransform(summary, "c.txt", 1);

    const bad = byName(summary, "transform bad.txt");
    assert.deepEqual([bad.state, bad.result, bad.exitCode], ["completed", "failure", 1]);
    assert.equal(bad.failureInfo?.category, "usererror");
    const report = bad.errorReport!;
    assert.equal(report.type, "Error");
    assert.equal(report.message, "bad.txt line 2 asks this task to fail");
    assert.match(report.stack ?? "", /asks this task to fail\n\s+at /);
    assert.equal(report.role, "task");
    assert.deepEqual(report.task, { jobId, taskId: bad.id, entryPoint: "TransformTask" });
    assert.equal(report.exitCode, 1);
    assert.ok(!Number.isNaN(Date.parse(report.time)));
    assert.equal(bad.progress?.percent, 50, "progress up to the failing line");

    const uploaded = JSON.parse(await readBlob(blobs, "batch-runtime", `${jobId}/${bad.id}/error.json`)) as ErrorReport;
    assert.deepEqual(uploaded, report);
    await assert.rejects(readBlob(blobs, "outputs", `${jobId}/transformed/bad.txt.upper.txt`), { statusCode: 404 });
    assert.equal(await readBlob(blobs, "outputs", `${jobId}/transformed/a.txt.upper.txt`), "ONE\nTWO\n");
    assert.equal(await readBlob(blobs, "outputs", `${jobId}/transformed/c.txt.upper.txt`), "THREE\n");

    // the gather task's inputs include the failed task's missing output: Batch fails it at download, before its code runs
    const gather = byName(summary, "gather");
    assert.deepEqual([gather.result, gather.exitCode, gather.failureInfo?.code, gather.errorReport], ["failure", undefined, "BlobNotFound", undefined]);
    await assert.rejects(readBlob(blobs, "outputs", `${jobId}/report.json`), { statusCode: 404 });
  });
});
