// Why: the exact AutoScaleRun.results format (order, %g numbers, vectors, timestamps, aliases) and the error shape of each failure kind, as the service reports them.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDouble } from "../../src/autoscale";
import { evaluate } from "./autoscaleSupport";

describe("autoscale results string", () => {
  it("prints doubles like C %g: integers plain, six significant digits, exponents outside 1e-4..1e6", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [10, "10"],
      [-3, "-3"],
      [2.5, "2.5"],
      [96.66666666, "96.6667"],
      [1 / 3, "0.333333"],
      [123456, "123456"],
      [999999.4, "999999"],
      [999999.5, "1e+06"],
      [1234567, "1.23457e+06"],
      [0.0001, "0.0001"],
      [0.00001234, "1.234e-05"],
      [-0.5, "-0.5"],
    ];
    for (const [x, printed] of cases) assert.equal(formatDouble(x), printed, String(x));
  });

  it("lists the three settable variables first, then user variables once each, by ordinal name order", () => {
    const r = evaluate('b = 1; $z = 2; A = 3; $a = 4; _c = 5; b = 6; s = "text"; o = retaineddata; t = time("2024-01-01T00:00:00.5Z")');
    assert.equal(
      r.run.results,
      "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$a=4;$z=2;A=3;_c=5;b=6;o=retaineddata;s=text;t=2024-01-01T00:00:00.500Z",
    );
  });

  it("keeps the pool's current targets for settable variables the formula does not assign", () => {
    const r = evaluate("$TargetLowPriorityNodes = 2", { pool: { targetDedicatedNodes: 7, nodeDeallocationOption: "terminate" } });
    assert.equal(r.run.results, "$TargetDedicatedNodes=7;$TargetLowPriorityNodes=2;$NodeDeallocationOption=terminate");
    assert.deepEqual(r.apply, { targetDedicatedNodes: 7, targetLowPriorityNodes: 2, nodeDeallocationOption: "terminate" });
  });

  it("reads a target before assignment as the pool's value and after assignment as the new value", () => {
    const r = evaluate("before = $TargetDedicatedNodes; $TargetDedicatedNodes = before * 4; after = $TargetDedicatedNodes", {
      pool: { targetDedicatedNodes: 3 },
    });
    assert.equal(r.run.results, "$TargetDedicatedNodes=12;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;after=12;before=3");
  });

  it("accepts the old aliases, prints the full names, and lets the full name win when both are assigned", () => {
    assert.equal(
      evaluate("$TargetDedicated = 5; $TargetLowPriority = 1").run.results,
      "$TargetDedicatedNodes=5;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue",
    );
    assert.equal(
      evaluate("$TargetDedicatedNodes = 2; $TargetDedicated = 5").run.results,
      "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue",
    );
    assert.equal(evaluate("$TargetDedicated = 5; x = $TargetDedicatedNodes").run.results.endsWith(";x=5"), true);
  });

  it("never prints read-only variables or constants", () => {
    const r = evaluate("x = $PendingTasks + TimeInterval_Zero / TimeInterval_Second", { current: { $PendingTasks: 2 } });
    assert.match(r.run.error?.values[0].value ?? "", /timeinterval \/ timeinterval/);
    assert.equal(
      evaluate("x = $PendingTasks", { current: { $PendingTasks: 2 } }).run.results,
      "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;x=2",
    );
  });

  it("reports every syntax error of a formula as one Message value each, with the service's error shape", () => {
    const r = evaluate("a = (1;\nb = * 2", { pool: { targetDedicatedNodes: 1 } });
    assert.deepEqual(r.run.error, {
      code: "AutoScalingFormulaSyntaxError",
      message: "The autoscale formula has a syntax error",
      values: [
        { name: "Message", value: 'Line 1, Col 7: Expected a closing ")", found ";".' },
        { name: "Message", value: 'Line 2, Col 5: Expected an expression (a number, a variable, a function call or a parenthesised expression), found "*".' },
      ],
    });
    assert.equal(r.run.results, "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
  });

  it("leaves user variables assigned before a runtime failure out of the results, but returns them for inspection", () => {
    const r = evaluate("a = 1; b = 1 / 0", { pool: { targetDedicatedNodes: 1 } });
    assert.deepEqual(r.run.error, {
      code: "AutoScalingFormulaEvaluationError",
      message: "Autoscale evaluation failed",
      values: [{ name: "Message", value: "Line 1, Col 14: Division by zero." }],
    });
    assert.equal(r.run.results, "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    assert.deepEqual([...r.variables.keys()], ["a"]);
  });

  it("stamps the run with the evaluation time", () => {
    const r = evaluate("$TargetDedicatedNodes = 1", { now: "2025-01-02T03:04:05.678Z" });
    assert.equal(r.run.timestamp.toISOString(), "2025-01-02T03:04:05.678Z");
  });
});
