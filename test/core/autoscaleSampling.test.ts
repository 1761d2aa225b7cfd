// Why: the sample methods' edge cases under Batch's sampling rules: 30-s samples, the one-minute visibility delay, window percentages, required percentages, empty histories, and metrics read as plain numbers.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateFormula, RecordedMetrics } from "../../src/autoscale";
import { type EvalOptions, errorMessage, evaluate, samplesAt, visibleSeries } from "./autoscaleSupport";

const NOW = Date.parse("2024-03-06T15:30:00Z");

function value(expression: string, histories: EvalOptions["histories"], current = {}): string {
  const r = evaluate(`x = ${expression}`, { histories, current });
  assert.equal(r.run.error, undefined, `${expression}: ${JSON.stringify(r.run.error)}`);
  return /;x=([^;]*)$/.exec(r.run.results)![1];
}

describe("autoscale sample methods", () => {
  const cpu = { $CPUPercent: visibleSeries(NOW, [10, 20, 30, 40, 50]) }; // slots 6..2 ago, plus two invisible recent ones

  it("GetSample(n) returns the n most recent visible samples oldest first, never the last minute's", () => {
    assert.equal(value("$CPUPercent.GetSample(1)", cpu), "[50]");
    assert.equal(value("$CPUPercent.GetSample(3)", cpu), "[30,40,50]");
    assert.equal(value("val($CPUPercent.GetSample(3), 0)", cpu), "30");
    assert.equal(value("$CPUPercent.GetSample(9)", cpu), "[10,20,30,40,50]", "fewer samples than asked: what exists");
  });

  it("GetSample(1) is the last visible sample however old, and an empty history gives an empty vector", () => {
    const old = { $PendingTasks: samplesAt(NOW, [[600, 7]]) };
    assert.equal(value("$PendingTasks.GetSample(1)", old), "[7]");
    assert.equal(value("$PendingTasks.GetSample(1)", {}), "[]");
    assert.equal(value("max(0, $PendingTasks.GetSample(1))", {}), "0");
    assert.equal(value("$PendingTasks.GetSample(1)", { $PendingTasks: samplesAt(NOW, [[1, 5]]) }), "[]", "a sample 30 s old is not visible yet");
    assert.equal(value("$PendingTasks.GetSample(1)", { $PendingTasks: samplesAt(NOW, [[2, 5]]) }), "[5]", "a sample exactly 60 s old is visible");
  });

  it("rejects a count that is not a whole number of at least 1, and a negative look-back", () => {
    assert.match(errorMessage(evaluate("x = $CPUPercent.GetSample(0)")), /count must be a whole number of at least 1, got 0/);
    assert.match(errorMessage(evaluate("x = $CPUPercent.GetSample(1.5)")), /got 1\.5/);
    assert.match(errorMessage(evaluate("x = $CPUPercent.GetSample(-1 * TimeInterval_Minute)")), /look-back must not be negative/);
    assert.match(
      // the checker cannot type p (its branches differ), so the method itself rejects the string at run time
      errorMessage(evaluate('p = 1 ? "70" : 70; x = $CPUPercent.GetSample(TimeInterval_Minute, p)')),
      /second argument is the required percentage \(a double\) or the window's other bound .*not a string/,
    );
    assert.match(errorMessage(evaluate("x = $CPUPercent.GetSample(TimeInterval_Minute, 120)")), /between 0 and 100, got 120/);
  });

  it("windows from a look-back or an absolute timestamp until now, start exclusive and end inclusive", () => {
    assert.equal(value("$CPUPercent.GetSample(3 * TimeInterval_Minute)", cpu), "[20,30,40,50]", "the sample exactly 3 minutes old is outside");
    assert.equal(value('$CPUPercent.GetSample(time("2024-03-06T15:26:59Z"))', cpu), "[10,20,30,40,50]");
    assert.equal(value("$CPUPercent.GetSamplePercent(3 * TimeInterval_Minute)", cpu), "66.6667", "4 of 6 possible: the last minute is never visible");
  });

  it("two bounds cover the span between them in either order, and can reach 100%", () => {
    const full = { $CPUPercent: visibleSeries(NOW, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) };
    const window = "1 * TimeInterval_Minute, 6 * TimeInterval_Minute";
    assert.equal(value(`$CPUPercent.GetSample(${window})`, full), "[3,4,5,6,7,8,9,10,11,12]");
    assert.equal(value(`$CPUPercent.GetSample(6 * TimeInterval_Minute, 1 * TimeInterval_Minute)`, full), "[3,4,5,6,7,8,9,10,11,12]");
    assert.equal(value(`$CPUPercent.GetSamplePercent(${window})`, full), "100");
    assert.equal(value(`len($CPUPercent.GetSample(${window}, 100))`, full), "10");
    assert.equal(value(`len($CPUPercent.GetSample(TimeInterval_Minute, time("2024-03-06T15:24:00Z")))`, full), "10", "mixed interval and timestamp bounds");
  });

  it("fails below the required percentage naming the metric, the percentages and the line and column of the metric", () => {
    const sparse = { $RunningTasks: visibleSeries(NOW, [1, 2, 3], [3, 4, 6, 8]) };
    const r = evaluate("a = 1;\nb = 2;\n  $busy = avg($RunningTasks.GetSample(6 * TimeInterval_Minute, 30));\n$TargetDedicatedNodes = 9", {
      histories: sparse,
      pool: { targetDedicatedNodes: 1 },
    });
    assert.equal(r.run.error?.code, "InsufficientSampleData");
    assert.equal(errorMessage(r), "Line 3, Col 15: Insufficient data from data set: $RunningTasks wanted 30%, received 25%");
    assert.equal(r.run.results, "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    assert.equal(r.apply, undefined);
    const rounded = evaluate("x = $RunningTasks.GetSample(TimeInterval_Minute * 15, 10)", { histories: { $RunningTasks: visibleSeries(NOW, [1, 2]) } });
    assert.match(errorMessage(rounded), /wanted 10%, received 6%$/, "2 of 30 = 6.67% is reported rounded down");
  });

  it("GetSamplePercent never fails for missing data", () => {
    assert.equal(value("$CPUPercent.GetSamplePercent(10 * TimeInterval_Minute)", {}), "0");
  });

  it("Count, HistoryBeginTime and GetSamplePeriod describe the visible history", () => {
    assert.equal(value("$CPUPercent.Count()", cpu), "5");
    assert.equal(value("$CPUPercent.HistoryBeginTime()", cpu), "2024-03-06T15:27:00.000Z");
    assert.equal(value("$CPUPercent.GetSamplePeriod()", cpu), "00:00:30");
    assert.equal(value("$CPUPercent.Count()", {}), "0");
    assert.match(errorMessage(evaluate("x = $CPUPercent.HistoryBeginTime()")), /has no samples yet.*Count\(\) > 0 first/);
  });

  it("reads a metric used as a number as its current value, also when stored in a variable", () => {
    const current = { $CurrentDedicatedNodes: 4, $PendingTasks: 11 };
    assert.equal(value("$CurrentDedicatedNodes * 1.1", {}, current), "4.4");
    assert.equal(value("$PendingTasks / 4", {}, current), "2.75");
    assert.equal(value("max($PendingTasks, 3)", {}, current), "11");
    assert.equal(value("$PendingTasks", {}, current), "11");
    assert.equal(value("$PendingTasks > 10 ? 1 : 0", {}, current), "1");
  });

  it("RecordedMetrics keeps samples in time order, trims old history and reads unrecorded metrics as 0", () => {
    const metrics = new RecordedMetrics(60_000);
    for (let i = 0; i < 6; i++) metrics.record(NOW - (5 - i) * 30_000, { $PendingTasks: i });
    assert.deepEqual(
      metrics.history("$PendingTasks").map((s) => s.value),
      [3, 4, 5],
    );
    assert.equal(metrics.current("$FailedTasks"), 0);
    assert.throws(() => metrics.record(NOW, {}), /is not after the last sample/);
    const r = evaluateFormula("x = $PendingTasks.GetSample(2)", {
      now: new Date(NOW),
      metrics,
      pool: { targetDedicatedNodes: 0, targetLowPriorityNodes: 0, nodeDeallocationOption: "requeue" },
    });
    assert.equal(r.run.results.split(";").at(-1), "x=[3]", "the samples 0 and 30 s old are not visible yet");
  });

  it("handles a week of samples (20160 values) in one window", () => {
    const week = Array.from({ length: 20_160 }, (_, i) => i % 97);
    const histories = { $CPUPercent: visibleSeries(NOW, week) };
    assert.equal(value("max($CPUPercent.GetSample(TimeInterval_Week)) + min($CPUPercent.GetSample(TimeInterval_Week))", histories), "96");
    assert.equal(value("range($CPUPercent.GetSample(20160))", histories), "96");
    assert.equal(value("$CPUPercent.GetSamplePercent(TimeInterval_Week)", histories), "99.9901");
  });
});
