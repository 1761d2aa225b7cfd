// Why: task, job and account-lifetime statistics and pool usage metrics from real task processes (CPU, I/O, node time), kept across a restart.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForTaskState } from "../jobs/helpers";

/** Seconds in an ISO 8601 duration as the service writes them (PT1M2.5S, P1DT…). */
function seconds(duration: string | undefined): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(duration ?? "");
  assert.ok(match, `an ISO 8601 duration: ${duration}`);
  return Number(match[1] ?? 0) * 86400 + Number(match[2] ?? 0) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
}

/** `--inspect`-free node one-liner: burns `ms` of its own user CPU time (not wall time: the machine may be busy). */
const burn = (ms: number) => `while (process.cpuUsage().user < ${ms * 1000}) {}`;
const MIB = 1024 * 1024;
/** A task that burns 300 ms itself and 200 ms in a child it waits for, then writes a 5 MiB file. */
const BURNER = `${process.execPath} -e "${burn(300)}; require('child_process').execFileSync(process.execPath, ['-e', '${burn(200)}']); require('fs').writeFileSync('big.bin', Buffer.alloc(${5 * MIB}))"`;

describe("statistics from real task processes", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let dataDir: string;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    dataDir = service.dataDir;
    client = service.client();
    await poolWithIdleNodes(client, "stats-pool", 1);
    await client.job.add({ id: "stats-job", poolInfo: { poolId: "stats-pool" } });
    await client.task.add("stats-job", { id: "burner", commandLine: BURNER });
    await client.task.add("stats-job", { id: "killed", commandLine: sh("kill -KILL $$") });
    await client.task.add("stats-job", { id: "retried", commandLine: sh("exit 3"), constraints: { maxTaskRetryCount: 1 } });
    for (const id of ["burner", "killed", "retried"]) await waitForTaskState(client, "stats-job", id, "completed", 60_000);
  });
  after(async () => {
    await service?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports a task's CPU time (its own and its waited-for child's), bytes written, wall clock and wait time", async () => {
    const task = await client.task.get("stats-job", "burner", { taskGetOptions: { expand: "stats" } });
    assert.equal(task.executionInfo?.exitCode, 0);
    const stats = task.stats!;
    assert.ok(seconds(stats.userCPUTime) >= 0.5, `userCPUTime ${stats.userCPUTime} covers 300 ms + the child's 200 ms`);
    assert.ok(seconds(stats.kernelCPUTime) >= 0, String(stats.kernelCPUTime));
    assert.ok(seconds(stats.wallClockTime) >= seconds(stats.userCPUTime) / 2, `wall ${stats.wallClockTime}`);
    assert.ok(stats.writeIOGiB * 1024 ** 3 >= 5 * MIB, `writeIOGiB ${stats.writeIOGiB} covers the 5 MiB file`);
    assert.ok(stats.writeIOps >= 1 && stats.readIOps >= 1, `readIOps ${stats.readIOps}, writeIOps ${stats.writeIOps}`);
    assert.ok(stats.readIOGiB > 0, "node read its own modules");
    assert.ok(seconds(stats.waitTime) >= 0);
    assert.match(stats.url, /\/jobs\/stats-job\/tasks\/burner\/stats$/);
  });

  it("keeps a signal's exit code (128 + 9) and the task's pid semantics under the measuring wrapper", async () => {
    const task = await client.task.get("stats-job", "killed", { taskGetOptions: { expand: "stats" } });
    assert.equal(task.executionInfo?.exitCode, 137);
    assert.equal(task.executionInfo?.failureInfo?.code, "FailureExitCode");
    assert.ok(seconds(task.stats?.wallClockTime) >= 0);
    const stderr = await streamText((await client.file.getFromTask("stats-job", "killed", "stderr.txt")).readableStreamBody);
    assert.equal(stderr, "", "the wrapper adds no 'Killed' line to stderr.txt");
  });

  it("sums the tasks into JobStatistics ($expand=stats): CPU, I/O, outcomes and retries", async () => {
    const job = await client.job.get("stats-job", { jobGetOptions: { expand: "stats" } });
    const stats = job.stats!;
    assert.ok(seconds(stats.userCPUTime) >= 0.5, String(stats.userCPUTime));
    assert.ok(stats.writeIOGiB * 1024 ** 3 >= 5 * MIB);
    assert.equal(stats.numSucceededTasks, 1);
    assert.equal(stats.numFailedTasks, 2);
    assert.equal(stats.numTaskRetries, 1);
    const listed = await client.job.list({ jobListOptions: { expand: "stats" } });
    assert.equal(listed.find((entry) => entry.id === "stats-job")?.stats?.numSucceededTasks, 1);
  });

  it("answers Pool_ListUsageMetrics with the pool's core hours in the current 30-minute interval, filtered and bounded", async () => {
    const metrics = await waitFor(async () => {
      const list = await client.pool.listUsageMetrics();
      return list.find((entry) => entry.poolId === "stats-pool" && entry.totalCoreHours > 0);
    }, "usage of stats-pool");
    assert.equal(metrics.vmSize, "standard_d2s_v3");
    const start = metrics.startTime.getTime();
    assert.equal(start % (30 * 60_000), 0, "intervals start on the half hour");
    assert.equal(metrics.endTime.getTime() - start, 30 * 60_000);
    assert.ok(start <= Date.now() && Date.now() < metrics.endTime.getTime());
    const other = await client.pool.listUsageMetrics({ poolListUsageMetricsOptions: { filter: "poolId eq 'no-such-pool'" } });
    assert.deepEqual([...other], []);
    const future = await client.pool.listUsageMetrics({ poolListUsageMetricsOptions: { startTime: new Date(Date.now() + 86_400_000) } });
    assert.deepEqual([...future], []);
    const earlier = await client.pool.listUsageMetrics({
      poolListUsageMetricsOptions: { startTime: new Date(Date.now() - 86_400_000), endTime: new Date(Date.now() + 60_000) },
    });
    assert.ok(earlier.some((entry) => entry.poolId === "stats-pool"));
    await assert.rejects(
      client.pool.listUsageMetrics({ poolListUsageMetricsOptions: { startTime: new Date(Date.now()), endTime: new Date(Date.now() - 3_600_000) } }),
      { statusCode: 400, code: "InvalidQueryParameterValue" },
    );
    const bad = await client.sendRequest({
      method: "GET",
      url: `${client.batchUrl}/poolusagemetrics`,
      queryParameters: { "api-version": client.apiVersion, starttime: "yesterday" },
    });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.bodyAsText ?? "{}").code, "InvalidQueryParameterValue");
    assert.match(bad.bodyAsText ?? "", /starttime/);
  });

  it("counts usage up to the request: a pool whose node has just joined is listed at once, not after the next periodic sample", async () => {
    await poolWithIdleNodes(client, "fresh-pool", 1);
    const listed = await client.pool.listUsageMetrics({ poolListUsageMetricsOptions: { filter: "poolId eq 'fresh-pool'" } });
    assert.equal(listed.length, 1, "the fresh pool's current interval");
    assert.ok(listed[0].totalCoreHours > 0, `totalCoreHours ${listed[0].totalCoreHours}`);
    const before = seconds((await client.pool.getAllLifetimeStatistics()).usageStats?.dedicatedCoreTime);
    const after = seconds((await client.pool.getAllLifetimeStatistics()).usageStats?.dedicatedCoreTime);
    assert.ok(after > before, `lifetime dedicated core time grows from one request to the next (${before} s, then ${after} s)`);
    await client.pool.deleteMethod("fresh-pool");
  });

  it("keeps lifetime job and pool statistics past the job's deletion and a restart", async () => {
    const stats = await client.job.getAllLifetimeStatistics();
    assert.ok(seconds(stats.userCPUTime) >= 0.5);
    assert.ok(stats.writeIOGiB * 1024 ** 3 >= 5 * MIB);
    assert.equal(stats.numSucceededTasks, 1);
    assert.equal(stats.numFailedTasks, 2);
    assert.equal(stats.numTaskRetries, 1);
    assert.ok(seconds(stats.wallClockTime) > 0);
    const pools = await waitFor(async () => {
      const value = await client.pool.getAllLifetimeStatistics();
      return seconds(value.usageStats?.dedicatedCoreTime) > 0 && (value.resourceStats?.avgMemoryGiB ?? 0) > 0 ? value : undefined;
    }, "pool lifetime figures sampled");
    const resources = pools.resourceStats!;
    assert.ok(resources.peakMemoryGiB >= resources.avgMemoryGiB);
    assert.ok(resources.avgCPUPercentage >= 0 && resources.avgCPUPercentage <= 100);
    assert.ok(resources.peakDiskGiB >= resources.avgDiskGiB && resources.avgDiskGiB > 0);

    await client.job.deleteMethod("stats-job");
    await waitFor(async () => (await client.job.list()).length === 0 || undefined, "the job to be gone");
    await service.stop();
    service = await startLocalService({ nodes: 2, dataDir });
    client = service.client();
    const again = await client.job.getAllLifetimeStatistics();
    assert.equal(again.numSucceededTasks, 1);
    assert.equal(again.numFailedTasks, 2);
    assert.equal(again.numTaskRetries, 1);
    assert.equal(again.userCPUTime, stats.userCPUTime);
    assert.deepEqual(again.startTime, stats.startTime);
    const poolsAgain = await client.pool.getAllLifetimeStatistics();
    assert.ok(seconds(poolsAgain.usageStats?.dedicatedCoreTime) >= seconds(pools.usageStats?.dedicatedCoreTime));
  });
});

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
