// Why: `local start --allocation-delay/--node-start-delay` make pools observably resizing and nodes starting, so stopResize can be exercised through the real client.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { CLI, startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../../support/localService";
import { vm } from "../jobs/helpers";

describe("local start --allocation-delay and --node-start-delay", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 4, args: ["--allocation-delay", "PT1.5S", "--node-start-delay", "1500"] });
    client = service.client();
  });
  after(() => service.stop());

  it("keeps a new pool resizing without nodes, then steady with its nodes starting, before they are idle", async () => {
    await client.pool.add({ id: "p-slow", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
    const added = await client.pool.get("p-slow");
    assert.equal(added.allocationState, "resizing");
    assert.equal(added.currentDedicatedNodes, 0);
    assert.equal((await client.computeNode.list("p-slow")).length, 0, "no node before the allocation delay is over");
    const starting = await waitFor(async () => {
      const [node] = await client.computeNode.list("p-slow");
      return node;
    }, "the node to join");
    assert.equal(starting.state, "starting");
    // as on Azure, the pool is steady once its nodes are allocated, while they still start
    const steady = await client.pool.get("p-slow");
    assert.equal(steady.allocationState, "steady");
    assert.equal(steady.currentDedicatedNodes, 1);
    assert.equal(steady.resizeErrors, undefined);
    await waitFor(async () => ((await client.computeNode.get("p-slow", starting.id!)).state === "idle" ? true : undefined), "the node to be idle");
  });

  it("stops a resize during the allocation delay: steady, the node count where it was, ResizeStopped", async () => {
    await client.pool.resize("p-slow", { targetDedicatedNodes: 3 });
    assert.equal((await client.pool.get("p-slow")).allocationState, "resizing");
    await client.pool.stopResize("p-slow");
    const stopped = await waitFor(async () => {
      const pool = await client.pool.get("p-slow");
      return pool.allocationState === "steady" ? pool : undefined;
    }, "the pool to be steady after stopResize");
    assert.equal(stopped.currentDedicatedNodes, 1);
    assert.equal(stopped.targetDedicatedNodes, 1);
    assert.deepEqual(
      stopped.resizeErrors?.map((error) => error.code),
      ["ResizeStopped"],
    );
    assert.equal((await client.computeNode.list("p-slow")).length, 1);
    await assert.rejects(client.pool.stopResize("p-slow"), { statusCode: 409, code: "PoolNotResizing" });
  });

  it("refuses a delay that is neither milliseconds nor an ISO 8601 duration, or longer than an hour", () => {
    for (const value of ["soon", "PT2H", "-5"]) {
      const result = spawnSync(process.execPath, [CLI, "local", "start", "--data", tempDir("delay-option"), "--allocation-delay", value], { encoding: "utf8" });
      assert.notEqual(result.status, 0, value);
      assert.match(result.stderr, /--allocation-delay must be milliseconds/);
    }
  });
});
