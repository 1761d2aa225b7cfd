// Why: the job manager's task submission: addCollection chunks of 100, several in flight, per-task retries of servererror results (request retries are the SDK's), dependencies — against the real local service and a scripted stub.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { BatchClientFactory, BatchClientSettings, getLogger, JobManager, StorageAccess, submitTasks, WorkloadTask, type TaskContext } from "../../src/runtime";
import { EntryPointsRepository } from "../../src/runtime/workload/entryPointsRepository";
import { chunk } from "../../src/runtime/submission/taskSubmitter";
import { MAX_TASK_IDS_CHARACTERS, toTaskDependencies } from "../../src/runtime/submission/taskDependencies";
import { listAllTasks } from "../../src/runtime/batch/listTasks";
import { startLocalService, type LocalServiceHandle } from "../support/localService";
import { localWorkloadSettings } from "./support/localWorkloadEnvironment";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

const vm = LOCAL_POOL_VM_CONFIGURATION;
const quiet = getLogger("test.submission");

type Outcome = "success" | "servererror" | "TaskExists" | "clienterror";

/** A client whose addtaskcollection answers are scripted per call; records every request's task ids. */
function scriptedClient(script: (ids: string[], call: number) => Outcome[] | { status: number; code: string }): {
  client: BatchServiceClient;
  calls: string[][];
} {
  const calls: string[][] = [];
  const client = {
    batchUrl: "http://stub",
    apiVersion: "2022-10-01.16.0",
    sendRequest: async (request: { body: { value: { id: string }[] } }) => {
      const ids = request.body.value.map((task) => task.id);
      calls.push(ids);
      const answer = script(ids, calls.length);
      if (!Array.isArray(answer))
        return { status: answer.status, bodyAsText: JSON.stringify({ code: answer.code, message: { lang: "en-US", value: answer.code } }) };
      const value = ids.map((taskId, index) => {
        const outcome = answer[index]!;
        if (outcome === "success") return { status: "success", taskId };
        const code = outcome === "servererror" ? "ServerBusy" : outcome === "TaskExists" ? "TaskExists" : "InvalidPropertyValue";
        return { status: outcome === "servererror" ? "servererror" : "clienterror", taskId, error: { code, message: { value: code } } };
      });
      return { status: 200, bodyAsText: JSON.stringify({ value }) };
    },
  };
  return { client: client as unknown as BatchServiceClient, calls };
}

const tasks = (count: number, from = 1): BatchServiceModels.TaskAddParameter[] =>
  Array.from({ length: count }, (_, i) => ({ id: String(from + i), commandLine: "/bin/true" }));
const fast = { retryDelayMs: 1, logger: quiet };

describe("task dependencies", () => {
  it("fold runs of three or more numeric ids into ranges, keep the rest as ids", () => {
    assert.deepEqual(toTaskDependencies(["1", "2", "3", "4", "7", "9", "10", "gather", "07"]), {
      taskIds: ["gather", "07", "7", "9", "10"],
      taskIdRanges: [{ start: 1, end: 4 }],
    });
    assert.equal(toTaskDependencies([]), undefined);
    const tenThousand = toTaskDependencies(Array.from({ length: 10_000 }, (_, i) => String(i + 1)));
    assert.deepEqual(tenThousand, { taskIdRanges: [{ start: 1, end: 10_000 }] });
  });

  it("refuse non-numeric id lists Batch would reject as too long", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `transform-task-${i}`);
    assert.ok(ids.join("").length > MAX_TASK_IDS_CHARACTERS);
    assert.throws(() => toTaskDependencies(ids), /TaskDependencyListTooLong|Batch allows 64000/);
  });

  it("chunk splits in order", () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  });
});

describe("submitTasks against a scripted service", () => {
  it("sends chunks of at most 100 and several at once", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { client, calls } = scriptedClient((ids) => ids.map(() => "success"));
    const slow = {
      ...client,
      sendRequest: async (request: never) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return (client as unknown as { sendRequest: (r: never) => Promise<unknown> }).sendRequest(request);
      },
    } as unknown as BatchServiceClient;
    const result = await submitTasks(slow, "job", tasks(1050), { ...fast, concurrency: 4 });
    assert.equal(result.added.length, 1050);
    assert.deepEqual(
      calls.map((ids) => ids.length).sort((a, b) => a - b),
      [50, ...Array(10).fill(100)],
    );
    assert.equal(maxInFlight, 4);
  });

  it("retries only the tasks reported as servererror, counts TaskExists as submitted, fails client errors", async () => {
    const { client, calls } = scriptedClient((ids, call) =>
      ids.map((id) => (id === "2" && call === 1 ? "servererror" : id === "3" ? "TaskExists" : id === "4" ? "clienterror" : "success")),
    );
    const result = await submitTasks(client, "job", tasks(5), fast);
    assert.deepEqual(calls, [["1", "2", "3", "4", "5"], ["2"]]);
    assert.deepEqual(result.added.sort(), ["1", "2", "5"]);
    assert.deepEqual(result.alreadyExisted, ["3"]);
    assert.deepEqual(result.failed, [{ taskId: "4", code: "InvalidPropertyValue", message: "InvalidPropertyValue" }]);
  });

  it("gives up on a task that stays servererror after maxAttempts", async () => {
    const { client, calls } = scriptedClient((ids) => ids.map(() => "servererror"));
    const result = await submitTasks(client, "job", tasks(2), { ...fast, maxAttempts: 3 });
    assert.equal(calls.length, 3);
    assert.deepEqual(
      result.failed.map((f) => [f.taskId, f.code]),
      [
        ["1", "ServerBusy"],
        ["2", "ServerBusy"],
      ],
    );
  });

  it("leaves failed requests to the client's pipeline: a 503 it gave up on fails the chunk; halves a chunk after 413; fails it on 403", async () => {
    const unavailable = scriptedClient((ids, call) => (call === 1 ? { status: 503, code: "ServerBusy" } : ids.map(() => "success")));
    const gaveUp = await submitTasks(unavailable.client, "job", tasks(3), fast);
    assert.deepEqual([unavailable.calls.length, gaveUp.failed.map((f) => f.code)], [1, ["ServerBusy", "ServerBusy", "ServerBusy"]]);

    const halved = scriptedClient((ids) => (ids.length > 25 ? { status: 413, code: "RequestBodyTooLarge" } : ids.map(() => "success")));
    assert.equal((await submitTasks(halved.client, "job", tasks(100), fast)).added.length, 100);
    assert.deepEqual(
      halved.calls.map((ids) => ids.length),
      [100, 50, 25, 25, 50, 25, 25],
    );

    const forbidden = scriptedClient(() => ({ status: 403, code: "AuthenticationFailed" }));
    const result = await submitTasks(forbidden.client, "job", tasks(2), fast);
    assert.deepEqual([forbidden.calls.length, result.failed.map((f) => f.code)], [1, ["AuthenticationFailed", "AuthenticationFailed"]]);
  });

  it("the one request-retry layer is the SDK's: a throttled addCollection is resent by the client's pipeline, once per submitter request", async () => {
    const answers: number[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (part: Buffer) => (body += part.toString()));
      req.on("end", () => {
        if (answers.length === 0) {
          answers.push(429);
          res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
          res.end(JSON.stringify({ code: "TooManyRequests", message: { lang: "en-US", value: "slow down" } }));
          return;
        }
        answers.push(200);
        const value = (JSON.parse(body) as { value: { id: string }[] }).value.map((task) => ({ status: "success", taskId: task.id }));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ value }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const sdkClient = await BatchClientFactory.create(BatchClientSettings.fromEnvironment({ BATCH_ACCOUNT_URL: url, BATCH_AUTH_MODE: "local" }));
      const result = await submitTasks(sdkClient, "job", tasks(3), fast);
      assert.deepEqual([result.added.length, result.requests, answers], [3, 1, [429, 200]]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("sends a chunk only after the chunks holding its tasks' parents were answered", async () => {
    const order: string[] = [];
    let independentChunkSent = (): void => undefined;
    const independentChunk = new Promise<void>((resolve) => (independentChunkSent = resolve));
    const { client } = scriptedClient((ids) => ids.map(() => "success"));
    const recording = {
      ...client,
      sendRequest: async (request: { body: { value: { id: string }[] } }) => {
        const first = request.body.value[0]!.id;
        order.push(`start ${first}`);
        if (first === "101") independentChunkSent();
        // the first chunk is answered once the independent second one is on its way (bounded: a submitter that waits fails below)
        if (first === "1") await Promise.race([independentChunk, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        order.push(`end ${first}`);
        return (client as unknown as { sendRequest: (r: unknown) => Promise<unknown> }).sendRequest(request);
      },
    } as unknown as BatchServiceClient;
    const list = tasks(300);
    list[250] = { ...list[250]!, dependsOn: { taskIds: ["5"] } };
    await submitTasks(recording, "job", list, { ...fast, concurrency: 3 });
    assert.ok(order.indexOf("end 1") < order.indexOf("start 201"), order.join(", "));
    assert.ok(order.indexOf("start 101") < order.indexOf("end 1"), "independent chunks do not wait");
  });
});

class NoopTask extends WorkloadTask<{ n: number }> {
  override run(_context: TaskContext<{ n: number }>): void {}
}
class UnregisteredTask extends WorkloadTask<null> {
  override run(): void {}
}

describe("JobManager submission against the local service", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let settings: BatchClientSettings;
  let storage: StorageAccess;
  const entryPoints = new EntryPointsRepository().registerEntryPoint(NoopTask);

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    settings = BatchClientSettings.load({
      env: localWorkloadSettings(service.info, { BATCH_POOL_ID: "idle", BATCH_APPLICATION_ID: "app", BATCH_APPLICATION_VERSION: "1.0" }),
      purpose: "submit",
    });
    client = await BatchClientFactory.create(settings);
    storage = new StorageAccess(settings);
    await client.pool.add({ id: "idle", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
  });
  after(() => service.stop());

  const jobManagerFor = (jobId: string, plan: (jm: JobManager<null>) => void) =>
    new (class extends JobManager<null> {
      override async createJob(): Promise<void> {
        plan(this);
      }
    })({ jobId, args: null, client, settings, storage, logger: quiet, entryPoints });

  it("adds 250 tasks with dependencies in 3 addCollection requests; the Batch tasks carry args, files, dependencies and exit behaviour", async () => {
    await client.job.add({ id: "jm-250", poolInfo: { poolId: "idle" }, usesTaskDependencies: true });
    const jobManager = jobManagerFor("jm-250", (jm) => {
      const first = jm.addWorkloadTask(NoopTask, { n: 0 });
      const middle = [];
      for (let n = 1; n < 249; n++) middle.push(jm.addWorkloadTask(NoopTask, { n }, [first]));
      const last = jm.addWorkloadTask(NoopTask, { n: 249 }, middle, {
        id: "gather",
        displayName: "gather all",
        maxTaskRetryCount: 2,
        maxWallClockTimeSeconds: 600,
        after: "completion",
      });
      last.addInputFile({ storageAccountName: "devstoreaccount1", containerName: "in", sourceBlobPath: "a.txt", targetFilePath: "a.txt" });
      last.addOutputFile({
        sourceFilePath: "report.json",
        storageAccountName: "devstoreaccount1",
        containerName: "results",
        targetBlobPath: "jm-250/report.json",
      });
    });
    await jobManager.createJob();
    const result = await jobManager.submitPendingTasks();
    assert.deepEqual([result.added.length, result.failed.length, result.requests], [250, 0, 3]);

    const listed = await listAllTasks(client, "jm-250");
    assert.equal(listed.length, 250);
    const gather = await client.task.get("jm-250", "gather");
    assert.equal(gather.displayName, "gather all");
    assert.equal(gather.commandLine, `/bin/sh -c "exec ${process.execPath} --enable-source-maps $AZ_BATCH_APP_PACKAGE_app_1_0/main.js task"`);
    assert.deepEqual(gather.environmentSettings, [
      { name: "BATCH_TASK_ENTRY_POINT", value: "NoopTask" },
      { name: "BATCH_TASK_ARGS", value: '{"n":249}' },
      { name: "BATCH_TASK_RUN_AFTER", value: "completion" },
    ]);
    assert.ok(
      !(await client.task.get("jm-250", "2")).environmentSettings?.some((setting) => setting.name === "BATCH_TASK_RUN_AFTER"),
      "after: success (the default) is not written",
    );
    assert.deepEqual(gather.dependsOn?.taskIdRanges, [{ start: 2, end: 249 }]);
    assert.equal(gather.exitConditions?.default?.dependencyAction, "satisfy");
    assert.deepEqual(gather.applicationPackageReferences, [{ applicationId: "app", version: "1.0" }]);
    assert.equal(gather.constraints?.maxTaskRetryCount, 2);
    assert.match(gather.constraints?.maxWallClockTime ?? "", /^PT(600S|10M)$/);
    assert.equal(gather.resourceFiles?.[0]?.filePath, "a.txt");
    const outputs = gather.outputFiles!.map((file) => [file.filePattern, file.destination.container?.path, file.uploadOptions.uploadCondition]);
    assert.deepEqual(outputs, [
      ["report.json", "jm-250/report.json", "tasksuccess"],
      ["error.json", "jm-250/gather/error.json", "taskfailure"],
      ["../std*.txt", "jm-250/gather", "taskcompletion"],
    ]);
    assert.deepEqual((await client.task.get("jm-250", "2")).dependsOn?.taskIds, ["1"]);
    assert.ok(await azuriteContainerExists("results"), "the job manager created the output container");
  });

  async function azuriteContainerExists(name: string): Promise<boolean> {
    return storage.containerClient("devstoreaccount1", name).exists();
  }

  it("a restarted job manager re-adding its tasks finds them existing, not failed", async () => {
    await client.job.add({ id: "jm-again", poolInfo: { poolId: "idle" }, usesTaskDependencies: true });
    const plan = (jm: JobManager<null>) => {
      for (let n = 0; n < 120; n++) jm.addWorkloadTask(NoopTask, { n });
    };
    const first = jobManagerFor("jm-again", plan);
    await first.createJob();
    assert.equal((await first.submitPendingTasks()).added.length, 120);
    const second = jobManagerFor("jm-again", plan);
    await second.createJob();
    const again = await second.submitPendingTasks();
    assert.deepEqual([again.added.length, again.alreadyExisted.length, again.failed.length], [0, 120, 0]);
  });

  it("reports tasks the service refuses (client errors) without retrying them", async () => {
    await client.job.add({ id: "jm-refused", poolInfo: { poolId: "idle" }, usesTaskDependencies: true });
    const result = await submitTasks(
      client,
      "jm-refused",
      [
        { id: "ok", commandLine: "/bin/true" },
        { id: "bad id!", commandLine: "/bin/true" },
      ],
      fast,
    );
    assert.deepEqual(result.added, ["ok"]);
    assert.deepEqual(
      result.failed.map((f) => [f.taskId, f.code]),
      [["bad id!", "InvalidPropertyValue"]],
    );
    assert.equal(result.requests, 1);
  });

  it("addWorkloadTask checks registration, ids and dependency order before anything is sent", () => {
    const jm = jobManagerFor("unused", () => undefined);
    assert.throws(() => jm.addWorkloadTask(UnregisteredTask, null), /No workload task is registered as "UnregisteredTask"/);
    assert.throws(() => jm.addWorkloadTask(NoopTask, { n: 1 }, [], { id: "finalize" }), /reserved/);
    assert.throws(() => jm.addWorkloadTask(NoopTask, { n: 1 }, [], { id: "Finalize-Guard" }), /reserved/);
    assert.throws(
      () => jm.addWorkloadTask(NoopTask, { n: 1 }, [], { after: "always" as "completion" }),
      /options\.after must be "success" or "completion" \(got "always"\)/,
    );
    assert.throws(() => jm.addWorkloadTask(NoopTask, { n: 1 }, ["later"]), /depends on "later", which was not added before it/);
    jm.addWorkloadTask(NoopTask, { n: 1 }, [], { id: "2" });
    assert.equal(jm.addWorkloadTask(NoopTask, { n: 2 }).id, "1");
    assert.equal(jm.addWorkloadTask(NoopTask, { n: 3 }).id, "3", "numbering skips ids already used");
    assert.throws(() => jm.addWorkloadTask(NoopTask, { n: 4 }, [], { id: "bad id" }), /invalid task id/);
  });
});
