// Why: job schedules through the real @azure/batch client against the real local service: jobs created on time under `<id>:job-<n>`, one open job at a time, state changes, bad input, deletion and a restart.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";
import { startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";

const vm = LOCAL_POOL_VM_CONFIGURATION;
const poolInfo = { poolId: "sched-pool" };

describe("job schedules", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    await client.pool.add({ id: "sched-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
  });
  after(() => service?.stop());

  it("creates the one job of a schedule at doNotRunUntil, lists it by schedule, and completes when the job does", async () => {
    const start = new Date(Date.now() + 1500);
    await client.jobSchedule.add({
      id: "once",
      schedule: { doNotRunUntil: start },
      jobSpecification: { poolInfo, jobManagerTask: { id: "jm", commandLine: "sh -c 'exit 0'" } },
      metadata: [{ name: "team", value: "hpc" }],
    });
    const added = await client.jobSchedule.get("once");
    assert.equal(added.state, "active");
    assert.equal(added.executionInfo?.nextRunTime?.getTime(), start.getTime());
    assert.equal(added.executionInfo?.recentJob, undefined);
    assert.equal((await client.jobSchedule.exists("once")).body, true);
    assert.equal((await client.jobSchedule.exists("never")).body, false);
    assert.ok((await client.jobSchedule.list()).some((s) => s.id === "once"));

    const withJob = await waitFor(async () => {
      const schedule = await client.jobSchedule.get("once");
      return schedule.executionInfo?.recentJob ? schedule : undefined;
    }, "the schedule's job");
    assert.equal(withJob.executionInfo?.recentJob?.id, "once:job-1");
    assert.equal(withJob.executionInfo?.recentJob?.url, `${service.info.batchUrl}/jobs/once%3Ajob-1`);
    const job = await client.job.get("once:job-1");
    assert.ok(job.creationTime!.getTime() >= start.getTime(), "the job must not be created before doNotRunUntil");
    assert.equal(job.poolInfo?.poolId, "sched-pool");
    assert.deepEqual(
      (await client.job.listFromJobSchedule("once")).map((j) => j.id),
      ["once:job-1"],
    );
    const done = await waitFor(async () => {
      const schedule = await client.jobSchedule.get("once");
      return schedule.state === "completed" ? schedule : undefined;
    }, "the schedule to complete after its job");
    assert.ok(done.executionInfo?.endTime instanceof Date);
    assert.equal(done.executionInfo?.nextRunTime, undefined);
    assert.equal((await client.job.get("once:job-1")).state, "completed");
    await assert.rejects(client.jobSchedule.patch("once", { metadata: [] }), { statusCode: 409, code: "JobScheduleCompleted" });
  });

  it("keeps one open job per recurring schedule, disables, enables, patches, updates and terminates", async () => {
    await client.jobSchedule.add({ id: "recur", schedule: { recurrenceInterval: "PT1M" }, jobSpecification: { poolInfo } });
    await waitFor(async () => ((await client.jobSchedule.get("recur")).executionInfo?.recentJob?.id === "recur:job-1" ? true : undefined), "recur:job-1");
    const recurring = await client.jobSchedule.get("recur");
    const nextRun = recurring.executionInfo?.nextRunTime?.getTime() ?? 0;
    assert.ok(nextRun > Date.now() && nextRun <= Date.now() + 60_000, "the next run is one interval after the first");

    await client.jobSchedule.patch("recur", { metadata: [{ name: "a", value: "1" }] });
    assert.deepEqual((await client.jobSchedule.get("recur")).metadata, [{ name: "a", value: "1" }]);
    await client.jobSchedule.update("recur", { schedule: { recurrenceInterval: "PT2M" }, jobSpecification: { poolInfo, priority: 5 } });
    const updated = await client.jobSchedule.get("recur");
    assert.equal(updated.schedule?.recurrenceInterval, "PT2M");
    assert.equal(updated.jobSpecification?.priority, 5);
    assert.equal(updated.metadata, undefined, "update replaces: absent metadata is cleared");

    await client.jobSchedule.disable("recur");
    assert.equal((await client.jobSchedule.get("recur")).state, "disabled");
    await client.jobSchedule.enable("recur");
    assert.equal((await client.jobSchedule.get("recur")).state, "active");

    await client.jobSchedule.terminate("recur");
    const ended = await waitFor(async () => {
      const schedule = await client.jobSchedule.get("recur");
      return schedule.state === "completed" ? schedule : undefined;
    }, "the terminated schedule to complete");
    assert.equal(ended.executionInfo?.recentJob?.id, "recur:job-1");
    assert.deepEqual(
      (await client.job.listFromJobSchedule("recur")).map((j) => j.id),
      ["recur:job-1"],
      "no second job while the first was open",
    );
    const job = await client.job.get("recur:job-1");
    assert.equal(job.state, "completed");
    assert.equal(job.executionInfo?.terminateReason, "UserTerminate");
  });

  it("passes the @azure/batch suite's eleven job-schedule cases (statuses and states as it asserts them)", async () => {
    await client.pool.add({ id: "sched-pool-2", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    const doNotRunUntil = new Date(Date.now() + 3 * 86_400_000);
    const add = await client.jobSchedule.add({
      id: "JSSDKTestSchedule",
      jobSpecification: { displayName: "JSSDKTestJob", poolInfo },
      schedule: { doNotRunUntil, startWindow: "PT6M" },
    });
    assert.equal(add._response.status, 201);
    const list = await client.jobSchedule.list();
    assert.ok(list.length >= 1);
    assert.equal(list._response.status, 200);
    const jobs = await client.job.listFromJobSchedule("JSSDKTestSchedule");
    assert.equal(jobs.length, 0);
    assert.equal(jobs._response.status, 200);
    assert.equal((await client.jobSchedule.exists("JSSDKTestSchedule")).body, true);
    const got = await client.jobSchedule.get("JSSDKTestSchedule");
    assert.equal(got.state, "active");
    assert.equal(got.schedule?.doNotRunUntil?.getTime(), doNotRunUntil.getTime());
    const update = await client.jobSchedule.update("JSSDKTestSchedule", {
      schedule: { recurrenceInterval: "PT6H" },
      jobSpecification: { poolInfo: { poolId: "sched-pool-2" } },
    });
    assert.equal(update._response.status, 200);
    const patch = await client.jobSchedule.patch("JSSDKTestSchedule", { schedule: { recurrenceInterval: "PT3H", startWindow: "PT1H" } });
    assert.equal(patch._response.status, 200);
    assert.deepEqual((await client.jobSchedule.get("JSSDKTestSchedule")).schedule, { recurrenceInterval: "PT3H", startWindow: "PT1H" });
    assert.equal((await client.jobSchedule.disable("JSSDKTestSchedule"))._response.status, 204);
    assert.equal((await client.jobSchedule.enable("JSSDKTestSchedule"))._response.status, 204);
    assert.equal((await client.jobSchedule.terminate("JSSDKTestSchedule"))._response.status, 202);
    assert.equal((await client.jobSchedule.deleteMethod("JSSDKTestSchedule"))._response.status, 202);
    await waitFor(async () => ((await client.jobSchedule.exists("JSSDKTestSchedule")).body === false ? true : undefined), "the suite's schedule to be deleted");
  });

  it("completes at once a schedule whose doNotRunAfter has passed, creating no job", async () => {
    await client.jobSchedule.add({ id: "late", schedule: { doNotRunAfter: new Date(Date.now() - 60_000) }, jobSpecification: { poolInfo } });
    await waitFor(async () => ((await client.jobSchedule.get("late")).state === "completed" ? true : undefined), "the late schedule to complete");
    assert.deepEqual(
      [...(await client.job.listFromJobSchedule("late"))].map((j) => j.id),
      [],
    );
  });

  it("refuses bad schedules with 400 naming the property, duplicates with 409, unknown ids with 404", async () => {
    const named = (property: string) => (error: { statusCode: number; code: string; body?: { values?: { key: string; value: string }[] } }) => {
      assert.equal(error.statusCode, 400);
      assert.deepEqual(error.body?.values?.[0], { key: "PropertyName", value: property });
      return true;
    };
    await assert.rejects(
      client.jobSchedule.add({ id: "bad", schedule: { recurrenceInterval: "PT30S" }, jobSpecification: { poolInfo } }),
      named("schedule.recurrenceInterval"),
    );
    await assert.rejects(
      client.jobSchedule.add({ id: "bad", schedule: { startWindow: "PT10S" }, jobSpecification: { poolInfo } }),
      named("schedule.startWindow"),
    );
    await assert.rejects(
      client.jobSchedule.add({ id: "bad", schedule: {}, jobSpecification: { poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job" } } } }),
      named("poolInfo.autoPoolSpecification"),
    );
    await assert.rejects(client.jobSchedule.add({ id: "bad:id", schedule: {}, jobSpecification: { poolInfo } }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
    });
    assert.equal((await client.jobSchedule.exists("bad")).body, false);
    await assert.rejects(client.jobSchedule.add({ id: "LATE", schedule: {}, jobSpecification: { poolInfo } }), { statusCode: 409, code: "JobScheduleExists" });
    await assert.rejects(client.jobSchedule.get("nope"), { statusCode: 404, code: "JobScheduleNotFound" });
    await assert.rejects(client.job.listFromJobSchedule("nope"), { statusCode: 404, code: "JobScheduleNotFound" });
  });

  it("deletes a schedule with its jobs, and a schedule survives a restart of the service", async () => {
    await client.jobSchedule.add({ id: "gone", schedule: {}, jobSpecification: { poolInfo } });
    await waitFor(async () => ((await client.jobSchedule.get("gone")).executionInfo?.recentJob ? true : undefined), "gone:job-1");
    await client.jobSchedule.deleteMethod("gone");
    await waitFor(async () => ((await client.jobSchedule.exists("gone")).body === false ? true : undefined), "the schedule to be deleted");
    await assert.rejects(client.job.get("gone:job-1"), { statusCode: 404 });

    const until = new Date(Date.now() + 3_600_000);
    await client.jobSchedule.add({ id: "kept", schedule: { doNotRunUntil: until }, jobSpecification: { poolInfo } });
    await service.kill();
    service = await startLocalService({ dataDir: service.dataDir, nodes: 2 });
    client = service.client();
    const kept = await client.jobSchedule.get("kept");
    assert.equal(kept.state, "active");
    assert.equal(kept.executionInfo?.nextRunTime?.getTime(), until.getTime());
    assert.deepEqual(
      [...(await client.job.listFromJobSchedule("kept"))].map((j) => j.id),
      [],
    );
  });
});
