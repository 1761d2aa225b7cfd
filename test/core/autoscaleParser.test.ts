// Why: the formula parser's grammar (statements, comments, precedence, associativity, postfix forms) and every syntax error it reports, with exact line, column, offset and length.

import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateFormula, metricsFrom, parseFormula } from "../../src/autoscale";
import type { Expr } from "../../src/autoscale/syntax";

/** the tree as a compact string: (a + (b * c)) */
function show(e: Expr): string {
  switch (e.type) {
    case "number":
      return String(e.value);
    case "string":
      return JSON.stringify(e.value);
    case "variable":
    case "constant":
    case "keyword":
      return e.name;
    case "call":
      return `${e.name}(${e.args.map(show).join(", ")})`;
    case "member":
      return `${show(e.object)}.${e.member}`;
    case "method":
      return `${show(e.object)}.${e.method}(${e.args.map(show).join(", ")})`;
    case "unary":
      return `(${e.op}${show(e.operand)})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "conditional":
      return `(${show(e.test)} ? ${show(e.consequent)} : ${show(e.alternate)})`;
  }
}

function expr(text: string): string {
  const parsed = parseFormula(`x = ${text}`);
  assert.deepEqual(parsed.diagnostics, [], text);
  const statement = parsed.formula.statements[0];
  assert.equal(statement.type, "assign");
  return show((statement as { value: Expr }).value);
}

function firstError(text: string) {
  const { diagnostics } = parseFormula(text);
  assert.ok(diagnostics.length > 0, `expected a syntax error in ${JSON.stringify(text)}`);
  const d = diagnostics[0];
  assert.equal(d.code, "AutoScalingFormulaSyntaxError");
  assert.equal(d.severity, "error");
  return { line: d.span.line, column: d.span.column, offset: d.span.offset, length: d.span.length, message: d.message };
}

describe("autoscale parser: grammar", () => {
  it("binds unary › * / › + - › relational › equality › && › || › ?: and ?: to the right", () => {
    assert.equal(expr("1 + 2 * 3"), "(1 + (2 * 3))");
    assert.equal(expr("-a * b"), "((-a) * b)");
    assert.equal(expr("!a && b || c"), "(((!a) && b) || c)");
    assert.equal(expr("a || b && c"), "(a || (b && c))");
    assert.equal(expr("$h >= 8 && $h < 18"), "(($h >= 8) && ($h < 18))");
    assert.equal(expr("a < b == c > d"), "((a < b) == (c > d))");
    assert.equal(expr("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
    assert.equal(expr("$tasks > 0 ? $tasks : max(1, 2)"), "(($tasks > 0) ? $tasks : max(1, 2))");
    assert.equal(
      expr("lifespan > startup ? ($x == 0 ? 0 : $TargetDedicatedNodes) : 4"),
      "((lifespan > startup) ? (($x == 0) ? 0 : $TargetDedicatedNodes) : 4)",
    );
  });

  it("makes binary operators left-associative and respects parentheses", () => {
    assert.equal(expr("10 - 4 - 3"), "((10 - 4) - 3)");
    assert.equal(expr("8 / 4 / 2"), "((8 / 4) / 2)");
    assert.equal(expr("10 - (4 - 3)"), "(10 - (4 - 3))");
    assert.equal(expr("--5"), "(-(-5))");
  });

  it("reads postfix members, sample methods, constants, keywords, strings and number forms", () => {
    assert.equal(expr("time().hour"), "time().hour");
    assert.equal(
      expr("$PendingTasks.GetSample(1 * TimeInterval_Minute, 6 * TimeInterval_Minute, 70)"),
      "$PendingTasks.GetSample((1 * TimeInterval_Minute), (6 * TimeInterval_Minute), 70)",
    );
    assert.equal(expr("$CPUPercent.Count()"), "$CPUPercent.Count()");
    assert.equal(expr("taskcompletion"), "taskcompletion");
    assert.equal(expr('time("2024-03-04T10:15:30Z")'), 'time("2024-03-04T10:15:30Z")');
    assert.equal(expr("1.5e3 + 2E-2 + 0.7 + 180"), "(((1500 + 0.02) + 0.7) + 180)");
  });

  it("accepts a missing or trailing ';', empty statements, comments and statements over several lines", () => {
    for (const text of ["$TargetDedicatedNodes=3", "$TargetDedicatedNodes=3;", ";;a = 1;;b = 2;", "// heading\na = 1; // note\nb =\n  a +\n  2"]) {
      assert.deepEqual(parseFormula(text).diagnostics, [], text);
    }
    const parsed = parseFormula("// heading\na = 1; // note\nb =\n  a +\n  2");
    assert.deepEqual(
      parsed.formula.statements.map((s) => s.type === "assign" && s.name),
      ["a", "b"],
    );
    const b = parsed.formula.statements[1];
    assert.deepEqual([b.span.line, b.span.column, b.span.offset], [3, 1, 26]);
  });

  it("parses a bare expression as a statement (the service rejects it at evaluation, not as syntax)", () => {
    const parsed = parseFormula("$something_useless");
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(parsed.formula.statements[0].type, "expression");
  });
});

describe("autoscale parser: syntax errors with positions", () => {
  it("points at the token where an expression was required", () => {
    assert.deepEqual(firstError("$TargetDedicatedNodes = min(4, ;"), {
      line: 1,
      column: 32,
      offset: 31,
      length: 1,
      message: 'Expected an expression (a number, a variable, a function call or a parenthesised expression), found ";".',
    });
  });

  it("counts lines and columns across line breaks and reports the end of the formula", () => {
    const e = firstError("a = 1;\nb = (2 + 3");
    assert.deepEqual([e.line, e.column, e.offset, e.length], [2, 11, 17, 0]);
    assert.match(e.message, /closing "\)".*found the end of the formula/);
  });

  it("requires ';' between statements", () => {
    const e = firstError("a = 1\nb = 2");
    assert.deepEqual([e.line, e.column], [2, 1]);
    assert.match(e.message, /Expected ";" between statements, found "b"/);
  });

  it("rejects an assignment to something that is not a name", () => {
    const e = firstError("5 = 3");
    assert.deepEqual([e.line, e.column, e.length], [1, 1, 1]);
    assert.match(e.message, /left side of "=" must be a variable name/);
  });

  it("rejects assigning to built-in constants and keywords", () => {
    assert.match(firstError("TimeInterval_Hour = 3").message, /built-in constant/);
    assert.match(firstError("requeue = 3").message, /built-in constant/);
  });

  it("names the fix for unsupported lexical forms", () => {
    const cases: [string, number, RegExp][] = [
      ["x = .5", 5, /write 0\.5/],
      ["x = 'a'", 5, /double quotes/],
      ['x = "abc', 5, /Unterminated string/],
      ["x = 1 & 2", 7, /"&&"/],
      ["x = 1 | 2", 7, /"\|\|"/],
      ["x = [1,2]", 5, /Vector literals/],
      ["/* note */ x = 1", 1, /Block comments/],
      ["x = 1 # 2", 7, /Unexpected character "#"/],
      ["x = $ + 1", 5, /"\$" must be followed by a variable name/],
      ["x = $1abc", 5, /"\$" must be followed by a variable name/],
      ['x = 1 "s"', 7, /Expected ";" between statements, found the string "s"/],
      ["x = 3abc", 5, /not a valid number or name/],
      ["x = $f(1)", 5, /not a function/],
      ["x = y.$z", 7, /member name after "."/],
      ["x = a ? b", 10, /":" of a conditional/],
    ];
    for (const [text, column, message] of cases) {
      const e = firstError(text);
      assert.equal(e.column, column, text);
      assert.match(e.message, message, text);
    }
  });

  it("recovers at ';' and reports every broken statement in source order", () => {
    const { formula, diagnostics } = parseFormula("a = (1;\nb = 2;\nc = * 3;\nd = 4");
    assert.deepEqual(
      diagnostics.map((d) => [d.span.line, d.span.column]),
      [
        [1, 7],
        [3, 5],
      ],
    );
    assert.deepEqual(
      formula.statements.map((s) => s.type === "assign" && s.name),
      ["b", "d"],
    );
  });

  it("never throws on arbitrary input: every fragment mix parses or reports positioned errors, and evaluates to a run", () => {
    const pieces = [
      "$TargetDedicatedNodes",
      "=",
      "x",
      "$PendingTasks",
      ".GetSample(",
      ")",
      "(",
      ",",
      ";",
      "?",
      ":",
      "1",
      "0.5",
      '"s"',
      "+",
      "-",
      "*",
      "/",
      "&&",
      "||",
      "!",
      "<",
      "==",
      "max(",
      "time()",
      ".hour",
      "TimeInterval_Hour",
      "requeue",
      "\n",
      "//c\n",
      "'",
      "[",
      "@",
      "stop()",
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    const pool = { targetDedicatedNodes: 1, targetLowPriorityNodes: 0, nodeDeallocationOption: "requeue" as const };
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + (next() % 12) }, () => pieces[next() % pieces.length]).join(" ");
      const { diagnostics } = parseFormula(text);
      for (const d of diagnostics) {
        assert.ok(d.span.offset >= 0 && d.span.offset + d.span.length <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(d.span)}`);
        assert.ok(d.span.line >= 1 && d.span.column >= 1);
      }
      const run = evaluateFormula(text, { now: new Date(0), metrics: metricsFrom({}), pool, random: () => 0.5 }).run;
      assert.ok(run.error === undefined || run.error.values.every((v) => /^Line \d+, Col \d+: /.test(v.value)), JSON.stringify(run.error));
    }
  });

  it("refuses absurd nesting with a message instead of overflowing the stack", () => {
    for (const text of [`x = ${"(".repeat(5000)}1${")".repeat(5000)}`, `x = ${"-".repeat(5000)}1`, `x = ${"max(".repeat(3000)}1${")".repeat(3000)}`]) {
      const e = firstError(text);
      assert.match(e.message, /nested more than 200 levels deep/);
    }
    assert.deepEqual(parseFormula(`x = ${"(".repeat(150)}1${")".repeat(150)}`).diagnostics, []);
  });
});
