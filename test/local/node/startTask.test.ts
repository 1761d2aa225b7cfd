// Why: the start task's effect on node state and startTaskInfo: success, failure after retries, waitForSuccess false, pre-processing errors.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import { addPool, harness, nodesOf, waitFor, type Harness } from "./helpers";

interface StartTaskInfo {
  state: string;
  startTime: string;
  endTime?: string;
  exitCode?: number;
  retryCount: number;
  lastRetryTime?: string;
  result?: string;
  failureInfo?: { category: string; code: string };
}

describe("start task", () => {
  let h: Harness;
  afterEach(() => h.close());

  const settled = (poolId: string) =>
    waitFor(`node of ${poolId} settled`, () =>
      nodesOf(h, poolId).find((node) => (node.wire.startTaskInfo as StartTaskInfo | undefined)?.state === "completed"),
    );

  it("success: waitingforstarttask while it runs, then idle with a completed startTaskInfo", async () => {
    h = harness();
    addPool(h, "ok", { startTask: { commandLine: "/bin/sleep 0.5", waitForSuccess: true } });
    const node = await waitFor("waiting", () => nodesOf(h, "ok").find((n) => n.wire.state === "waitingforstarttask"));
    assert.equal((node.wire.startTaskInfo as StartTaskInfo).state, "running");
    assert.deepEqual(node.wire.startTask, { commandLine: "/bin/sleep 0.5", waitForSuccess: true });
    await settled("ok");
    const info = node.wire.startTaskInfo as StartTaskInfo;
    assert.equal(node.wire.state, "idle");
    assert.equal(info.exitCode, 0);
    assert.equal(info.result, "success");
    assert.equal(info.retryCount, 0);
    assert.equal(info.failureInfo, undefined);
    assert.equal(info.lastRetryTime, undefined);
    assert.ok(Date.parse(info.endTime!) >= Date.parse(info.startTime));
  });

  it("failure: retried maxTaskRetryCount times, then starttaskfailed with FailureExitCode", async () => {
    h = harness();
    addPool(h, "bad", { startTask: { commandLine: `/bin/sh -c "echo x >> $AZ_BATCH_NODE_SHARED_DIR/tries; exit 5"`, maxTaskRetryCount: 2 } });
    const node = await settled("bad");
    const info = node.wire.startTaskInfo as StartTaskInfo;
    assert.equal(node.wire.state, "starttaskfailed");
    assert.equal(info.exitCode, 5);
    assert.equal(info.retryCount, 2);
    assert.ok(info.lastRetryTime);
    assert.equal(info.result, "failure");
    assert.deepEqual([info.failureInfo?.category, info.failureInfo?.code], ["usererror", "FailureExitCode"]);
    assert.equal(fs.readFileSync(path.join(node.rootDir, "shared", "tries"), "utf8"), "x\nx\nx\n");
  });

  it("waitForSuccess false: the node is idle at once and stays usable when the start task fails", async () => {
    h = harness();
    addPool(h, "nowait", { startTask: { commandLine: `/bin/sh -c "sleep 0.3; exit 2"`, waitForSuccess: false } });
    const early = await waitFor("idle", () => nodesOf(h, "nowait").find((n) => n.wire.state === "idle"));
    assert.equal((early.wire.startTaskInfo as StartTaskInfo).state, "running");
    const node = await settled("nowait");
    assert.equal(node.wire.state, "idle");
    assert.equal((node.wire.startTaskInfo as StartTaskInfo).result, "failure");
  });

  it("a program that does not exist fails at once, without retries", async () => {
    h = harness();
    addPool(h, "noprog", { startTask: { commandLine: "no-such-start-program", maxTaskRetryCount: 3 } });
    const node = await settled("noprog");
    const info = node.wire.startTaskInfo as StartTaskInfo;
    assert.equal(node.wire.state, "starttaskfailed");
    assert.equal(info.retryCount, 0);
    assert.equal(info.exitCode, undefined);
    assert.equal(info.failureInfo?.code, "CommandProgramNotFound");
  });
});
