// Why: every built-in function, operator and timestamp member evaluated for its value, plus the evaluation errors chosen for the unspecified cases (division by zero, logs of non-positives, empty lists, bad indexes, bad targets).

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorMessage, evaluate } from "./autoscaleSupport";

/** the printed value of `x` after evaluating `x = <expression>` */
function value(expression: string, options: Parameters<typeof evaluate>[1] = {}): string {
  const r = evaluate(`x = ${expression}`, options);
  assert.equal(r.run.error, undefined, `${expression}: ${JSON.stringify(r.run.error)}`);
  const match = /;x=([^;]*)$/.exec(r.run.results);
  assert.ok(match, r.run.results);
  return match[1];
}

function failure(expression: string): string {
  return errorMessage(evaluate(`x = ${expression}`));
}

describe("autoscale built-in functions", () => {
  it("reduces doubleVecLists, flattening doubles and vectors in order", () => {
    const v = "lg(2, 4, 8)"; // [1,2,3]
    assert.equal(value(`avg(${v}, 7)`), "3.25");
    assert.equal(value(`len(${v}, 7)`), "4");
    assert.equal(value(`len()`), "0");
    assert.equal(value(`max(${v}, -1)`), "3");
    assert.equal(value(`min(${v}, 0.5)`), "0.5");
    assert.equal(value(`norm(3, 4)`), "5");
    assert.equal(value(`range(${v}, 10)`), "9");
    assert.equal(value(`sum(${v}, 4)`), "10");
    assert.equal(value(`sum()`), "0");
    assert.equal(value(`std(2, 4, 4, 4, 5, 5, 7, 9)`), "2.13809");
    assert.equal(value(`std(5)`), "0");
  });

  it("chooses the scalar or vector form of lg, ln, log, ceil, floor and round", () => {
    assert.equal(value("lg(8)"), "3");
    assert.equal(value("lg(1, 2, 4, 8)"), "[0,1,2,3]");
    assert.equal(value("ln(1)"), "0");
    assert.equal(value("ln(lg(4, 8))"), "[0.693147,1.09861]");
    assert.equal(value("log(1000)"), "3");
    assert.equal(value("log(10, 100)"), "[1,2]");
    assert.equal(value("ceil(2.1)"), "3");
    assert.equal(value("floor(-2.1)"), "-3");
    assert.equal(value("floor(2.9, -0.5)"), "[2,-1]");
    assert.equal(value("round(2.5)"), "3");
    assert.equal(value("round(-2.5)"), "-3");
    assert.equal(value("round(2.4, 0.5)"), "[2,1]");
  });

  it("computes percentile on a 0-100 scale with linear interpolation, and val by zero-based index", () => {
    const v = "lg(2, 4, 8, 16, 32)"; // [1,2,3,4,5]
    assert.equal(value(`percentile(${v}, 0)`), "1");
    assert.equal(value(`percentile(${v}, 50)`), "3");
    assert.equal(value(`percentile(${v}, 90)`), "4.6");
    assert.equal(value(`percentile(${v}, 100)`), "5");
    assert.equal(value(`percentile(7, 30)`), "7");
    assert.equal(value(`val(${v}, 0)`), "1");
    assert.equal(value(`val(${v}, 4)`), "5");
  });

  it("draws rand() from the supplied generator, in [0, 1)", () => {
    assert.equal(value("rand()", { random: () => 0.25 }), "0.25");
    for (let i = 0; i < 50; i++) {
      const x = Number(value("rand()"));
      assert.ok(x >= 0 && x < 1, String(x));
    }
  });

  it("stop() ends the run successfully and keeps the assignments made before it", () => {
    const r = evaluate("$TargetDedicatedNodes = 4; a = 1; stop(); $TargetDedicatedNodes = 9; b = 2");
    assert.equal(r.run.error, undefined);
    assert.equal(r.stopped, true);
    assert.equal(r.run.results, "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;a=1");
    assert.equal(evaluate("a = 0 ? stop() : 3").run.results.endsWith(";a=3"), true, "stop() in an untaken branch never runs");
  });

  it("parses time() strings in W3C-DTF and RFC 1123, and time('') is now", () => {
    assert.equal(value('time("2024-03-04T10:15:30Z")'), "2024-03-04T10:15:30.000Z");
    assert.equal(value('time("2024-03-04T10:15:30.1234567+02:00")'), "2024-03-04T08:15:30.123Z");
    assert.equal(value('time("2024-03-04T10:15-05:00")'), "2024-03-04T15:15:00.000Z");
    assert.equal(value('time("2024-03-04")'), "2024-03-04T00:00:00.000Z");
    assert.equal(value('time("Mon, 04 Mar 2024 10:15:30 GMT")'), "2024-03-04T10:15:30.000Z");
    assert.equal(value('time("")', { now: "2024-03-06T15:30:00Z" }), "2024-03-06T15:30:00.000Z");
    assert.match(failure('time("2024-03-04T10:15:30.123456789Z")'), /^Line 1, Col 5: time\(.*at most 7 digits of fractional seconds/);
    assert.match(failure('time("Tue, 04 Mar 2024 10:15:30 GMT")'), /is not a Tue/);
    assert.match(failure('time("2024-02-30T00:00:00Z")'), /out of range/);
    assert.match(failure('time("next tuesday")'), /Use W3C-DTF \("2024-03-04T10:15:30Z"\) or RFC 1123/);
  });

  it("reads timestamp members in UTC with Monday = 1 and Sunday = 0", () => {
    const t = 'time("2024-03-10T23:59:58Z")'; // a Sunday
    assert.equal(value(`${t}.year`), "2024");
    assert.equal(value(`${t}.month * 100 + ${t}.day`), "310");
    assert.equal(value(`${t}.weekday`), "0");
    assert.equal(value(`(${t} + TimeInterval_Day).weekday`), "1");
    assert.equal(value(`${t}.hour * 3600 + ${t}.minute * 60 + ${t}.second`), "86398");
  });

  it("does arithmetic between timestamps and intervals and prints intervals as [-][d.]hh:mm:ss[.fffffff]", () => {
    assert.equal(value("TimeInterval_Week + TimeInterval_Day * 2 + TimeInterval_Hour"), "9.01:00:00");
    assert.equal(value("-5 * TimeInterval_Hour"), "-05:00:00");
    assert.equal(value("TimeInterval_Second / 2"), "00:00:00.5000000");
    assert.equal(value("TimeInterval_100ns + TimeInterval_Microsecond + TimeInterval_Millisecond"), "00:00:00.0010011");
    assert.equal(value("TimeInterval_Year"), "365.00:00:00");
    assert.equal(value("TimeInterval_Zero"), "00:00:00");
    assert.equal(value('time("2024-01-02T00:00:00Z") - time("2024-01-01T12:00:00Z")'), "12:00:00");
    assert.equal(value('TimeInterval_Hour + time("2024-01-01T00:00:00Z")'), "2024-01-01T01:00:00.000Z");
    assert.equal(value("TimeInterval_Minute > TimeInterval_Second"), "1");
  });

  it("gives comparisons and logic exactly 1 or 0, any non-zero being true", () => {
    assert.equal(value("3 && 5"), "1");
    assert.equal(value("0 || -2"), "1");
    assert.equal(value("!7"), "0");
    assert.equal(value("!0"), "1");
    assert.equal(value('"abc" < "abd"'), "1");
    assert.equal(value('"B" < "a"'), "1", "strings compare by ordinal order");
    assert.equal(value('"x" == "x"'), "1");
    assert.equal(value("0.5 ? 10 : 20"), "10");
    assert.equal(value("lg(2, 4) * 3 - 1"), "[2,5]");
    assert.equal(value("lg(2, 4) / lg(4, 16)"), "[0.5,0.5]");
  });

  it("short-circuits && and || so a guard keeps a failing call from running", () => {
    assert.equal(value("0 && val(lg(2), 5)"), "0");
    assert.equal(value("1 || val(lg(2), 5)"), "1");
  });

  it("fails, with the position of the failing expression, for the unspecified arithmetic cases", () => {
    assert.equal(failure("1 / (2 - 2)"), "Line 1, Col 7: Division by zero.");
    assert.match(failure("ln(0)"), /^Line 1, Col 5: ln\(0\): the logarithm is only defined for positive numbers/);
    assert.match(failure("log(-1)"), /log\(-1\)/);
    assert.match(failure("avg($CPUPercent.GetSample(3))"), /avg\(\) of an empty list has no value/);
    assert.match(failure("val(lg(2, 4), 2)"), /index must be a whole number from 0 to 1/);
    assert.match(failure("val(lg(2, 4), 0.5)"), /index must be a whole number/);
    assert.match(failure("percentile(lg(2, 4), 101)"), /p must be between 0 and 100/);
    assert.match(failure("lg(2, 4) + lg(2, 4, 8)"), /Vector lengths differ \(2 and 3\)/);
  });

  it("rejects negative or non-finite targets and unknown deallocation options, leaving the pool as it was", () => {
    for (const [formula, message] of [
      ["$TargetDedicatedNodes = 0 - 1", /must be a finite number of at least 0, got -1/],
      ["$TargetLowPriorityNodes = -3", /got -3/],
      ['$NodeDeallocationOption = "later"', /must be requeue, terminate, taskcompletion or retaineddata, got "later"/],
    ] as const) {
      const r = evaluate(formula, { pool: { targetDedicatedNodes: 2, targetLowPriorityNodes: 1 } });
      assert.match(errorMessage(r), message);
      assert.equal(r.apply, undefined);
      assert.equal(r.run.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue");
    }
    assert.equal(evaluate('$NodeDeallocationOption = "retaineddata"').apply?.nodeDeallocationOption, "retaineddata");
  });
});
