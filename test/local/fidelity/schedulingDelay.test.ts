// Why: `local start --scheduling-delay/--deallocation-delay/--timing` make scheduling and node removal take observable time, as on Azure.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { localTiming, TIMING_PRESETS } from "../../../src/local/common/timing";
import { CLI, startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../../support/localService";
import { vm } from "../jobs/helpers";

const SCHEDULING_DELAY_MS = 1500;

describe("local start --scheduling-delay and --deallocation-delay", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 3, args: ["--scheduling-delay", String(SCHEDULING_DELAY_MS), "--deallocation-delay", "PT1.5S"] });
    client = service.client();
    await client.pool.add({ id: "p-delay", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2 });
    await waitFor(
      async () => ((await client.computeNode.list("p-delay")).filter((node) => node.state === "idle").length === 2 ? true : undefined),
      "two idle nodes",
    );
    await client.job.add({ id: "j-delay", poolInfo: { poolId: "p-delay" } });
  });
  after(() => service.stop());

  it("keeps a new task active for the scheduling delay, then runs it", async () => {
    await client.task.add("j-delay", { id: "t1", commandLine: "/bin/sh -c 'exit 0'" });
    const added = await client.task.get("j-delay", "t1");
    assert.equal(added.state, "active");
    const completed = await waitFor(async () => {
      const task = await client.task.get("j-delay", "t1");
      return task.state === "completed" ? task : undefined;
    }, "the task to complete");
    const waited = completed.executionInfo!.startTime!.getTime() - added.creationTime!.getTime();
    assert.ok(waited >= SCHEDULING_DELAY_MS, `started ${waited} ms after it was added; the delay is ${SCHEDULING_DELAY_MS} ms`);
    assert.equal(completed.executionInfo!.exitCode, 0);
  });

  it("delays a reactivated task again, from its reactivation", async () => {
    await client.task.add("j-delay", { id: "t-fail", commandLine: "/bin/sh -c 'exit 3'" });
    await waitFor(async () => ((await client.task.get("j-delay", "t-fail")).state === "completed" ? true : undefined), "the failing task to complete");
    await client.task.reactivate("j-delay", "t-fail");
    const reactivated = await client.task.get("j-delay", "t-fail");
    assert.equal(reactivated.state, "active");
    const done = await waitFor(async () => {
      const task = await client.task.get("j-delay", "t-fail");
      return task.state === "completed" ? task : undefined;
    }, "the reactivated task to complete again");
    const waited = done.executionInfo!.startTime!.getTime() - reactivated.stateTransitionTime!.getTime();
    assert.ok(waited >= SCHEDULING_DELAY_MS, `started ${waited} ms after its reactivation`);
  });

  it("keeps a node leavingpool and the pool resizing for the deallocation delay on a resize down", async () => {
    await client.pool.resize("p-delay", { targetDedicatedNodes: 1 });
    const leaving = await waitFor(async () => {
      const nodes = await client.computeNode.list("p-delay");
      return nodes.some((node) => node.state === "leavingpool") ? nodes : undefined;
    }, "a node leaving the pool");
    assert.equal(leaving.length, 2, "the leaving node is still listed during the deallocation delay");
    assert.equal((await client.pool.get("p-delay")).allocationState, "resizing");
    const steady = await waitFor(async () => {
      const pool = await client.pool.get("p-delay");
      return pool.allocationState === "steady" ? pool : undefined;
    }, "the pool to be steady");
    assert.equal(steady.currentDedicatedNodes, 1);
    assert.equal((await client.computeNode.list("p-delay")).length, 1);
  });

  it("keeps a deleted pool deleting for the deallocation delay, then it is gone", async () => {
    await client.job.deleteMethod("j-delay");
    await client.pool.deleteMethod("p-delay");
    assert.equal((await client.pool.get("p-delay")).state, "deleting");
    await assert.rejects(client.pool.deleteMethod("p-delay"), { statusCode: 409, code: "PoolBeingDeleted" });
    await waitFor(
      () =>
        client.pool.get("p-delay").then(
          () => undefined,
          (error: { statusCode?: number }) => (error.statusCode === 404 ? true : undefined),
        ),
      "the pool to be gone",
    );
  });
});

describe("local start --timing", () => {
  it("resolves the realistic preset, each delay option overriding its own figure", () => {
    assert.deepEqual(localTiming("fast", {}), TIMING_PRESETS.fast);
    const realistic = localTiming("realistic", { schedulingDelay: 0 });
    assert.equal(realistic.schedulingDelayMs, 0);
    assert.equal(realistic.allocationDelayMs, TIMING_PRESETS.realistic.allocationDelayMs);
    assert.ok(realistic.allocationDelayMs >= 60_000 && realistic.nodeStartDelayMs >= 30_000, "realistic allocation and start take minutes, as on Azure");
  });

  it("starts with --timing realistic: a new pool is still resizing with no node well after it was added", async () => {
    // the preset's allocation delay (90 s) is longer than this test waits: the node count must stay 0
    const service = await startLocalService({ nodes: 1, args: ["--timing", "realistic", "--scheduling-delay", "0"] });
    try {
      const client = service.client();
      await client.pool.add({ id: "p-real", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
      const pool = await client.pool.get("p-real");
      assert.equal(pool.allocationState, "resizing");
      assert.equal((await client.computeNode.list("p-real")).length, 0);
    } finally {
      await service.stop();
    }
  });

  it("refuses an unknown preset and a bad --scheduling-delay, naming the option", () => {
    const preset = spawnSync(process.execPath, [CLI, "local", "start", "--data", tempDir("timing-option"), "--timing", "slow"], { encoding: "utf8" });
    assert.notEqual(preset.status, 0);
    assert.match(preset.stderr, /--timing must be fast or realistic; got 'slow'/);
    const delay = spawnSync(process.execPath, [CLI, "local", "start", "--data", tempDir("timing-option"), "--scheduling-delay", "later"], { encoding: "utf8" });
    assert.notEqual(delay.status, 0);
    assert.match(delay.stderr, /--scheduling-delay must be milliseconds/);
  });
});
