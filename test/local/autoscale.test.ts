// Why: autoscale through the real @azure/batch client against the real local service: the SDK suite's enable/evaluate/disable cases, formula errors, and a pool that grows and shrinks with its real task load.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";
import { CLI, startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../support/localService";

const vm = LOCAL_POOL_VM_CONFIGURATION;

describe("autoscale", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 4, args: ["--autoscale-min-interval", "1000"] });
    client = service.client();
  });
  after(() => service.stop());

  it("enables a formula (applied at once), evaluates without applying, reports a formula error, disables (the SDK suite's four cases)", async () => {
    await client.pool.add({ id: "as-sdk", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    await client.pool.enableAutoScale("as-sdk", { autoScaleFormula: "$TargetDedicatedNodes=2", autoScaleEvaluationInterval: "PT6M" });
    let pool = await client.pool.get("as-sdk");
    assert.equal(pool.enableAutoScale, true);
    assert.equal(pool.autoScaleFormula, "$TargetDedicatedNodes=2");
    assert.equal(pool.autoScaleEvaluationInterval, "PT6M");
    assert.equal(pool.targetDedicatedNodes, 2);
    assert.equal(pool.autoScaleRun?.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    assert.equal(pool.autoScaleRun?.error, undefined);

    const good = await client.pool.evaluateAutoScale("as-sdk", "$TargetDedicatedNodes=3");
    assert.equal(good.error, undefined);
    assert.equal(good.results, "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    assert.ok(good.timestamp instanceof Date);
    assert.equal((await client.pool.get("as-sdk")).targetDedicatedNodes, 2, "evaluate must not apply");

    const bad = await client.pool.evaluateAutoScale("as-sdk", "$something_useless");
    assert.equal(bad.error?.code, "AutoScalingFormulaEvaluationError");
    assert.equal(bad.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    assert.match(bad.error?.values?.[0]?.value ?? "", /^Line 1, Col 1: /);

    const older = await client.pool.evaluateAutoScale("as-sdk", "something_useless");
    assert.equal(older.error?.code, "AutoScalingFormulaEvaluationError");
    assert.equal(older.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");

    const syntax = await client.pool.evaluateAutoScale("as-sdk", "$TargetDedicatedNodes = (1 +");
    assert.equal(syntax.error?.code, "AutoScalingFormulaSyntaxError");

    await client.pool.disableAutoScale("as-sdk");
    pool = await client.pool.get("as-sdk");
    assert.equal(pool.enableAutoScale, false);
    assert.equal(pool.autoScaleFormula, undefined);
    assert.equal(pool.autoScaleRun, undefined);
    await assert.rejects(client.pool.evaluateAutoScale("as-sdk", "$TargetDedicatedNodes=1"), { statusCode: 409, code: "AutoScaleNotEnabled" });
    await client.pool.resize("as-sdk", { targetDedicatedNodes: 0 });
  });

  it("refuses bad autoscale settings with 400 naming the problem, storing nothing", async () => {
    await assert.rejects(
      client.pool.add({ id: "as-bad", vmSize: "x", virtualMachineConfiguration: vm, enableAutoScale: true, autoScaleFormula: "$TargetDedicatedNodes = 1 +;" }),
      (error: { statusCode: number; code: string; body?: { values?: { key: string; value: string }[] } }) => {
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, "AutoScalingFormulaSyntaxError");
        assert.match(error.body?.values?.[0]?.value ?? "", /^Line 1, Col \d+: /);
        return true;
      },
    );
    await assert.rejects(client.pool.add({ id: "as-bad", vmSize: "x", virtualMachineConfiguration: vm, enableAutoScale: true }), {
      statusCode: 400,
      code: "MissingRequiredProperty",
    });
    await assert.rejects(
      client.pool.add({
        id: "as-bad",
        vmSize: "x",
        virtualMachineConfiguration: vm,
        enableAutoScale: true,
        autoScaleFormula: "$TargetDedicatedNodes=1",
        targetDedicatedNodes: 1,
      }),
      { statusCode: 400, code: "InvalidPropertyValue" },
    );
    await assert.rejects(
      client.pool.add({
        id: "as-bad",
        vmSize: "x",
        virtualMachineConfiguration: vm,
        enableAutoScale: true,
        autoScaleFormula: "$TargetDedicatedNodes=1",
        autoScaleEvaluationInterval: "PT0.5S",
      }),
      (error: { statusCode: number; code: string; body?: { values?: { key: string; value: string }[] } }) => {
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, "InvalidPropertyValue");
        assert.deepEqual(error.body?.values?.[0], { key: "PropertyName", value: "autoScaleEvaluationInterval" });
        return true;
      },
    );
    assert.equal((await client.pool.exists("as-bad")).body, false);
    await assert.rejects(client.pool.enableAutoScale("nope", { autoScaleFormula: "$TargetDedicatedNodes=1" }), { statusCode: 404, code: "PoolNotFound" });
  });

  it("grows a pool while tasks are queued and shrinks it when they finish, from sampled $PendingTasks", async () => {
    const gate = tempDir("autoscale-gate");
    const release = path.join(gate, "release");
    const formula = [
      "$tasks = $PendingTasks.Count() > 0 ? max($PendingTasks.GetSample(1)) : 0;",
      "$TargetDedicatedNodes = min(3, $tasks);",
      "$NodeDeallocationOption = taskcompletion;",
    ].join("\n");
    await client.pool.add({
      id: "as-load",
      vmSize: "x",
      virtualMachineConfiguration: vm,
      enableAutoScale: true,
      autoScaleFormula: formula,
      autoScaleEvaluationInterval: "PT1S",
    });
    const empty = await client.pool.get("as-load");
    assert.equal(empty.enableAutoScale, true);
    assert.equal(empty.targetDedicatedNodes, 0);
    assert.match(empty.autoScaleRun?.results ?? "", /^\$TargetDedicatedNodes=0;/);

    await client.job.add({ id: "as-job", poolInfo: { poolId: "as-load" } });
    const wait = `sh -c 'while [ ! -f "${release}" ]; do sleep 0.05; done'`;
    await client.task.addCollection(
      "as-job",
      Array.from({ length: 5 }, (_, i) => ({ id: `t${i}`, commandLine: wait })),
    );
    await waitFor(
      async () => {
        const pool = await client.pool.get("as-load");
        return pool.targetDedicatedNodes === 3 && pool.currentDedicatedNodes === 3 ? pool : undefined;
      },
      "the pool to grow to 3 nodes",
      30_000,
    );
    const grown = await client.pool.get("as-load");
    assert.match(grown.autoScaleRun?.results ?? "", /^\$TargetDedicatedNodes=3;\$TargetLowPriorityNodes=0;\$NodeDeallocationOption=taskcompletion;\$tasks=5$/);

    fs.writeFileSync(release, "");
    await waitFor(
      async () => {
        const counts = await client.job.getTaskCounts("as-job");
        return counts.taskCounts.completed === 5 ? counts : undefined;
      },
      "the 5 tasks to complete",
      30_000,
    );
    await waitFor(
      async () => {
        const pool = await client.pool.get("as-load");
        return pool.targetDedicatedNodes === 0 && pool.currentDedicatedNodes === 0 && pool.allocationState === "steady" ? pool : undefined;
      },
      "the pool to shrink to 0 nodes",
      30_000,
    );
    const counts = await client.job.getTaskCounts("as-job");
    assert.equal(counts.taskCounts.succeeded, 5);
  });

  it("evaluates autoscale pools again after a crash and restart; without the local flag Azure's 5-minute minimum holds", async () => {
    const before = (await client.pool.get("as-load")).autoScaleRun?.timestamp?.getTime() ?? 0;
    await service.kill();
    service = await startLocalService({ dataDir: service.dataDir, nodes: 4 });
    client = service.client();
    const pool = await waitFor(async () => {
      const current = await client.pool.get("as-load");
      return (current.autoScaleRun?.timestamp?.getTime() ?? 0) > before ? current : undefined;
    }, "a new autoscale run after the restart");
    assert.equal(pool.enableAutoScale, true);
    assert.match(pool.autoScaleRun?.results ?? "", /^\$TargetDedicatedNodes=0;/);
    await assert.rejects(
      client.pool.enableAutoScale("as-load", { autoScaleEvaluationInterval: "PT1M" }),
      (error: { statusCode: number; body?: { values?: { key: string; value: string }[] } }) => {
        assert.equal(error.statusCode, 400);
        assert.deepEqual(error.body?.values?.[0], { key: "PropertyName", value: "autoScaleEvaluationInterval" });
        assert.match(error.body?.values?.[2]?.value ?? "", /PT5M/);
        return true;
      },
    );
  });

  it("refuses an out-of-range --autoscale-min-interval naming the flag", () => {
    const result = spawnSync(process.execPath, [CLI, "local", "start", "--data", tempDir("autoscale-flag"), "--autoscale-min-interval", "50"], {
      encoding: "utf8",
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /--autoscale-min-interval must be a whole number of 100 or more/);
  });
});
