// Why: job-level progress reports against the real local service, Azurite and real processes: the finalize-guard POSTs signed, throttled reports with a rising percent and a final 100% to a loopback receiver, and `run --wait`'s watcher computes the same figure.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { watchJob, type JobSnapshot } from "../../src/core/deploy/jobWatch";
import { CallbackHeaders, computeJobProgress, ExitCode, isValidCallbackSignature, readJobProgress, type JobProgressReport } from "../../src/runtime";
import { REPO_ROOT, startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../support/localService";
import { CallbackServer } from "./support/callbackServer";
import { localWorkloadSettings } from "./support/localWorkloadEnvironment";
import { cleanEnvironment, runNode } from "./support/workloadProcess";
import { deployFixtureWorkload } from "./support/workloadProject";

const POOL_ID = "progress-pool";
const APPLICATION = { BATCH_APPLICATION_ID: "progress-workload", BATCH_APPLICATION_VERSION: "1.0.0" };
const SECRET = "progress-report-secret-0123456789abcdef";
const INTERVAL_SECONDS = 1;

/** The ```js block after the progress receiver's marker in docs/runtime.md. */
function receiverFromDocs(): string {
  const docs = fs.readFileSync(path.join(REPO_ROOT, "docs", "runtime.md"), "utf8");
  const at = docs.indexOf("<!-- progress-receiver-example");
  assert.ok(at >= 0, "docs/runtime.md has the progress receiver example");
  return /```js\n([\s\S]*?)```/.exec(docs.slice(at))![1]!;
}

describe("job progress reports (local service, Azurite, real processes, a loopback receiver)", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let mainJs: string;
  const receiver = new CallbackServer();
  let receiverBase: string;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    const fixture = path.join(REPO_ROOT, "test", "runtime", "fixtures", "progress-workload");
    mainJs = await deployFixtureWorkload(service, { fixture, application: APPLICATION, poolId: POOL_ID, taskSlotsPerNode: 3 });
    receiverBase = await receiver.start();
  });
  after(async () => {
    await receiver.stop();
    await service.stop();
  });

  const environment = (extra: Record<string, string>) =>
    cleanEnvironment(localWorkloadSettings(service.info, { ...APPLICATION, BATCH_POOL_ID: POOL_ID, BATCH_CALLBACK_SECRET: SECRET, ...extra }));

  it("the guard POSTs signed reports at most once per interval, percent rising to a final 100%; run --wait shows the same figure", async () => {
    const submitted = await runNode(
      mainJs,
      ["submit", "--args", JSON.stringify({ taskCount: 4, stepMs: 1500 })],
      environment({ BATCH_PROGRESS_URL: `${receiverBase}/progress`, BATCH_PROGRESS_INTERVAL_SECONDS: String(INTERVAL_SECONDS) }),
    );
    assert.equal(submitted.code, 0, `submit failed:\n${submitted.stderr}`);
    const { jobId } = JSON.parse(submitted.stdout.trim().split("\n").pop()!) as { jobId: string };

    // what `batch-manager run --wait` does once the job exists
    const snapshots: JobSnapshot[] = [];
    const lines: string[] = [];
    const outcome = await watchJob(client, jobId, { report: (line) => lines.push(line) }, new AbortController().signal, (snapshot) => snapshots.push(snapshot));
    assert.equal(outcome.state, "completed");

    const received = receiver.received.filter((request) => request.path === "/progress");
    const reports = received.map((request) => request.body as JobProgressReport);
    assert.ok(reports.length >= 3, `several reports while the job ran (got ${reports.length})`);
    for (const request of received) {
      const headers = request.headers;
      assert.ok(
        isValidCallbackSignature(SECRET, String(headers[CallbackHeaders.timestamp]), request.rawBody, String(headers[CallbackHeaders.signature])),
        "each report is signed with BATCH_CALLBACK_SECRET like the callback",
      );
    }
    assert.equal(new Set(received.map((request) => request.headers[CallbackHeaders.delivery])).size, received.length, "one delivery id per report");
    assert.deepEqual(
      reports.map((report) => report.sequence),
      reports.map((_, index) => index + 1),
      "sequence numbers in order",
    );
    for (const report of reports) assert.equal(report.jobId, jobId);

    const percents = reports.map((report) => report.percent);
    for (let index = 1; index < percents.length; index++) assert.ok(percents[index]! >= percents[index - 1]!, `percent never falls: ${percents.join(", ")}`);
    assert.ok(new Set(percents).size >= 3, `the percent rises in steps while tasks report progress: ${percents.join(", ")}`);
    assert.ok(
      reports.some((report) => report.percent > 0 && report.percent < 100 && report.running.length > 0),
      "running tasks' reported progress counts while they run",
    );

    const final = reports.at(-1)!;
    assert.deepEqual(
      reports.map((report) => report.final),
      [...reports.slice(1).map(() => false), true],
      "exactly one final report, the last",
    );
    assert.equal(final.percent, 100);
    assert.deepEqual(final.counts, { total: 4, completed: 4, succeeded: 4, failed: 0, running: 0, waiting: 0 });
    assert.equal(final.jobManagerRunning, false);
    assert.equal(final.etaSeconds, 0);
    assert.ok(
      reports.some((report) => typeof report.etaSeconds === "number" && report.etaSeconds > 0),
      "an ETA while the job runs",
    );

    // throttling: periodic reports at least one interval apart, so their count is bounded by duration / interval + 1 (the final one comes on top)
    const periodic = received.slice(0, -1);
    for (let index = 1; index < periodic.length; index++)
      assert.ok(periodic[index]!.receivedAt - periodic[index - 1]!.receivedAt >= INTERVAL_SECONDS * 1000 - 50, "at most one report per interval");
    const durationSeconds = (received.at(-1)!.receivedAt - received[0]!.receivedAt) / 1000;
    assert.ok(periodic.length <= Math.floor(durationSeconds / INTERVAL_SECONDS) + 1, `${periodic.length} periodic reports in ${durationSeconds} s`);

    // run --wait: the same computation, the same figure
    const job = await client.job.get(jobId);
    const now = await readJobProgress(client, jobId, job.creationTime);
    assert.deepEqual([now.percent, now.counts], [final.percent, final.counts]);
    const watched = snapshots.map((snapshot) => snapshot.percent);
    assert.equal(watched.at(-1), 100);
    assert.ok(
      snapshots.some((snapshot) => snapshot.progress && snapshot.progress.percent > 0 && snapshot.progress.percent < 100),
      `run --wait saw the job part done: ${watched.join(", ")}`,
    );
    assert.ok(
      lines.some((line) => new RegExp(`^job ${jobId}: \\d+% · \\d/4 tasks done \\(\\d running, 0 failed`).test(line)),
      lines.join("\n"),
    );
  });

  it("the receiver docs/runtime.md shows, run as written, follows a real job to its final 100% and refuses a forged report", async (t) => {
    const file = path.join(tempDir("progress-receiver"), "progress-receiver.mjs");
    fs.writeFileSync(file, receiverFromDocs());
    const documented = spawn(process.execPath, [file], {
      env: { ...process.env, BATCH_CALLBACK_SECRET: SECRET, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    t.after(() => documented.kill());
    const printed: string[] = [];
    readline.createInterface({ input: documented.stdout! }).on("line", (line) => printed.push(line));
    const port = await waitFor(() => printed.map((line) => /listening on (\d+)/.exec(line)?.[1]).find(Boolean), "the receiver to listen", 10_000, 20);
    const url = `http://127.0.0.1:${port}/progress`;
    const forged = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [CallbackHeaders.timestamp]: String(Math.floor(Date.now() / 1000)),
        [CallbackHeaders.signature]: `sha256=${"0".repeat(64)}`,
      },
      body: JSON.stringify({ jobId: "forged", sequence: 1, percent: 100, final: true }),
    });
    assert.equal(forged.status, 401);
    const submitted = await runNode(
      mainJs,
      ["submit", "--args", JSON.stringify({ taskCount: 2, stepMs: 400 })],
      environment({ BATCH_PROGRESS_URL: url, BATCH_PROGRESS_INTERVAL_SECONDS: "1" }),
    );
    assert.equal(submitted.code, 0, submitted.stderr);
    const { jobId } = JSON.parse(submitted.stdout.trim().split("\n").pop()!) as { jobId: string };
    await waitFor(() => printed.find((line) => line === `job ${jobId}: 100% (final)`), "the receiver to print the final report", 120_000, 100);
    const lines = printed.filter((line) => line.startsWith(`job ${jobId}: `));
    assert.ok(lines.length >= 2, lines.join("\n"));
    assert.ok(!printed.some((line) => line.includes("forged")), "the forged report was not taken");
  });

  it("without BATCH_PROGRESS_URL the guard sends nothing and ends with the job manager", async () => {
    const before = receiver.received.length;
    const submitted = await runNode(mainJs, ["submit", "--args", JSON.stringify({ taskCount: 1, stepMs: 10 })], environment({}));
    assert.equal(submitted.code, 0, submitted.stderr);
    const { jobId } = JSON.parse(submitted.stdout.trim().split("\n").pop()!) as { jobId: string };
    await waitFor(async () => ((await client.job.get(jobId)).state === "completed" ? true : undefined), `job ${jobId} to complete`, 120_000, 250);
    assert.equal(receiver.received.length, before);
  });

  it("a bad progress URL or interval stops submit before the job exists, naming the setting and the fix", async () => {
    const plainHttp = await runNode(mainJs, ["submit", "--job-id", "progress-never-1"], environment({ BATCH_PROGRESS_URL: "http://progress.example.com/p" }));
    assert.equal(plainHttp.code, ExitCode.SettingsError);
    assert.match(plainHttp.stderr, /BATCH_PROGRESS_URL must use https \(plain http is accepted only for localhost/);
    const blockedPort = await runNode(mainJs, ["submit", "--job-id", "progress-never-2"], environment({ BATCH_PROGRESS_URL: "http://127.0.0.1:6000/p" }));
    assert.match(blockedPort.stderr, /BATCH_PROGRESS_URL uses port 6000, which fetch refuses .*use another port/);
    const interval = await runNode(mainJs, ["submit", "--job-id", "progress-never-3"], environment({ BATCH_PROGRESS_INTERVAL_SECONDS: "0" }));
    assert.match(interval.stderr, /BATCH_PROGRESS_INTERVAL_SECONDS must be a whole number of seconds from 1 to 3600 \(got "0"\)/);
    for (const jobId of ["progress-never-1", "progress-never-2", "progress-never-3"]) await assert.rejects(client.job.get(jobId), { statusCode: 404 });
  });

  it("the figure: completed tasks whole, running ones by their report, below 100 while the job manager runs, a linear ETA", () => {
    const created = new Date("2026-01-01T00:00:00Z");
    const at = new Date("2026-01-01T00:01:00Z");
    const tasks = [
      { id: "1", state: "completed", result: "success" },
      { id: "2", state: "completed", result: "failure" },
      { id: "3", state: "running", percent: 50, message: "half" },
      { id: "4", state: "active" },
    ];
    const progress = computeJobProgress(tasks, false, created, at);
    assert.equal(progress.percent, 62);
    assert.deepEqual(progress.counts, { total: 4, completed: 2, succeeded: 1, failed: 1, running: 1, waiting: 1 });
    assert.equal(progress.etaSeconds, 36);
    const done = tasks.map((task) => ({ ...task, state: "completed" }));
    assert.equal(computeJobProgress(done, true, created, at).percent, 99, "the job manager may still add tasks");
    assert.equal(computeJobProgress(done, false, created, at).percent, 100);
    assert.equal(computeJobProgress([], true, created, at).etaSeconds, null);
  });
});
