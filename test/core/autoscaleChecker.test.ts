// Why: the checker's diagnostics (unknown names, argument counts and types, operator type rules, read-only assignments, limits, warnings) with their positions, and that evaluation refuses what the checker rejects.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkFormulaText, MAX_FORMULA_LENGTH, validateFormula } from "../../src/autoscale";
import { errorMessage, evaluate } from "./autoscaleSupport";

function errors(text: string) {
  return checkFormulaText(text)
    .filter((d) => d.severity === "error")
    .map((d) => ({ at: `${d.span.line}:${d.span.column}+${d.span.length}`, message: d.message, code: d.code }));
}

function warnings(text: string) {
  return checkFormulaText(text)
    .filter((d) => d.severity === "warning")
    .map((d) => d.message);
}

describe("autoscale checker", () => {
  it("accepts a formula using every kind of value correctly", () => {
    const text = `start = time("2024-03-04T10:15:30Z");
age = time() - start;
$v = $CPUPercent.GetSample(10 * TimeInterval_Minute, 50);
ok = $CPUPercent.GetSamplePercent(TimeInterval_Minute, 6 * TimeInterval_Minute) > 70 && age > TimeInterval_Hour;
$TargetDedicatedNodes = ok ? max($v * 2, 1) / $TaskSlotsPerNode : $CurrentDedicatedNodes;
$TargetLowPriority = len(lg(1, 2, 4)) + val($v + $v, 0) + percentile($v, 90) + round(2.5);
$NodeDeallocationOption = $NodeDeallocationOption == requeue ? taskcompletion : "terminate";`;
    assert.deepEqual(checkFormulaText(text), []);
  });

  it("reports unknown variables, with hints for $x/x and letter case", () => {
    assert.deepEqual(errors("a = b + 1"), [
      {
        at: "1:5+1",
        message: 'Unknown variable "b": assign it before using it (service variables start with "$", e.g. $PendingTasks).',
        code: "AutoScalingFormulaEvaluationError",
      },
    ]);
    assert.match(errors("$x = 1; y = x")[0].message, /A variable "\$x" exists: "x" and "\$x" are different names/);
    assert.match(errors("count = 1; y = Count")[0].message, /Did you mean "count"\?/);
    assert.deepEqual(errors("a = a + 1").length, 1, "a variable cannot be read before its first assignment");
  });

  it("matches service variables in any letter case", () => {
    assert.deepEqual(errors("$targetDedicatedNodes = $pendingtasks.GetSample(1).len"), [
      { at: "1:52+3", message: '".len" needs a timestamp, but this is a doubleVec.', code: "AutoScalingFormulaEvaluationError" },
    ]);
    assert.deepEqual(errors("$targetDedicatedNodes = max($pendingtasks.GetSample(1))"), []);
  });

  it("reports unknown functions, methods, members and constants with the known ones", () => {
    assert.match(errors("a = average(1)")[0].message, /Unknown function "average"/);
    assert.match(errors("a = Max(1)")[0].message, /Did you mean "max"\?/);
    assert.match(errors("a = GetSample(1)")[0].message, /GetSample is a method: write \$Metric\.GetSample/);
    assert.match(errors("a = $CPUPercent.getSample(1)")[0].message, /Unknown method "\.getSample".*Did you mean "GetSample"\?/);
    assert.match(errors("a = time().hours")[0].message, /no member "\.hours"; its members are \.year, \.month, \.day, \.weekday, \.hour, \.minute, \.second/);
    assert.match(errors("a = TimeInterval_Hours")[0].message, /Unknown constant "TimeInterval_Hours"/);
    assert.match(errors("a = 3; b = a.GetSample(1)")[0].message, /method of the service's metric variables/);
  });

  it("checks argument counts and types of functions and sample methods", () => {
    assert.match(errors("a = val($CPUPercent.GetSample(3))")[0].message, /val\(\) takes 2 arguments: val\(doubleVec v, double i\); got 1/);
    assert.match(errors("a = rand(1)")[0].message, /rand\(\) takes 0 arguments/);
    assert.match(errors("a = time(1)")[0].message, /time\(s\): s must be a string, got a double/);
    assert.match(errors('a = avg(1, "x")')[0].message, /argument 2 is a string/);
    assert.match(errors("a = lg()")[0].message, /at least one argument/);
    assert.match(errors("a = $CPUPercent.Count(1)")[0].message, /\.Count\(\) takes 0 arguments; got 1/);
    assert.match(errors("a = $CPUPercent.GetSample()")[0].message, /\.GetSample\(\) takes 1 to 3 arguments; got 0/);
    assert.match(errors("a = percentile(time(), 5)")[0].message, /argument 1 must be doubleVec or double, got a timestamp/);
    assert.match(errors('a = $CPUPercent.GetSample("5")')[0].message, /\.GetSample\(string\) does not match GetSample\(count\), GetSample\(window\)/);
    assert.match(errors("a = $CPUPercent.GetSample(5, 70)")[0].message, /\.GetSample\(double, double\) does not match/);
    assert.match(errors("a = $CPUPercent.GetSamplePercent(5)")[0].message, /\.GetSamplePercent\(double\) does not match GetSamplePercent\(window\)/);
    assert.deepEqual(errors("a = $CPUPercent.GetSample(time(), TimeInterval_Minute, $CPUPercent); b = $CPUPercent.GetSample($TaskSlotsPerNode)"), []);
  });

  it("applies the documented operator table and points at the operator", () => {
    const cases: [string, string, RegExp][] = [
      ["a = 2 - $CPUPercent.GetSample(3)", "1:7+1", /double - doubleVec\. Put the vector on the left/],
      ["a = time() - TimeInterval_Hour", "1:12+1", /timestamp - timeinterval\. Add a negative interval instead/],
      ["a = time() + time()", "1:12+1", /timestamp \+ timestamp/],
      ["a = TimeInterval_Hour * TimeInterval_Hour", "1:23+1", /timeinterval \* timeinterval/],
      ["a = $CPUPercent.GetSample(3) > 2", "1:30+1", /Reduce the vector first/],
      ['a = "x" + "y"', "1:9+1", /string \+ string/],
      ['a = "x" && 1', "1:9+2", /string && double/],
      ["a = -$CPUPercent.GetSample(3)", "1:5+25", /"-" cannot be applied to a doubleVec/],
      ["a = !TimeInterval_Hour", "1:5+18", /"!" cannot be applied to a timeinterval/],
      ["a = time() ? 1 : 2", "1:5+6", /A condition must be a double/],
    ];
    for (const [text, at, message] of cases) {
      const [e] = errors(text);
      assert.ok(e, `expected an error for ${text}`);
      assert.equal(e.at, at, text);
      assert.match(e.message, message, text);
    }
    assert.deepEqual(errors('a = "a" < "b"; b = time() - time() > TimeInterval_Zero; c = 2 * TimeInterval_Minute / 2 + TimeInterval_Second'), []);
  });

  it("rejects assignments to read-only service variables and wrongly typed settable values", () => {
    assert.deepEqual(errors("$PendingTasks = 3"), [
      {
        at: "1:1+13",
        message: "$PendingTasks is a read-only service variable; assign to a variable of your own (e.g. $myPendingTasks) instead.",
        code: "AutoScalingFormulaEvaluationError",
      },
    ]);
    assert.match(errors("$TargetDedicatedNodes = time()")[0].message, /must be set to a double, not a timestamp/);
    assert.match(errors("$NodeDeallocationOption = 3")[0].message, /must be set to requeue, terminate, taskcompletion or retaineddata, not a double/);
  });

  it("warns about unused values and near-misses of service variable names", () => {
    assert.deepEqual(warnings("1 + 2"), ["This statement computes a value that is never used; assign it (name = ...) or remove it."]);
    assert.deepEqual(warnings("stop()"), []);
    assert.deepEqual(warnings("$TargetDedicatedNode = 3"), [
      '"$TargetDedicatedNode" is a variable of your own, not the service variable $TargetDedicatedNodes; check the spelling.',
    ]);
  });

  it("enforces the documented limits: 8192 characters and 100 statements", () => {
    const long = `a = 1;${" ".repeat(MAX_FORMULA_LENGTH)}`;
    assert.equal(errors(long)[0].code, "AutoScalingFormulaTooLong");
    const many = Array.from({ length: 101 }, (_, i) => `v${i} = ${i}`).join(";");
    assert.deepEqual(
      errors(many).map((e) => e.message),
      ["The formula has 101 statements; the limit is 100."],
    );
    assert.deepEqual(errors(many.split(";").slice(0, 100).join(";")), []);
  });

  it("makes evaluation fail with the checker's error and position, even in a branch that would not run", () => {
    const r = evaluate("a = 1;\n$TargetDedicatedNodes = a > 0 ? 2 : time() + 1;", { pool: { targetDedicatedNodes: 5 } });
    assert.equal(r.run.error?.code, "AutoScalingFormulaEvaluationError");
    assert.equal(errorMessage(r), 'Line 2, Col 44: Operator "+" is not defined for timestamp + double.');
    assert.equal(r.run.results, "$TargetDedicatedNodes=5;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    const tooLong = evaluate(`a = 1;${" ".repeat(MAX_FORMULA_LENGTH)}`);
    assert.equal(tooLong.run.error?.code, "AutoScalingFormulaTooLong");
  });

  it("validateFormula gives the service-shaped error a pool-add or enableAutoScale would answer with", () => {
    assert.equal(validateFormula("$TargetDedicatedNodes = 2;\n1 + 1").error, undefined, "warnings do not make a formula invalid");
    assert.equal(validateFormula("$TargetDedicatedNodes = 2;\n1 + 1").diagnostics.length, 1);
    assert.deepEqual(validateFormula("a = b; c = d").error, {
      code: "AutoScalingFormulaEvaluationError",
      message: "Autoscale evaluation failed",
      values: [
        { name: "Message", value: 'Line 1, Col 5: Unknown variable "b": assign it before using it (service variables start with "$", e.g. $PendingTasks).' },
        { name: "Message", value: 'Line 1, Col 12: Unknown variable "d": assign it before using it (service variables start with "$", e.g. $PendingTasks).' },
      ],
    });
    assert.equal(validateFormula(`a = b;${" ".repeat(MAX_FORMULA_LENGTH)}`).error?.code, "AutoScalingFormulaTooLong", "the length limit is reported first");
    const syntax = validateFormula("a = ;");
    assert.equal(syntax.error?.code, "AutoScalingFormulaSyntaxError");
    assert.equal(syntax.formula, undefined);
  });
});
