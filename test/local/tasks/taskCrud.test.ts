// Why: task add/addCollection/get/list/update/delete/subtasks and their errors through the real client, responses spec-checked.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { rawRequest } from "../jobs/helpers";

describe("tasks: add, get, list, update, delete", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
    // no such pool: tasks stay active, so their stored form can be inspected at leisure
    await client.job.add({ id: "crud", poolInfo: { poolId: "nowhere" }, constraints: { maxTaskRetryCount: 3 } });
    await client.job.add({ id: "deps", poolInfo: { poolId: "nowhere" }, usesTaskDependencies: true, onTaskFailure: "performexitoptionsjobaction" });
  });
  after(() => service.stop());

  it("adds a task and returns it with the service's defaults", async () => {
    await client.task.add("crud", { id: "t1", commandLine: "/bin/true", displayName: "first", environmentSettings: [{ name: "A", value: "1" }] });
    const task = await client.task.get("crud", "t1");
    assert.equal(task.id, "t1");
    assert.equal(task.url, `${service.info.batchUrl}/jobs/crud/tasks/t1`);
    assert.equal(task.state, "active");
    assert.equal(task.commandLine, "/bin/true");
    assert.equal(task.displayName, "first");
    assert.equal(task.requiredSlots, 1);
    assert.equal(task.constraints?.maxTaskRetryCount, 3, "inherited from the job");
    assert.equal(task.constraints?.retentionTime, "P7D");
    assert.ok(task.constraints?.maxWallClockTime);
    assert.equal(task.executionInfo?.retryCount, 0);
    assert.equal(task.executionInfo?.requeueCount, 0);
    assert.ok(task.eTag && task.creationTime instanceof Date && task.stateTransitionTime instanceof Date);
    assert.deepEqual(task.environmentSettings, [{ name: "A", value: "1" }]);
  });

  it("uses 0 retries when the task gives constraints without maxTaskRetryCount", async () => {
    await client.task.add("crud", { id: "t2", commandLine: "/bin/true", constraints: { maxWallClockTime: "PT1H" } });
    const task = await client.task.get("crud", "t2");
    assert.equal(task.constraints?.maxTaskRetryCount, 0);
  });

  it("answers TaskExists, TaskNotFound and JobNotFound", async () => {
    await assert.rejects(client.task.add("crud", { id: "T1", commandLine: "x" }), { statusCode: 409, code: "TaskExists" });
    await assert.rejects(client.task.get("crud", "missing"), { statusCode: 404, code: "TaskNotFound" });
    await assert.rejects(client.task.add("nojob", { id: "x", commandLine: "x" }), { statusCode: 404, code: "JobNotFound" });
  });

  it("validates dependencies, exit conditions, resource files and constraints", async () => {
    await assert.rejects(client.task.add("crud", { id: "d", commandLine: "x", dependsOn: { taskIds: ["t1"] } }), {
      statusCode: 409,
      code: "TaskDependenciesNotSpecifiedOnJob",
    });
    await assert.rejects(
      client.task.add("crud", { id: "ja", commandLine: "x", exitConditions: { default: { jobAction: "terminate" } } }),
      (error: { statusCode: number; code: string; body?: unknown }) => {
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, "InvalidPropertyValue");
        assert.match(JSON.stringify(error.body), /exitConditions\.default\.jobAction/);
        return true;
      },
    );
    await assert.rejects(
      client.task.add("crud", { id: "da", commandLine: "x", exitConditions: { exitCodes: [{ code: 1, exitOptions: { dependencyAction: "satisfy" } }] } }),
      {
        statusCode: 400,
        code: "InvalidPropertyValue",
      },
    );
    await assert.rejects(client.task.add("crud", { id: "rf", commandLine: "x", resourceFiles: [{ filePath: "a.txt" }] }), { statusCode: 400 });
    await assert.rejects(
      client.task.add("crud", { id: "rf2", commandLine: "x", resourceFiles: [{ httpUrl: "https://example.com/a", filePath: "../escape" }] }),
      {
        statusCode: 400,
        code: "InvalidPropertyValue",
      },
    );
    await assert.rejects(client.task.add("crud", { id: "c", commandLine: "x", constraints: { maxTaskRetryCount: -5 } }), {
      statusCode: 400,
      code: "InvalidConstraintValue",
    });
    await assert.rejects(
      client.task.add("crud", { id: "mi", commandLine: "x", multiInstanceSettings: { numberOfInstances: 2, coordinationCommandLine: "x" } }),
      { statusCode: 400 },
    );
    await client.task.add("deps", {
      id: "ok",
      commandLine: "x",
      dependsOn: { taskIds: ["a"], taskIdRanges: [{ start: 1, end: 3 }] },
      exitConditions: { default: { jobAction: "none", dependencyAction: "satisfy" } },
    });
    const task = await client.task.get("deps", "ok");
    assert.deepEqual(task.dependsOn?.taskIdRanges, [{ start: 1, end: 3 }]);
    assert.equal(task.exitConditions?.default?.dependencyAction, "satisfy");
    await assert.rejects(client.task.add("deps", { id: "bad-range", commandLine: "x", dependsOn: { taskIdRanges: [{ start: 5, end: 1 }] } }), {
      statusCode: 400,
    });
  });

  it("lists with $filter, $select and maxresults paging", async () => {
    await client.job.add({ id: "many", poolInfo: { poolId: "nowhere" } });
    for (let i = 0; i < 5; i++) await client.task.add("many", { id: `task-${i}`, commandLine: "/bin/true", requiredSlots: i + 1 });
    const first = await client.task.list("many", { taskListOptions: { select: "id,requiredSlots", maxResults: 2 } });
    assert.equal(first.length, 2);
    assert.equal(first[0].commandLine, undefined);
    const ids = first.map((task) => task.id);
    let link = first.odatanextLink;
    while (link) {
      const page = await client.task.listNext(link);
      ids.push(...page.map((task) => task.id));
      link = page.odatanextLink;
    }
    assert.deepEqual(ids, ["task-0", "task-1", "task-2", "task-3", "task-4"]);
    const filtered = await client.task.list("many", { taskListOptions: { filter: "requiredSlots gt 3 and state eq 'active'" } });
    assert.deepEqual(
      filtered.map((task) => task.id),
      ["task-3", "task-4"],
    );
    const withStats = await client.task.get("many", "task-0", { taskGetOptions: { expand: "stats" } });
    assert.ok(withStats.stats?.url.endsWith("/jobs/many/tasks/task-0/stats"));
  });

  it("updates constraints (absent → defaults) and honours If-Match", async () => {
    await client.task.update("crud", "t1", { constraints: { maxTaskRetryCount: 7, maxWallClockTime: "PT2H" } });
    let task = await client.task.get("crud", "t1");
    assert.equal(task.constraints?.maxTaskRetryCount, 7);
    assert.equal(task.constraints?.maxWallClockTime, "PT2H");
    await client.task.update("crud", "t1", {});
    task = await client.task.get("crud", "t1");
    assert.equal(task.constraints?.maxTaskRetryCount, 3);
    await client.task.update("crud", "t1", { constraints: { maxTaskRetryCount: 1 } });
    await assert.rejects(client.task.update("crud", "t1", { constraints: { maxTaskRetryCount: 2 }, taskUpdateOptions: { ifMatch: task.eTag } }), {
      statusCode: 412,
      code: "ConditionNotMet",
    });
  });

  it("lists no subtasks for a single-instance task", async () => {
    const subtasks = await client.task.listSubtasks("crud", "t1");
    assert.deepEqual(subtasks.value ?? [], []);
    await assert.rejects(client.task.listSubtasks("crud", "missing"), { statusCode: 404, code: "TaskNotFound" });
  });

  it("deletes a task", async () => {
    await client.task.add("crud", { id: "gone", commandLine: "x" });
    await client.task.deleteMethod("crud", "gone");
    await assert.rejects(client.task.get("crud", "gone"), { statusCode: 404, code: "TaskNotFound" });
    await assert.rejects(client.task.deleteMethod("crud", "gone"), { statusCode: 404, code: "TaskNotFound" });
  });

  it("adds a collection of 100 tasks, reporting TaskExists per task without failing the others", async () => {
    await client.job.add({ id: "coll", poolInfo: { poolId: "nowhere" } });
    await client.task.add("coll", { id: "c-5", commandLine: "x" });
    const tasks = Array.from({ length: 100 }, (_, i) => ({ id: `c-${i}`, commandLine: "/bin/true" }));
    const result = await client.task.addCollection("coll", tasks);
    assert.equal(result.value?.length, 100);
    const failed = result.value!.filter((entry) => entry.status !== "success");
    assert.equal(failed.length, 1);
    assert.equal(failed[0].taskId, "c-5");
    assert.equal(failed[0].status, "clienterror");
    assert.equal(failed[0].error?.code, "TaskExists");
    const ok = result.value!.find((entry) => entry.taskId === "c-0")!;
    assert.ok(ok.eTag && ok.lastModified instanceof Date);
    assert.equal(ok.location, `${service.info.batchUrl}/jobs/coll/tasks/c-0`);
    const counts = await client.job.getTaskCounts("coll");
    assert.equal(counts.taskCounts.active, 100);
  });

  it("reports a per-task validation error inside a collection", async () => {
    const result = await client.task.addCollection("coll", [
      { id: "v-ok", commandLine: "x" },
      { id: "bad id", commandLine: "x" },
    ]);
    const byId = new Map(result.value!.map((entry) => [entry.taskId, entry]));
    assert.equal(byId.get("v-ok")?.status, "success");
    assert.equal(byId.get("bad id")?.status, "clienterror");
    assert.equal(byId.get("bad id")?.error?.code, "InvalidPropertyValue");
  });

  it("refuses more than 100 tasks in one collection (the SDK refuses to send them, so raw)", async () => {
    const value = Array.from({ length: 101 }, (_, i) => ({ id: `x-${i}`, commandLine: "/bin/true" }));
    const reply = await rawRequest(client, "POST", "/jobs/coll/addtaskcollection", { value });
    assert.equal(reply.status, 400);
    assert.match(JSON.stringify(reply.body), /100/);
    await assert.rejects(client.task.get("coll", "x-0"), { statusCode: 404, code: "TaskNotFound" });
  });

  it("refuses a collection above 1 MB with RequestBodyTooLarge", async () => {
    const padding = "x".repeat(12_000);
    const tasks = Array.from({ length: 100 }, (_, i) => ({ id: `big-${i}`, commandLine: `/bin/echo ${padding}` }));
    await assert.rejects(client.task.addCollection("coll", tasks), { statusCode: 413, code: "RequestBodyTooLarge" });
    await assert.rejects(client.task.get("coll", "big-0"), { statusCode: 404, code: "TaskNotFound" });
  });
});
