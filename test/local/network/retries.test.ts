// Why: issue 11 part 6: retries after a lost response or a 5xx never duplicate a task; a body cut short leaves nothing behind.
import assert from "node:assert/strict";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { exponentialRetryPolicy, RestError, systemErrorRetryPolicy } from "@azure/ms-rest-js";
import { after, before, describe, it } from "node:test";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { startFaultyProxy, type Fault, type FaultyProxy } from "./faultyProxy";

let service: LocalServiceHandle;

/** A real SDK client through the proxy, retrying 5xx answers and dropped connections itself (short intervals for the test). */
function clientThrough(proxy: FaultyProxy): BatchServiceClient {
  const credentials = new BatchSharedKeyCredentials(service.info.accountName, service.info.accountKey);
  return new BatchServiceClient(credentials, proxy.url, {
    noRetryPolicy: true,
    requestPolicyFactories: (defaults) => [exponentialRetryPolicy(3, 100, 50, 500), systemErrorRetryPolicy(3, 100, 50, 500), ...defaults],
  });
}

async function withProxy<T>(fault: Fault, use: (client: BatchServiceClient, proxy: FaultyProxy) => Promise<T>): Promise<T> {
  const proxy = await startFaultyProxy(service.info.batchUrl, fault);
  try {
    return await use(clientThrough(proxy), proxy);
  } finally {
    await proxy.close();
  }
}

const taskIdsOf = async (jobId: string) => (await service.client().task.list(jobId)).map((task) => task.id!);
const tasks = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, commandLine: "/bin/true" }));

describe("network faults between a client and the service", () => {
  before(async () => {
    service = await startLocalService({ nodes: 1 });
    // no pool: the tasks stay active, so the test sees exactly what was added
    await service.client().job.add({ id: "net", poolInfo: { poolId: "no-such-pool" } });
  });
  after(() => service.stop());

  it("a task add whose response was lost, retried by the SDK, creates one task and answers TaskExists", async () => {
    await withProxy({ kind: "dropResponse", match: /^POST \/jobs\/net\/tasks\?/, times: 1 }, async (client, proxy) => {
      const error = await client.task.add("net", { id: "lost-answer", commandLine: "/bin/true" }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.equal(proxy.failed.length, 1, "the first attempt's answer was dropped");
      // the first attempt added it; the retry is told so, as the real service answers a duplicate id
      assert.ok(error instanceof RestError, `a TaskExists error, got ${String(error)}`);
      assert.deepEqual([error.statusCode, error.code], [409, "TaskExists"]);
    });
    assert.deepEqual(
      (await taskIdsOf("net")).filter((id) => id === "lost-answer"),
      ["lost-answer"],
    );
  });

  it("an addCollection answered by a gateway 503 and retried by the SDK creates each task once", async () => {
    const reply = await withProxy({ kind: "gateway503", match: /^POST \/jobs\/net\/addtaskcollection\?/, times: 1 }, async (client, proxy) => {
      const result = await client.task.addCollection("net", tasks("c", 100));
      assert.equal(proxy.failed.length, 1);
      return result;
    });
    // the first attempt added them all; the SDK's retry is told so per task (TaskExists, which SDK result handlers count as success)
    assert.deepEqual(new Set(reply.value!.map((result) => result.error?.code)), new Set(["TaskExists"]));
    const ids = (await taskIdsOf("net")).filter((id) => id.startsWith("c"));
    assert.equal(ids.length, 100);
    assert.equal(new Set(ids).size, 100);
  });

  it("an addCollection whose body is cut off half-way adds nothing; sent again whole, it adds every task", async () => {
    const reply = await withProxy({ kind: "cutBody", match: /^POST \/jobs\/net\/addtaskcollection\?/, times: 1 }, async (client, proxy) => {
      const result = await client.task.addCollection("net", tasks("cut", 100));
      assert.equal(proxy.failed.length, 1, "the first attempt was cut off");
      return result;
    });
    assert.deepEqual(new Set(reply.value!.map((result) => result.status)), new Set(["success"]), "the retry added all of them: the cut request added none");
    assert.equal((await taskIdsOf("net")).filter((id) => id.startsWith("cut")).length, 100);
    const counts = await service.client().job.getTaskCounts("net");
    assert.equal(counts.taskCounts.active, 201);
  });
});
