// Why: the pure autoscale simulation: a queue-driven formula grows the pool when tasks queue and shrinks it when they finish, deallocation options treat running tasks as documented, and runs are deterministic with clear errors for bad options.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type SimulationOptions, simulateAutoScale } from "../../src/autoscale";

const MINUTE = 60_000;

const QUEUE_FORMULA = `// one node per two queued or running tasks, at most 10
$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 2);
$tasks = $samples < 20 ? max(0, $PendingTasks.GetSample(1)) : max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 2)));
$TargetDedicatedNodes = min(10, ($tasks + $TaskSlotsPerNode - 1) / $TaskSlotsPerNode);
$NodeDeallocationOption = taskcompletion;`;

const queued: SimulationOptions = {
  formula: QUEUE_FORMULA,
  evaluationIntervalMs: 5 * MINUTE,
  durationMs: 120 * MINUTE,
  load: [{ arrivalMs: 10 * MINUTE, taskCount: 20, taskDurationMs: 10 * MINUTE }],
  taskSlotsPerNode: 2,
  nodeStartDelayMs: 3 * MINUTE,
};

describe("autoscale simulation", () => {
  it("grows the pool when tasks queue, runs them all, and shrinks it to zero when they finish", () => {
    const { points, evaluations } = simulateAutoScale(queued);
    assert.equal(points.length, 241, "one point per 30-s sample over two hours, both ends included");
    assert.equal(evaluations.length, 25, "an evaluation at the start and every 5 minutes");
    assert.ok(
      evaluations.every((e) => e.run.error === undefined),
      JSON.stringify(evaluations.find((e) => e.run.error)),
    );
    const at = (minute: number) => points.find((p) => p.timeMs === minute * MINUTE)!;
    assert.equal(at(9.5).dedicatedNodes, 0, "no nodes before the tasks arrive");
    assert.equal(at(10).pendingTasks, 20, "the tasks queue at 10 minutes");
    assert.equal(at(10).dedicatedNodes, 0, "the arrival is not visible to the formula yet (sampling delay)");
    assert.equal(Math.max(...points.map((p) => p.dedicatedNodes)), 10, "grows to the formula's cap");
    const grown = points.find((p) => p.dedicatedNodes === 10)!;
    assert.ok(grown.timeMs > 10 * MINUTE && grown.timeMs <= 20 * MINUTE, `grew at ${grown.timeMs / MINUTE} min`);
    assert.ok(
      points.some((p) => p.runningTasks === 20),
      "all tasks run at once on 10 nodes of 2 slots",
    );
    const last = points.at(-1)!;
    assert.equal(last.succeededTasks, 20);
    assert.equal(last.failedTasks, 0);
    assert.equal(last.pendingTasks, 0);
    assert.equal(last.dedicatedNodes, 0, "shrinks back when the work is done");
    const peak = points.indexOf(grown);
    const shrink = points.findIndex((p, i) => i > peak && p.dedicatedNodes < 10);
    assert.ok(shrink > peak && points[shrink - 1].pendingTasks <= points[peak].pendingTasks, "shrinks only after tasks finished");
  });

  it("evaluates at the first sampling step at or after each tick when the interval is not a multiple of 30 s", () => {
    const times = (evaluationIntervalMs: number) =>
      simulateAutoScale({ ...queued, durationMs: 3 * MINUTE, evaluationIntervalMs }).evaluations.map((e) => e.timeMs / 1000);
    assert.deepEqual(times(10_000), [0, 30, 60, 90, 120, 150, 180]);
    assert.deepEqual(times(45_000), [0, 60, 90, 150, 180]);
  });

  it("is deterministic, rand() included", () => {
    const options = { ...queued, formula: `${QUEUE_FORMULA}\n$TargetLowPriorityNodes = rand() < 0.5 ? 1 : 0;` };
    assert.deepEqual(simulateAutoScale(options), simulateAutoScale(options));
    assert.notDeepEqual(
      simulateAutoScale({ ...options, seed: 2 }).points.map((p) => p.lowPriorityNodes),
      simulateAutoScale({ ...options, seed: 3 }).points.map((p) => p.lowPriorityNodes),
    );
  });

  const SHRINK_AT_10 = (option: string) => `$TargetDedicatedNodes = time() < time("2024-01-01T00:10:00Z") ? 2 : 0;\n$NodeDeallocationOption = ${option};`;
  const shrinking = (option: string) =>
    simulateAutoScale({
      formula: SHRINK_AT_10(option),
      evaluationIntervalMs: 5 * MINUTE,
      durationMs: 40 * MINUTE,
      load: [{ arrivalMs: 0, taskCount: 2, taskDurationMs: 30 * MINUTE }],
    });

  it("requeue: removing nodes stops their tasks and puts them back in the queue", () => {
    const { points } = shrinking("requeue");
    const at15 = points.find((p) => p.timeMs === 15 * MINUTE)!;
    assert.deepEqual([at15.dedicatedNodes, at15.runningTasks, at15.activeTasks], [0, 0, 2]);
    assert.equal(points.at(-1)!.succeededTasks, 0);
  });

  it("terminate: removing nodes fails their running tasks", () => {
    const last = shrinking("terminate").points.at(-1)!;
    assert.deepEqual([last.dedicatedNodes, last.failedTasks, last.pendingTasks], [0, 2, 0]);
  });

  it("taskcompletion and retaineddata: nodes drain, finish their tasks, then leave", () => {
    for (const option of ["taskcompletion", "retaineddata"]) {
      const { points } = shrinking(option);
      const at = (minute: number) => points.find((p) => p.timeMs === minute * MINUTE)!;
      assert.deepEqual([at(15).dedicatedNodes, at(15).runningTasks, at(15).targetDedicatedNodes], [2, 2, 0], option);
      assert.deepEqual([at(30).dedicatedNodes, at(30).succeededTasks], [0, 2], option);
    }
  });

  it("keeps the pool unchanged when every evaluation fails, recording each error", () => {
    const { points, evaluations } = simulateAutoScale({ ...queued, formula: "$TargetDedicatedNodes = min(4, ;", initialDedicatedNodes: 1 });
    assert.ok(evaluations.every((e) => e.run.error?.code === "AutoScalingFormulaSyntaxError"));
    assert.ok(points.every((p) => p.dedicatedNodes === 1));
    assert.equal(points.at(-1)!.succeededTasks, 20, "the one node works through the queue");
  });

  it("rejects bad options naming the field and the rule", () => {
    const cases: [Partial<SimulationOptions>, RegExp][] = [
      [{ evaluationIntervalMs: 0 }, /"evaluationIntervalMs" must be a positive number of milliseconds; got 0/],
      [{ durationMs: -1 }, /"durationMs" must be 0 or more/],
      [{ durationMs: 1e12 }, /"durationMs" must be at most 100000 sampling periods/],
      [{ taskSlotsPerNode: 1.5 }, /"taskSlotsPerNode" must be a whole number of at least 1/],
      [{ load: [{ arrivalMs: 0, taskCount: -2, taskDurationMs: 1 }] }, /"load\[0\]\.taskCount" must be a whole number/],
      [{ load: [{ arrivalMs: 0, taskCount: 2, taskDurationMs: 0 }] }, /"load\[0\]\.taskDurationMs" must be a positive number/],
      [{ initialDedicatedNodes: -1 }, /"initialDedicatedNodes"/],
    ];
    for (const [patch, message] of cases) assert.throws(() => simulateAutoScale({ ...queued, ...patch }), message);
  });
});
