// Why: the reference's worked formulas (W1-W10) and the strings Microsoft's SDK suites assert, each evaluated against the samples the reference gives and checked against the values it must produce.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorMessage, evaluate, visibleSeries } from "./autoscaleSupport";

const NOW = Date.parse("2024-03-06T15:30:00Z");

describe("autoscale worked examples", () => {
  it("W1: plain arithmetic, a floor of two nodes and a fractional target printed unrounded, applied truncated", () => {
    const r = evaluate(
      "// two nodes minimum, one node per four queued items\nfloorNodes = 2;\nperNode = 4;\n$queued = 10;\n$TargetDedicatedNodes = max(floorNodes, $queued / perNode);",
    );
    assert.equal(r.run.error, undefined);
    assert.equal(r.run.results, "$TargetDedicatedNodes=2.5;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$queued=10;floorNodes=2;perNode=4");
    assert.equal(r.apply?.targetDedicatedNodes, 2);
  });

  const W2 = `$now = time();
$local = $now + (-5 * TimeInterval_Hour);
$weekdayNow = $local.weekday >= 1 && $local.weekday <= 5;
$peak = $local.hour >= 9 && $local.hour < 17;
$TargetDedicatedNodes = ($weekdayNow && $peak) ? 12 : 2;
$NodeDeallocationOption = taskcompletion;`;

  it("W2: business hours in UTC-5 on a Wednesday give 12 nodes and taskcompletion", () => {
    const r = evaluate(W2, { now: "2024-03-06T15:30:00Z" });
    assert.equal(
      r.run.results,
      "$TargetDedicatedNodes=12;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$local=2024-03-06T10:30:00.000Z;$now=2024-03-06T15:30:00.000Z;$peak=1;$weekdayNow=1",
    );
    assert.deepEqual(r.apply, { targetDedicatedNodes: 12, targetLowPriorityNodes: 0, nodeDeallocationOption: "taskcompletion" });
  });

  it("W2: on a Saturday the same formula gives $weekdayNow=0 and 2 nodes", () => {
    const r = evaluate(W2, { now: "2024-03-09T15:30:00Z" });
    assert.match(r.run.results, /^\$TargetDedicatedNodes=2;/);
    assert.match(r.run.results, /;\$weekdayNow=0$/);
  });

  it("W3: the coverage guard passes (16 of 20 samples = 80%) and the average of the window drives 10 nodes", () => {
    const pending = visibleSeries(NOW, [14, 16, 18, 18, 20, 22, 24, 24, 22, 20, 20, 18, 20, 22, 24, 18], [5, 11]);
    const r = evaluate(
      `window = 10 * TimeInterval_Minute;
coverage = $PendingTasks.GetSamplePercent(window);
$load = coverage >= 60 ? avg($PendingTasks.GetSample(window)) : max(0, $PendingTasks.GetSample(1));
$TargetDedicatedNodes = min(20, $load / $TaskSlotsPerNode);`,
      { histories: { $PendingTasks: pending }, current: { $TaskSlotsPerNode: 2 } },
    );
    assert.equal(r.run.error, undefined);
    assert.equal(r.run.results, "$TargetDedicatedNodes=10;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$load=20;coverage=80;window=00:10:00");
  });

  it("W4: a required percentage that is not met fails with InsufficientSampleData and leaves the pool at 4", () => {
    const running = visibleSeries(NOW, [3, 4, 5, 4, 3, 4], [3, 5]);
    const r = evaluate("$busy = avg($RunningTasks.GetSample(TimeInterval_Minute * 5, 75));\n$TargetDedicatedNodes = max(1, $busy);", {
      histories: { $RunningTasks: running },
      pool: { targetDedicatedNodes: 4 },
    });
    assert.deepEqual(r.run.error, {
      code: "InsufficientSampleData",
      message: "Autoscale evaluation failed due to insufficient sample data",
      values: [{ name: "Message", value: "Line 1, Col 13: Insufficient data from data set: $RunningTasks wanted 75%, received 60%" }],
    });
    assert.equal(r.run.results, "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    assert.equal(r.apply, undefined, "a failed run applies nothing");
  });

  it("W5: the coverage guard takes the fallback (7 of 30 samples) and the dedicated target keeps its current value", () => {
    const active = visibleSeries(NOW, [5, 9, 2, 7, 1, 3, 8], [4, 6, 8, 10, 12, 14, 16, 18, 20]);
    const r = evaluate(
      "coverage = $ActiveTasks.GetSamplePercent(TimeInterval_Minute * 15);\n$TargetLowPriorityNodes = coverage < 50 ? 1 : max($ActiveTasks.GetSample(TimeInterval_Minute * 15));",
      {
        histories: { $ActiveTasks: active },
        pool: { targetDedicatedNodes: 3 },
      },
    );
    assert.equal(r.run.results, "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue;coverage=23.3333");
  });

  it("W6: vector arithmetic across two metrics", () => {
    const r = evaluate(
      "$q = $ActiveTasks.GetSample(3);\n$r = $RunningTasks.GetSample(3);\n$demand = $q + $r;\n$perSlot = $demand / $TaskSlotsPerNode;\n$TargetDedicatedNodes = max($perSlot);",
      {
        histories: { $ActiveTasks: visibleSeries(NOW, [99, 8, 6, 4]), $RunningTasks: visibleSeries(NOW, [4, 4, 4]) },
        current: { $TaskSlotsPerNode: 4 },
      },
    );
    assert.equal(
      r.run.results,
      "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$demand=[12,10,8];$perSlot=[3,2.5,2];$q=[8,6,4];$r=[4,4,4]",
    );
  });

  it("W7: dedicated core plus Spot overflow reads back the target it just assigned", () => {
    const r = evaluate(
      "cap = 30;\nneed = max(0, $PendingTasks.GetSample(1)) / $TaskSlotsPerNode;\n$TargetDedicatedNodes = min(4, need);\n$TargetLowPriorityNodes = max(0, min(cap, need) - $TargetDedicatedNodes);\n$NodeDeallocationOption = taskcompletion;",
      { histories: { $PendingTasks: visibleSeries(NOW, [40, 46]) }, current: { $TaskSlotsPerNode: 2 } },
    );
    assert.equal(r.run.results, "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=19;$NodeDeallocationOption=taskcompletion;cap=30;need=23");
    assert.deepEqual(r.apply, { targetDedicatedNodes: 4, targetLowPriorityNodes: 19, nodeDeallocationOption: "taskcompletion" });
  });

  it("W8: shrinking with graceful drain", () => {
    const r = evaluate(
      "spare = $CurrentDedicatedNodes - 6;\n$TargetDedicatedNodes = spare > 0 ? 6 : $CurrentDedicatedNodes;\n$NodeDeallocationOption = taskcompletion;",
      {
        current: { $CurrentDedicatedNodes: 10 },
        pool: { targetDedicatedNodes: 10 },
      },
    );
    assert.equal(r.run.results, "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;spare=4");
  });

  const W9 =
    'created = time("Wed, 01 May 2024 08:00:00 GMT");\nage = time() - created;\nwarmup = 10 * TimeInterval_Minute;\n$TargetDedicatedNodes = age < warmup ? 3 : $CurrentDedicatedNodes;';

  it("W9: six minutes into the warm-up window the target is 3", () => {
    const r = evaluate(W9, { now: "2024-05-01T08:06:00Z", current: { $CurrentDedicatedNodes: 0 } });
    assert.equal(
      r.run.results,
      "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;age=00:06:00;created=2024-05-01T08:00:00.000Z;warmup=00:10:00",
    );
  });

  it("W9: after the warm-up window the target follows the current node count (5)", () => {
    const r = evaluate(W9, { now: "2024-05-01T08:20:00Z", current: { $CurrentDedicatedNodes: 5 } });
    assert.match(r.run.results, /^\$TargetDedicatedNodes=5;.*;age=00:20:00;/);
  });

  it("W10: a dangling argument list is a syntax error at line 1, column 32 and changes nothing", () => {
    const r = evaluate("$TargetDedicatedNodes = min(4, ;", { pool: { targetDedicatedNodes: 1 } });
    assert.equal(r.run.error?.code, "AutoScalingFormulaSyntaxError");
    assert.match(errorMessage(r), /^Line 1, Col 32: Expected an expression/);
    assert.equal(r.run.results, "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
  });
});

describe("autoscale results the SDK suites assert", () => {
  it("evaluating $TargetDedicatedNodes=3 (no trailing semicolon) gives exactly the three settable variables", () => {
    const r = evaluate("$TargetDedicatedNodes=3", { pool: { targetDedicatedNodes: 2 } });
    assert.equal(r.run.error, undefined);
    assert.equal(r.run.results, "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
  });

  for (const formula of ["$something_useless", "something_useless"]) {
    it(`evaluating ${formula} fails with AutoScalingFormulaEvaluationError and reports the pool's current values`, () => {
      const r = evaluate(formula, { pool: { targetDedicatedNodes: 2 } });
      assert.equal(r.run.error?.code, "AutoScalingFormulaEvaluationError");
      assert.equal(r.run.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
      assert.ok(errorMessage(r).startsWith(`Line 1, Col 1: Unknown variable "${formula}"`), errorMessage(r));
    });
  }

  it("reproduces the documented real-pool results string (reads a target before assigning it, prints %g values)", () => {
    const r = evaluate(
      "$tasks = 0;\n$samples = 96.66666666;\n$targetVMs = max(0, $TargetDedicatedNodes / 2);\ncappedPoolSize = 3;\n$TargetDedicatedNodes = 1;\n$NodeDeallocationOption = taskcompletion;",
      { pool: { targetDedicatedNodes: 1 } },
    );
    assert.equal(
      r.run.results,
      "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=96.6667;$targetVMs=0.5;$tasks=0;cappedPoolSize=3",
    );
  });
});
