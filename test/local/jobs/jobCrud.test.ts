// Why: job add/get/list/update/patch/delete and their errors through the real @azure/batch client, responses checked against the spec.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { rawRequest, waitForJobGone } from "./helpers";

describe("jobs: add, get, list, update, patch, delete", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
  });
  after(() => service.stop());

  it("adds a job and returns it with the service's defaults", async () => {
    await client.job.add({ id: "j-basic", poolInfo: { poolId: "no-such-pool" }, displayName: "Basic", metadata: [{ name: "a", value: "1" }] });
    const job = await client.job.get("j-basic");
    assert.equal(job.id, "j-basic");
    assert.equal(job.url, `${service.info.batchUrl}/jobs/j-basic`);
    assert.equal(job.state, "active");
    assert.equal(job.priority, 0);
    assert.equal(job.maxParallelTasks, -1);
    assert.equal(job.allowTaskPreemption, false);
    assert.equal(job.usesTaskDependencies, false);
    assert.equal(job.onAllTasksComplete, "noaction");
    assert.equal(job.onTaskFailure, "noaction");
    assert.equal(job.constraints?.maxTaskRetryCount, 0);
    assert.ok(job.constraints?.maxWallClockTime, "unlimited wall clock is reported");
    assert.equal(job.poolInfo?.poolId, "no-such-pool");
    assert.ok(job.executionInfo?.startTime instanceof Date);
    assert.ok(job.eTag && job.lastModified instanceof Date && job.creationTime instanceof Date);
    assert.deepEqual(job.metadata, [{ name: "a", value: "1" }]);
  });

  it("refuses a duplicate id (case-insensitive) with 409 JobExists and an unknown job with 404 JobNotFound", async () => {
    await assert.rejects(client.job.add({ id: "J-BASIC", poolInfo: { poolId: "p" } }), { statusCode: 409, code: "JobExists" });
    await assert.rejects(client.job.get("nope"), { statusCode: 404, code: "JobNotFound" });
    await assert.rejects(client.job.deleteMethod("nope"), { statusCode: 404, code: "JobNotFound" });
  });

  it("validates ids, priority, maxParallelTasks, auto pools and release tasks", async () => {
    await assert.rejects(client.job.add({ id: "bad id", poolInfo: { poolId: "p" } }), { statusCode: 400, code: "InvalidPropertyValue" });
    await assert.rejects(client.job.add({ id: "prio", priority: 1001, poolInfo: { poolId: "p" } }), { statusCode: 400, code: "OutOfRangePriority" });
    await assert.rejects(client.job.add({ id: "par", maxParallelTasks: 0, poolInfo: { poolId: "p" } }), { statusCode: 400, code: "InvalidPropertyValue" });
    await assert.rejects(
      client.job.add({ id: "auto", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job", pool: { vmSize: "x" } } } }),
      (error: { statusCode: number; code: string; body?: { values?: { key: string; value: string }[] } }) => {
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, "InvalidPropertyValue");
        assert.match(JSON.stringify(error.body), /existing pools/);
        return true;
      },
    );
    await assert.rejects(client.job.add({ id: "rel", poolInfo: { poolId: "p" }, jobReleaseTask: { commandLine: "true" } }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
    });
    await assert.rejects(
      client.job.add({
        id: "rel2",
        poolInfo: { poolId: "p" },
        jobPreparationTask: { commandLine: "true" },
        jobReleaseTask: { commandLine: "true", maxWallClockTime: "PT16M" },
      }),
      { statusCode: 400, code: "InvalidPropertyValue" },
    );
    await assert.rejects(client.job.add({ id: "retry", poolInfo: { poolId: "p" }, constraints: { maxTaskRetryCount: -2 } }), {
      statusCode: 400,
      code: "InvalidConstraintValue",
    });
    for (const id of ["bad id", "prio", "par", "auto", "rel", "rel2", "retry"]) await assert.rejects(client.job.get(id), { statusCode: 404 });
  });

  it("fills job preparation, release and manager defaults", async () => {
    await client.job.add({
      id: "j-special",
      poolInfo: { poolId: "p" },
      jobManagerTask: { id: "jm", commandLine: "true" },
      jobPreparationTask: { commandLine: "true" },
      jobReleaseTask: { commandLine: "true" },
    });
    const job = await client.job.get("j-special");
    assert.equal(job.jobPreparationTask?.id, "jobpreparation");
    assert.equal(job.jobPreparationTask?.waitForSuccess, true);
    assert.equal(job.jobPreparationTask?.rerunOnNodeRebootAfterSuccess, true);
    assert.equal(job.jobReleaseTask?.id, "jobrelease");
    assert.equal(job.jobManagerTask?.killJobOnCompletion, true);
    assert.equal(job.jobManagerTask?.runExclusive, true);
    assert.equal(job.jobManagerTask?.allowLowPriorityNode, true);
    const manager = await client.task.get("j-special", "jm");
    assert.equal(manager.commandLine, "true");
    assert.equal(manager.state, "active");
  });

  it("patches only the given properties and refuses to turn off terminatejob", async () => {
    await client.job.add({ id: "j-patch", poolInfo: { poolId: "p" }, priority: 5, constraints: { maxTaskRetryCount: 2 } });
    // a task that cannot run (no such pool) keeps the job from completing once it terminates when all tasks complete
    await client.task.add("j-patch", { id: "waiting", commandLine: "true" });
    await client.job.patch("j-patch", { priority: 100, metadata: [{ name: "k", value: "v" }], onAllTasksComplete: "terminatejob" });
    const job = await client.job.get("j-patch");
    assert.equal(job.priority, 100);
    assert.equal(job.constraints?.maxTaskRetryCount, 2);
    assert.deepEqual(job.metadata, [{ name: "k", value: "v" }]);
    await assert.rejects(client.job.patch("j-patch", { onAllTasksComplete: "noaction" }), { statusCode: 400, code: "InvalidPropertyValue" });
    await assert.rejects(client.job.patch("j-patch", { priority: -1001 }), { statusCode: 400, code: "OutOfRangePriority" });
  });

  it("update (PUT) replaces: absent properties go back to defaults; the pool changes only while disabled", async () => {
    await client.job.add({
      id: "j-put",
      poolInfo: { poolId: "p" },
      priority: 7,
      maxParallelTasks: 3,
      constraints: { maxTaskRetryCount: 4 },
      metadata: [{ name: "x", value: "y" }],
    });
    await client.job.update("j-put", { poolInfo: { poolId: "p" }, priority: 9 });
    const job = await client.job.get("j-put");
    assert.equal(job.priority, 9);
    assert.equal(job.maxParallelTasks, -1);
    assert.equal(job.constraints?.maxTaskRetryCount, 0);
    assert.equal(job.metadata, undefined);
    await assert.rejects(client.job.update("j-put", { poolInfo: { poolId: "other" } }), { statusCode: 409 });
    await client.job.disable("j-put", "requeue");
    await client.job.update("j-put", { poolInfo: { poolId: "other" } });
    assert.equal((await client.job.get("j-put")).poolInfo?.poolId, "other");
  });

  it("honours If-Match with 412 ConditionNotMet on a stale ETag", async () => {
    const job = await client.job.get("j-basic");
    await client.job.patch("j-basic", { priority: 1 });
    await assert.rejects(client.job.patch("j-basic", { priority: 2 }, { jobPatchOptions: { ifMatch: job.eTag } }), {
      statusCode: 412,
      code: "ConditionNotMet",
    });
    const fresh = await client.job.get("j-basic");
    await client.job.patch("j-basic", { priority: 2 }, { jobPatchOptions: { ifMatch: fresh.eTag } });
  });

  it("lists with $filter, $select, $expand=stats and maxresults paging", async () => {
    for (let i = 0; i < 5; i++) await client.job.add({ id: `page-${i}`, poolInfo: { poolId: "p" }, priority: i });
    const first = await client.job.list({ jobListOptions: { filter: "startswith(id,'page-')", select: "id,priority", maxResults: 2 } });
    assert.equal(first.length, 2);
    // (the SDK fills in maxParallelTasks' default -1 itself, so check that the unselected properties are absent)
    assert.equal(first[0].priority, 0);
    assert.equal(first[0].state, undefined);
    assert.equal(first[0].creationTime, undefined);
    assert.equal(first[0].poolInfo, undefined);
    const ids = first.map((job) => job.id);
    let link = first.odatanextLink;
    while (link) {
      const page = await client.job.listNext(link);
      ids.push(...page.map((job) => job.id));
      link = page.odatanextLink;
    }
    assert.deepEqual(ids, ["page-0", "page-1", "page-2", "page-3", "page-4"]);
    const high = await client.job.list({ jobListOptions: { filter: "startswith(id,'page-') and priority ge 3" } });
    assert.deepEqual(
      high.map((job) => job.id),
      ["page-3", "page-4"],
    );
    const withStats = await client.job.get("page-0", { jobGetOptions: { expand: "stats" } });
    assert.equal(withStats.stats?.numSucceededTasks, 0);
    assert.equal(withStats.stats?.url, `${service.info.batchUrl}/jobs/page-0/stats`);
    const listed = await client.job.list({ jobListOptions: { filter: "id eq 'page-1'", expand: "stats" } });
    assert.equal(listed[0].stats?.numFailedTasks, 0);
  });

  it("counts tasks and slots of a job", async () => {
    await client.job.add({ id: "j-counts", poolInfo: { poolId: "p" } });
    await client.task.add("j-counts", { id: "a", commandLine: "true", requiredSlots: 2 });
    await client.task.add("j-counts", { id: "b", commandLine: "true" });
    const counts = await client.job.getTaskCounts("j-counts");
    assert.deepEqual({ ...counts.taskCounts }, { active: 2, running: 0, completed: 0, succeeded: 0, failed: 0 });
    assert.deepEqual({ ...counts.taskSlotCounts }, { active: 3, running: 0, completed: 0, succeeded: 0, failed: 0 });
  });

  it("answers JobPreparationTaskOrReleaseTaskNotSpecified for a job without them", async () => {
    await assert.rejects(client.job.listPreparationAndReleaseTaskStatus("j-basic"), { statusCode: 409, code: "JobPreparationTaskOrReleaseTaskNotSpecified" });
  });

  it("deletes a job and its tasks; a second delete while deleting is a conflict or gone", async () => {
    await client.job.add({ id: "j-del", poolInfo: { poolId: "p" } });
    await client.task.add("j-del", { id: "t", commandLine: "true" });
    await client.job.deleteMethod("j-del");
    await waitForJobGone(client, "j-del");
    await assert.rejects(client.task.get("j-del", "t"), { statusCode: 404, code: "JobNotFound" });
  });

  it("refuses unknown body properties (raw request)", async () => {
    const reply = await rawRequest(client, "POST", "/jobs", { id: "raw", poolInfo: { poolId: "p" }, bogus: 1 });
    assert.equal(reply.status, 400);
    assert.equal((reply.body as { code: string }).code, "InvalidRequestBody");
  });
});
