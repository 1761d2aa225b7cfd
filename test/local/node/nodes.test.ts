// Why: pools' nodes through the agent: creation with folders and spec-shaped records, the machine-wide cap, shrinking, pool delete, restart.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import { ApplicationStore } from "../../../src/local/applications/applicationStore";
import { silentLogger } from "../../../src/local/common/logger";
import { LocalNodeAgent } from "../../../src/local/node/localNodeAgent";
import type { AttemptResult } from "../../../src/local/node/nodeAgent";
import { addPool, harness, launch, never, nodesOf, resizePool, VM, waitFor, type Harness } from "./helpers";

describe("pool nodes", () => {
  let h: Harness;
  afterEach(() => h.close());

  const idle = (poolId: string, n: number) =>
    waitFor(`${n} idle node(s) in ${poolId}`, () => nodesOf(h, poolId).filter((node) => node.wire.state === "idle").length === n && nodesOf(h, poolId));
  const runLong = (poolId: string, nodeIndex: number, taskId: string, signal = never): Promise<AttemptResult> => {
    const node = nodesOf(h, poolId)[nodeIndex];
    return h.agent.run(
      launch(node, h.state.getPool(poolId)!.wire, { kind: "task", jobId: "j", taskId, job: { id: "j" }, spec: { id: taskId, commandLine: "/bin/sleep 30" } }),
      signal,
    );
  };

  it("creates node records and node folders up to the target, shaped like the spec's ComputeNode", async () => {
    h = harness();
    addPool(h, "p3", { targetDedicatedNodes: 3 });
    const pool = h.state.getPool("p3")!.wire;
    assert.equal(pool.allocationState, "steady");
    assert.equal(pool.currentDedicatedNodes, 3);
    const nodes = await idle("p3", 3);
    assert.equal(new Set(nodes.map((node) => node.wire.id)).size, 3);
    for (const node of nodes) {
      const wire = node.wire;
      assert.match(wire.id, /^tvmps_[0-9a-f]{64}_d$/);
      assert.equal(wire.url, `http://127.0.0.1:8510/pools/p3/nodes/${wire.id}`);
      assert.equal(wire.schedulingState, "enabled");
      assert.equal(wire.ipAddress, "127.0.0.1");
      assert.equal(wire.affinityId, `TVM:${wire.id}`);
      assert.equal(wire.vmSize, "standard_d2s_v3");
      assert.equal(wire.isDedicated, true);
      for (const counter of ["totalTasksRun", "runningTasksCount", "runningTaskSlotsCount", "totalTasksSucceeded"]) assert.equal(wire[counter], 0);
      for (const time of ["stateTransitionTime", "lastBootTime", "allocationTime"]) assert.ok(!Number.isNaN(Date.parse(String(wire[time]))), time);
      assert.equal(typeof (wire.nodeAgentInfo as { version: string }).version, "string");
      assert.deepEqual(wire.virtualMachineInfo, { imageReference: VM.imageReference });
      assert.equal(wire.startTask, undefined);
      assert.equal(node.rootDir, path.join(h.dataDir, "nodes", "p3", wire.id));
      assert.deepEqual(fs.readdirSync(node.rootDir).sort(), ["applications", "fsmounts", "shared", "startup", "workitems"]);
    }
    h.agent.reconcilePool("p3");
    assert.deepEqual(
      nodesOf(h, "p3").map((node) => node.wire.id),
      nodes.map((node) => node.wire.id),
      "ids are stable",
    );
  });

  it("creates Spot/low-priority nodes for targetLowPriorityNodes", async () => {
    h = harness();
    addPool(h, "lp", { targetDedicatedNodes: 0, targetLowPriorityNodes: 1 });
    const [node] = await idle("lp", 1);
    assert.match(node.wire.id, /_p$/);
    assert.equal(node.wire.isDedicated, false);
    assert.equal(h.state.getPool("lp")!.wire.currentLowPriorityNodes, 1);
    const result = await h.agent.run(
      launch(node, h.state.getPool("lp")!.wire, {
        kind: "task",
        jobId: "j",
        taskId: "t",
        job: { id: "j" },
        spec: { commandLine: "/bin/sh -c 'echo $AZ_BATCH_NODE_IS_DEDICATED'" },
      }),
      never,
    );
    assert.equal(fs.readFileSync(path.join(result.taskDir, "stdout.txt"), "utf8"), "false\n");
  });

  it("stops at the machine-wide cap with an AccountCoreQuotaReached resize error naming --nodes", async () => {
    h = harness({ maxNodes: 3 });
    addPool(h, "a", { targetDedicatedNodes: 2 });
    addPool(h, "b", { targetDedicatedNodes: 3 });
    const b = h.state.getPool("b")!.wire;
    assert.equal(b.currentDedicatedNodes, 1);
    assert.equal(b.allocationState, "steady");
    const [error] = b.resizeErrors as { code: string; message: string }[];
    assert.equal(error.code, "AccountCoreQuotaReached");
    assert.match(error.message, /--nodes/);
    assert.equal(h.state.getPool("a")!.wire.resizeErrors, undefined);
    assert.equal([...h.state.nodes.allValues()].length, 3);
  });

  it("shrinks idle nodes first, then requeues what runs on the rest (default requeue)", async () => {
    h = harness();
    addPool(h, "shrink", { targetDedicatedNodes: 3 });
    await idle("shrink", 3);
    const busy = nodesOf(h, "shrink")[2];
    const running = runLong("shrink", 2, "long"); // the newest node: it would go first if busyness were ignored
    await waitFor("task started", () => fs.existsSync(path.join(busy.rootDir, "workitems", "j", "job-1", "long", "stdout.txt")));
    resizePool(h, "shrink", 1);
    await waitFor("shrunk to 1", () => nodesOf(h, "shrink").length === 1 && h.state.getPool("shrink")!.wire.allocationState === "steady");
    assert.equal(nodesOf(h, "shrink")[0].wire.id, busy.wire.id, "the busy node stays");
    assert.deepEqual(fs.readdirSync(path.join(h.dataDir, "nodes", "shrink")), [busy.wire.id], "folders of removed nodes are gone");
    resizePool(h, "shrink", 0);
    const result = await running;
    assert.equal(result.failureKind, "killed");
    assert.equal(result.nodeRemoval, "requeue");
    await waitFor(
      "empty pool",
      () => h.state.getPool("shrink")!.wire.currentDedicatedNodes === 0 && h.state.getPool("shrink")!.wire.allocationState === "steady",
    );
    assert.equal(fs.existsSync(busy.rootDir), false);
  });

  it("terminate kills with nodeRemoval terminate; taskcompletion lets the task finish first", async () => {
    h = harness();
    addPool(h, "opts", { targetDedicatedNodes: 1 });
    const [node] = await idle("opts", 1);
    const killed = runLong("opts", 0, "t1");
    await waitFor("t1 started", () => fs.existsSync(path.join(node.rootDir, "workitems", "j", "job-1", "t1", "stdout.txt")));
    resizePool(h, "opts", 0, "terminate");
    assert.equal((await killed).nodeRemoval, "terminate");
    await waitFor("removed", () => nodesOf(h, "opts").length === 0);

    resizePool(h, "opts", 1);
    const [second] = await idle("opts", 1);
    const pool = h.state.getPool("opts")!.wire;
    const finishing = h.agent.run(
      launch(second, pool, { kind: "task", jobId: "j", taskId: "t2", job: { id: "j" }, spec: { commandLine: "/bin/sleep 1" } }),
      never,
    );
    await waitFor("t2 started", () => fs.existsSync(path.join(second.rootDir, "workitems", "j", "job-1", "t2", "stdout.txt")));
    resizePool(h, "opts", 0, "taskcompletion");
    assert.equal(h.state.getNode("opts", second.wire.id)!.wire.state, "leavingpool");
    assert.equal(h.state.getPool("opts")!.wire.allocationState, "resizing");
    const result = await finishing;
    assert.equal(result.exitCode, 0);
    assert.equal(result.failureKind, undefined);
    await waitFor("removed after completion", () => nodesOf(h, "opts").length === 0 && h.state.getPool("opts")!.wire.allocationState === "steady");
  });

  it("stop resize keeps the nodes there are and records ResizeStopped", async () => {
    h = harness();
    addPool(h, "stop", { targetDedicatedNodes: 2 });
    const pool = h.state.getPool("stop")!;
    pool.wire.allocationState = "stopping";
    pool.wire.targetDedicatedNodes = 5;
    h.agent.reconcilePool("stop");
    assert.equal(pool.wire.allocationState, "steady");
    assert.equal(pool.wire.targetDedicatedNodes, 2);
    assert.equal(nodesOf(h, "stop").length, 2);
    assert.deepEqual(
      (pool.wire.resizeErrors as { code: string }[]).map((error) => error.code),
      ["ResizeStopped"],
    );
  });

  it("removePool kills running tasks, removes node folders, node records and the pool record", async () => {
    h = harness();
    addPool(h, "gone", { targetDedicatedNodes: 2 });
    const nodes = await idle("gone", 2);
    const running = runLong("gone", 1, "long");
    await waitFor("task started", () => fs.existsSync(path.join(nodes[1].rootDir, "workitems", "j", "job-1", "long", "stdout.txt")));
    await h.agent.removePool("gone");
    const result = await running;
    assert.equal(result.failureKind, "killed");
    assert.equal(result.nodeRemoval, "requeue");
    assert.equal(h.state.getPool("gone"), undefined);
    assert.equal(nodesOf(h, "gone").length, 0);
    assert.equal(fs.existsSync(path.join(h.dataDir, "nodes", "gone")), false);
  });

  it("a node whose attempt comes after it left is requeued without running anything", async () => {
    h = harness();
    addPool(h, "late", { targetDedicatedNodes: 1 });
    const [node] = await idle("late", 1);
    const pool = h.state.getPool("late")!.wire;
    await h.agent.removePool("late");
    const result = await h.agent.run(
      launch(node, pool, { kind: "task", jobId: "j", taskId: "t", job: { id: "j" }, spec: { commandLine: "/bin/true" } }),
      never,
    );
    assert.equal(result.nodeRemoval, "requeue");
    assert.equal(result.exitCode, undefined);
  });

  it("after a restart, an interrupted start task runs again and the node becomes idle", async () => {
    h = harness();
    const startTask = { commandLine: `/bin/sh -c "echo try >> $AZ_BATCH_NODE_SHARED_DIR/tries; test -f $AZ_BATCH_NODE_SHARED_DIR/go || /bin/sleep 30"` };
    addPool(h, "reboot", { startTask });
    const [node] = await waitFor(
      "waiting for start task",
      () => nodesOf(h, "reboot").filter((n) => n.wire.state === "waitingforstarttask").length === 1 && nodesOf(h, "reboot"),
    );
    await waitFor("first try", () => fs.existsSync(path.join(node.rootDir, "shared", "tries")));
    await h.agent.stop();
    assert.equal(h.state.getNode("reboot", node.wire.id)!.wire.state, "waitingforstarttask");
    fs.writeFileSync(path.join(node.rootDir, "shared", "go"), "");
    const second = new LocalNodeAgent({
      state: h.state,
      account: h.account,
      logger: silentLogger,
      maxNodes: 8,
      applications: new ApplicationStore(h.dataDir),
      killGraceMs: 500,
    });
    second.reconcilePool("reboot");
    try {
      await idle("reboot", 1);
      assert.equal(fs.readFileSync(path.join(node.rootDir, "shared", "tries"), "utf8"), "try\ntry\n");
      assert.equal(nodesOf(h, "reboot").length, 1);
    } finally {
      await second.stop();
    }
  });
});
