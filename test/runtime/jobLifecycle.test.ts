// Why: the job lifecycle guarantees against the real local service, Azurite and real processes: submit's checks, exactly one signed callback whatever the job manager does, onJobCompleted, and tasks that run after their parents whatever the outcome.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import type { BlobServiceClient } from "@azure/storage-blob";
import { CallbackHeaders, ExitCode, isValidCallbackSignature, type JobSummary, type TaskSummary } from "../../src/runtime";
import { REPO_ROOT, startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";
import { CallbackServer, type ReceivedCallback } from "./support/callbackServer";
import { azuriteBlobService, localWorkloadSettings, readBlob } from "./support/localWorkloadEnvironment";
import { cleanEnvironment, runNode } from "./support/workloadProcess";
import { deployFixtureWorkload } from "./support/workloadProject";
import * as path from "node:path";

const POOL_ID = "lifecycle-pool";
const APPLICATION = { BATCH_APPLICATION_ID: "lifecycle-workload", BATCH_APPLICATION_VERSION: "1.0.0" };
const SECRET = "lifecycle-callback-secret-0123456789abcdef";
const SUMMARY_TIMEOUT_MS = 180_000;

describe("job lifecycle: one signed callback per job (local service, Azurite, real processes)", () => {
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
    const fixture = path.join(REPO_ROOT, "test", "runtime", "fixtures", "lifecycle-workload");
    mainJs = await deployFixtureWorkload(service, { fixture, application: APPLICATION, poolId: POOL_ID, taskSlotsPerNode: 3 });
    callbackBase = await callbacks.start();
  });
  after(async () => {
    await callbacks.stop();
    await service.stop();
  });

  const environment = (extra: Record<string, string> = {}) =>
    cleanEnvironment(localWorkloadSettings(service.info, { ...APPLICATION, BATCH_POOL_ID: POOL_ID, BATCH_CALLBACK_SECRET: SECRET, ...extra }));

  async function submit(mode: string, extra: Record<string, string> = {}): Promise<{ jobId: string; stdout: string; stderr: string }> {
    const callbackPath = `/${mode}`;
    const result = await runNode(
      mainJs,
      ["submit", "--args", JSON.stringify({ mode }), "--callback-url", `${callbackBase}${callbackPath}`],
      environment(extra),
    );
    assert.equal(result.code, 0, `submit failed:\n${result.stderr}`);
    const { jobId } = JSON.parse(result.stdout.trim().split("\n").pop()!) as { jobId: string };
    return { jobId, stdout: result.stdout, stderr: result.stderr };
  }

  /** Waits for the job's callback, then for the job to complete, and checks exactly one callback came, correctly signed. */
  async function onlyCallback(mode: string, jobId: string): Promise<{ callback: ReceivedCallback; summary: JobSummary }> {
    const callback = await callbacks.waitFor(`/${mode}`, SUMMARY_TIMEOUT_MS);
    await waitFor(async () => ((await client.job.get(jobId)).state === "completed" ? true : undefined), `job ${jobId} to complete`, 60_000, 250);
    const tasks = await client.task.list(jobId);
    assert.equal(tasks.filter((task) => task.id === "finalize").length, 1, "exactly one FinalizeTask");
    assert.equal(callbacks.received.filter((received) => received.path === `/${mode}`).length, 1, "exactly one callback");
    const headers = callback.headers;
    assert.ok(
      isValidCallbackSignature(SECRET, String(headers[CallbackHeaders.timestamp]), callback.rawBody, String(headers[CallbackHeaders.signature])),
      "signed with BATCH_CALLBACK_SECRET over timestamp.body",
    );
    assert.match(String(headers[CallbackHeaders.delivery]), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const summary = callback.body as JobSummary;
    assert.equal(summary.jobId, jobId);
    assert.ok(
      summary.tasks.every((task) => task.id !== "finalize" && task.id !== "finalize-guard"),
      "the runtime's own tasks are not summarized",
    );
    return { callback, summary };
  }

  const task = (summary: JobSummary, displayName: string): TaskSummary => {
    const found = summary.tasks.find((candidate) => candidate.displayName === displayName);
    assert.ok(found, `no task "${displayName}" in ${summary.tasks.map((t) => t.displayName).join(", ")}`);
    return found;
  };

  it("submit refuses a missing pool or application package version before creating a job (exit 3, the setting and the fix named)", async () => {
    const missingPool = await runNode(mainJs, ["submit", "--job-id", "never-created-1"], environment({ BATCH_POOL_ID: "no-such-pool" }));
    assert.equal(missingPool.code, ExitCode.SettingsError);
    assert.match(
      missingPool.stderr,
      /BATCH_POOL_ID names pool "no-such-pool", which does not exist in .*: create it \(batch-manager deploy creates the pool\)/,
    );
    const missingVersion = await runNode(mainJs, ["submit", "--job-id", "never-created-2"], environment({ BATCH_APPLICATION_VERSION: "9.9.9" }));
    assert.equal(missingVersion.code, ExitCode.SettingsError);
    assert.match(
      missingVersion.stderr,
      /BATCH_APPLICATION_VERSION names version "9\.9\.9" of application "lifecycle-workload", which has no such package \(versions: 1\.0\.0\): deploy it/,
    );
    const missingApplication = await runNode(mainJs, ["submit", "--job-id", "never-created-3"], environment({ BATCH_APPLICATION_ID: "not-deployed" }));
    assert.equal(missingApplication.code, ExitCode.SettingsError);
    assert.match(missingApplication.stderr, /BATCH_APPLICATION_ID names application "not-deployed", which the account does not have: deploy it/);
    const shortSecret = await runNode(mainJs, ["submit", "--job-id", "never-created-4"], environment({ BATCH_CALLBACK_SECRET: "too-short-value" }));
    assert.equal(shortSecret.code, ExitCode.SettingsError);
    assert.match(shortSecret.stderr, /BATCH_CALLBACK_SECRET must be at least 32 characters/);
    assert.ok(!shortSecret.stderr.includes("too-short-value"), "the secret's value is never echoed");
    for (const jobId of ["never-created-1", "never-created-2", "never-created-3", "never-created-4"])
      await assert.rejects(client.job.get(jobId), { statusCode: 404 }, `${jobId} was not created`);
  });

  it("a failing map task: the gather task (after: completion) still runs and sees it; one failure in the summary; onJobCompleted enriches it; the secret is in no log", async () => {
    const { jobId, stdout, stderr } = await submit("map-fails");
    const { summary } = await onlyCallback("map-fails", jobId);
    assert.equal(summary.result, "failed");
    assert.deepEqual(summary.counts, { total: 5, succeeded: 4, failed: 1, notCompleted: 0 });
    const failed = task(summary, "map 2");
    assert.equal(failed.errorReport?.message, "map 2 fails on purpose");
    const runtimeContainer = `${service.info.blobEndpoint}/batch-runtime`;
    assert.deepEqual(failed.runtimeFiles, [
      { filePattern: "error.json", containerUrl: runtimeContainer, path: `${jobId}/${failed.id}/error.json` },
      { filePattern: "../std*.txt", containerUrl: runtimeContainer, path: `${jobId}/${failed.id}` },
    ]);
    const succeeded = task(summary, "map 1");
    assert.deepEqual(
      succeeded.runtimeFiles,
      [{ filePattern: "../std*.txt", containerUrl: runtimeContainer, path: `${jobId}/${succeeded.id}` }],
      "no error.json for a succeeded task",
    );
    const gather = task(summary, "gather");
    assert.deepEqual([gather.result, gather.exitCode], ["success", 0]);
    const seen = JSON.parse(gather.progress!.message) as { id: string; result: string; exitCode: number }[];
    assert.deepEqual(
      seen.map((parent) => [parent.id, parent.result, parent.exitCode]),
      [
        ["1", "success", 0],
        ["2", "failure", 1],
        ["3", "success", 0],
      ],
    );
    assert.deepEqual(summary.workloadResult, { mode: "map-fails", tasksSummarized: 5 });
    assert.equal(summary.onJobCompletedError, undefined);

    const logs = [stdout, stderr, service.log()];
    for (const taskId of ["job-manager", "finalize-guard", "finalize", "1", "2"]) {
      logs.push(await readBlob(blobs, "batch-runtime", `${jobId}/${taskId}/stderr.txt`));
      logs.push(await readBlob(blobs, "batch-runtime", `${jobId}/${taskId}/stdout.txt`));
    }
    assert.ok(logs.join("\n").includes("Delivered the summary"), "the FinalizeTask's log was read");
    for (const log of logs) assert.ok(!log.includes(SECRET), "the callback secret appears in no log");
    const workloadTask = await client.task.get(jobId, "1");
    assert.ok(!workloadTask.environmentSettings?.some((setting) => setting.value === SECRET), "workload tasks do not get the secret");
    const job = await client.job.get(jobId);
    assert.ok(!job.commonEnvironmentSettings?.some((setting) => setting.value === SECRET), "nor does the job's common environment");
  });

  it("createJob() throws: the job manager's own FinalizeTask reports it; the guard adds none", async () => {
    const { jobId } = await submit("plan-throws");
    const { summary } = await onlyCallback("plan-throws", jobId);
    assert.equal(summary.result, "failed");
    assert.deepEqual(summary.counts, { total: 1, succeeded: 0, failed: 1, notCompleted: 0 });
    const manager = summary.tasks[0]!;
    assert.deepEqual([manager.kind, manager.result, manager.exitCode, manager.errorReport?.message], ["jobManager", "failure", 1, "the plan cannot be made"]);
    const guardLog = await readBlob(blobs, "batch-runtime", `${jobId}/finalize-guard/stderr.txt`);
    assert.match(guardLog, /The job manager added the FinalizeTask; nothing to do/);
  });

  it("the job manager crashes midway (after adding some tasks): the guard adds the FinalizeTask after the tasks it did add", async () => {
    const { jobId } = await submit("crash-midway");
    const { summary } = await onlyCallback("crash-midway", jobId);
    assert.equal(summary.result, "failed");
    assert.deepEqual(
      summary.tasks.map((t) => [t.displayName, t.result]),
      [
        ["JobManager", "failure"],
        ["map 1", "success"],
        ["map 2", "success"],
        ["map 3", "success"],
        ["map 4", "success"],
      ],
    );
    assert.equal(summary.tasks[0]!.errorReport?.message, "the job manager crashed midway");
    const finalize = await client.task.get(jobId, "finalize");
    assert.deepEqual(finalize.dependsOn?.taskIdRanges, [{ start: 1, end: 4 }], "depends on every task the job manager added");
    assert.match(
      await readBlob(blobs, "batch-runtime", `${jobId}/finalize-guard/stderr.txt`),
      /ended without adding the FinalizeTask; adding it after the 4 task\(s\)/,
    );
  });

  it("the job manager fails before any runtime code runs (the workload cannot be constructed): still one callback", async () => {
    const { jobId } = await submit("fail-at-start");
    const { summary } = await onlyCallback("fail-at-start", jobId);
    assert.equal(summary.result, "failed");
    assert.deepEqual(summary.counts, { total: 1, succeeded: 0, failed: 1, notCompleted: 0 });
    assert.equal(summary.tasks[0]!.errorReport?.message, "the workload cannot be constructed in the job manager");
    assert.deepEqual(summary.workloadResult, { mode: "fail-at-start", tasksSummarized: 1 });
  });

  it("onJobCompleted throws: the summary says so (result failed) and is still delivered; the FinalizeTask then fails with exit 1", async () => {
    const { jobId } = await submit("hook-throws");
    const { summary } = await onlyCallback("hook-throws", jobId);
    assert.deepEqual(summary.counts, { total: 5, succeeded: 5, failed: 0, notCompleted: 0 });
    assert.equal(summary.result, "failed");
    assert.equal(summary.onJobCompletedError?.message, "onJobCompleted cannot clean up");
    assert.match(summary.onJobCompletedError?.stack ?? "", /at LifecycleWorkload\.onJobCompleted/);
    assert.equal(summary.workloadResult, undefined);
    const finalize = await client.task.get(jobId, "finalize");
    assert.deepEqual([finalize.executionInfo?.result, finalize.executionInfo?.exitCode], ["failure", ExitCode.WorkloadError]);
    const stored = JSON.parse(await readBlob(blobs, "batch-runtime", `${jobId}/summary.json`)) as JobSummary;
    assert.equal(stored.onJobCompletedError?.message, "onJobCompleted cannot clean up");
  });

  const waitUntilRunning = (jobId: string, taskId: string) =>
    waitFor(async () => ((await client.task.get(jobId, taskId)).state === "running" ? true : undefined), `task ${taskId} of ${jobId} to run`, 60_000, 250);

  it("the job manager task is terminated while it plans: the guard still gets the job its FinalizeTask and callback", async () => {
    const { jobId } = await submit("plan-hangs");
    await waitUntilRunning(jobId, "job-manager");
    await client.task.terminate(jobId, "job-manager");
    const { summary } = await onlyCallback("plan-hangs", jobId);
    assert.deepEqual(summary.counts, { total: 1, succeeded: 0, failed: 1, notCompleted: 0 });
    assert.deepEqual([summary.tasks[0]!.kind, summary.tasks[0]!.failureInfo?.code], ["jobManager", "TaskEnded"]);
  });

  it("a job terminated by the user gets no FinalizeTask run and no callback (documented)", async () => {
    const mode = "plan-hangs-terminated";
    const result = await runNode(
      mainJs,
      ["submit", "--args", JSON.stringify({ mode: "plan-hangs" }), "--callback-url", `${callbackBase}/${mode}`],
      environment(),
    );
    assert.equal(result.code, 0, result.stderr);
    const { jobId } = JSON.parse(result.stdout.trim().split("\n").pop()!) as { jobId: string };
    await waitUntilRunning(jobId, "job-manager");
    await client.job.terminate(jobId);
    const job = await waitFor(
      async () => {
        const current = await client.job.get(jobId);
        return current.state === "completed" ? current : undefined;
      },
      `job ${jobId} to complete`,
      60_000,
      250,
    );
    assert.equal(job.executionInfo?.terminateReason, "UserTerminate");
    // a completed job runs nothing more: whatever has not run by now never will
    const tasks = await client.task.list(jobId);
    assert.ok(!tasks.some((task) => task.id === "finalize" && task.executionInfo?.startTime), "the FinalizeTask never ran");
    assert.equal(callbacks.received.filter((received) => received.path === `/${mode}`).length, 0);
  });
});
