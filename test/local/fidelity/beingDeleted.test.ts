// Why: a pool or job already being deleted refuses a second delete (and changes) with the service's 409s, through the real client.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { textOf } from "../files/fileHelpers";
import { poolWithIdleNodes, sh, vm, waitForTaskState } from "../jobs/helpers";

describe("delete of a pool or job that is being deleted", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
  });
  after(() => service.stop());

  it("answers 409 PoolBeingDeleted to a second delete, a patch, an update and a resize of a deleting pool", async () => {
    // the start task ignores SIGTERM, so the pool stays deleting for the node's kill grace (SIGKILL after 5 s)
    await client.pool.add({
      id: "p-del",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: vm,
      targetDedicatedNodes: 1,
      startTask: { commandLine: sh("trap '' TERM; echo ignoring; sleep 60"), waitForSuccess: true },
    });
    // running is reported once the process exists; only its stdout says the trap is set (a SIGTERM before it would end it)
    await waitFor(async () => {
      const [node] = await client.computeNode.list("p-del");
      if (node?.startTaskInfo?.state !== "running") return undefined;
      const stdout = await textOf(await client.file.getFromComputeNode("p-del", node.id!, "startup/stdout.txt"));
      return stdout.includes("ignoring") ? true : undefined;
    }, "the start task to ignore SIGTERM");
    await client.pool.deleteMethod("p-del");
    assert.equal((await client.pool.get("p-del")).state, "deleting");
    const beingDeleted = { statusCode: 409, code: "PoolBeingDeleted" };
    await assert.rejects(client.pool.deleteMethod("p-del"), beingDeleted);
    await assert.rejects(client.pool.patch("p-del", { metadata: [{ name: "a", value: "b" }] }), beingDeleted);
    await assert.rejects(client.pool.updateProperties("p-del", { certificateReferences: [], applicationPackageReferences: [], metadata: [] }), beingDeleted);
    await assert.rejects(client.pool.resize("p-del", { targetDedicatedNodes: 2 }), beingDeleted);
    await waitFor(async () => ((await client.pool.exists("p-del")).body ? undefined : true), "the pool to be gone", 20_000);
    await assert.rejects(client.pool.deleteMethod("p-del"), { statusCode: 404, code: "PoolNotFound" });
  });

  it("answers 409 JobBeingDeleted to a second delete and a patch of a deleting job", async () => {
    await poolWithIdleNodes(client, "p-jobs", 1);
    // the job stays deleting while its release task runs
    await client.job.add({
      id: "j-del",
      poolInfo: { poolId: "p-jobs" },
      jobPreparationTask: { commandLine: sh("true") },
      jobReleaseTask: { commandLine: sh("sleep 60") },
    });
    await client.task.add("j-del", { id: "t", commandLine: sh("true") });
    await waitForTaskState(client, "j-del", "t", "completed");
    await client.job.deleteMethod("j-del");
    await waitFor(async () => {
      const [status] = await client.job.listPreparationAndReleaseTaskStatus("j-del");
      return status?.jobReleaseTaskExecutionInfo?.state === "running" ? true : undefined;
    }, "the release task to run");
    assert.equal((await client.job.get("j-del")).state, "deleting");
    await assert.rejects(client.job.deleteMethod("j-del"), { statusCode: 409, code: "JobBeingDeleted" });
    await assert.rejects(client.job.patch("j-del", { priority: 5 }), { statusCode: 409, code: "JobBeingDeleted" });
  });
});
