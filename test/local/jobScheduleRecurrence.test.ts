// Why: a recurring job schedule creates its second job one recurrenceInterval after the first's scheduled start (once the first has completed), through the real @azure/batch client against the real local service, waiting on the condition with a bound.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";
import { startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";

/** The shortest recurrence the service accepts (PT1M; the local service has no shorter override). */
const INTERVAL_MS = 60_000;
/** How late the second job may be: the schedule clock ticks every 250 ms; allow for a slow machine. */
const SLACK_MS = 15_000;

describe("recurring job schedules", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
    await client.pool.add({ id: "recur-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION, targetDedicatedNodes: 1 });
  });
  after(() => service?.stop());

  it("creates job-2 one interval after job-1, only after job-1 completed, and points recentJob and nextRunTime at it", {
    timeout: INTERVAL_MS + 4 * SLACK_MS,
  }, async () => {
    await client.jobSchedule.add({
      id: "every-minute",
      schedule: { recurrenceInterval: "PT1M" },
      // the job manager ends its job (killJobOnCompletion defaults to true), so the schedule may open the next one
      jobSpecification: { poolInfo: { poolId: "recur-pool" }, jobManagerTask: { id: "jm", commandLine: "sh -c 'exit 0'" } },
    });
    const first = await waitFor(async () => (await client.jobSchedule.get("every-minute")).executionInfo?.recentJob?.id, "the schedule's first job", SLACK_MS);
    assert.equal(first, "every-minute:job-1");
    const job1 = await client.job.get(first);
    const job1Created = job1.creationTime!.getTime();
    const nextRun = (await client.jobSchedule.get("every-minute")).executionInfo?.nextRunTime?.getTime();
    assert.ok(
      nextRun !== undefined && nextRun <= job1Created + INTERVAL_MS && nextRun >= job1Created + INTERVAL_MS - SLACK_MS,
      `nextRunTime ${nextRun} is one interval after job-1's scheduled start, which is at or before its creation (${job1Created})`,
    );

    const job1Done = await waitFor(
      async () => {
        const job = await client.job.get(first);
        return job.state === "completed" ? job : undefined;
      },
      "job-1 to complete when its job manager exits",
      30_000,
    );
    assert.ok(job1Done.executionInfo?.endTime instanceof Date);
    assert.deepEqual(
      (await client.job.listFromJobSchedule("every-minute")).map((j) => j.id),
      [first],
      "no second job before the interval has passed",
    );

    const second = await waitFor(
      async () => {
        const recent = (await client.jobSchedule.get("every-minute")).executionInfo?.recentJob?.id;
        return recent && recent !== first ? recent : undefined;
      },
      "the schedule's second job",
      job1Created + INTERVAL_MS + 2 * SLACK_MS - Date.now(),
      250,
    );
    assert.equal(second, "every-minute:job-2");
    const job2Created = (await client.job.get(second)).creationTime!.getTime();
    // the interval runs between scheduled start times (nextRunTime), not between creation times: job-1 may be created
    // a clock tick after its due time while job-2 is created right at its own
    assert.ok(
      job2Created >= nextRun,
      `job-2 (${new Date(job2Created).toISOString()}) not before the nextRunTime announced after job-1 (${new Date(nextRun).toISOString()})`,
    );
    assert.ok(job2Created <= job1Created + INTERVAL_MS + SLACK_MS, "job-2 is created on time");
    assert.deepEqual((await client.job.listFromJobSchedule("every-minute")).map((j) => j.id).sort(), [first, second]);
    const schedule = await client.jobSchedule.get("every-minute");
    assert.equal(schedule.state, "active");
    assert.ok((schedule.executionInfo?.nextRunTime?.getTime() ?? 0) > job2Created, "the next run is after job-2");

    await client.jobSchedule.terminate("every-minute");
  });
});
