// Why: finds what is wrong in a parsed formula before it runs (unknown names, wrong argument counts and types, operators outside the documented table, assignments to read-only variables, limits) as positioned diagnostics.

import { ErrorCodes } from "./errors";
import { FUNCTIONS } from "./functions";
import { caseHint, SAMPLE_METHOD_ARITY, sampleArgumentProblem, SAMPLE_METHOD_RESULTS, TIMESTAMP_MEMBERS, unknownMember } from "./members";
import { binaryResultKind, operatorMismatch, type StaticKind, unaryResultKind } from "./operators";
import { parseFormula } from "./parser";
import type { Diagnostic, Expr, Formula, Span } from "./syntax";
import { typeName } from "./values";
import { isMetric, serviceVariable, SETTABLE_VARIABLES, settableTarget, TIME_INTERVALS } from "./vocabulary";

/** Documented limits: 8 KB of formula text (8192 characters), at most 100 statements. */
export const MAX_FORMULA_LENGTH = 8192;
export const MAX_STATEMENTS = 100;

/** Parses and checks a formula: syntax errors first, then (on a formula that parsed) type and name errors and warnings. */
export function checkFormulaText(text: string): Diagnostic[] {
  const parsed = parseFormula(text);
  return parsed.diagnostics.length > 0 ? parsed.diagnostics : checkFormula(parsed.formula);
}

export function checkFormula(formula: Formula): Diagnostic[] {
  return new Checker().run(formula);
}

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly variables = new Map<string, StaticKind>();

  run(formula: Formula): Diagnostic[] {
    const whole = { offset: 0, length: formula.source.length, line: 1, column: 1 };
    if (formula.source.length > MAX_FORMULA_LENGTH) {
      this.error(whole, `The formula is ${formula.source.length} characters long; the limit is ${MAX_FORMULA_LENGTH}.`, ErrorCodes.tooLong);
    }
    if (formula.statements.length > MAX_STATEMENTS) {
      this.error(
        formula.statements[MAX_STATEMENTS].span,
        `The formula has ${formula.statements.length} statements; the limit is ${MAX_STATEMENTS}.`,
        ErrorCodes.syntax,
      );
    }
    for (const statement of formula.statements) {
      if (statement.type === "expression") {
        const kind = this.expr(statement.expr);
        const isStop = statement.expr.type === "call" && statement.expr.name === "stop";
        if (kind !== "any" && !isStop) this.warn(statement.span, "This statement computes a value that is never used; assign it (name = ...) or remove it.");
        continue;
      }
      this.assign(statement.name, statement.nameSpan, this.expr(statement.value));
    }
    return this.diagnostics;
  }

  private assign(written: string, span: Span, kind: StaticKind): void {
    const service = serviceVariable(written);
    if (service !== undefined) {
      const target = settableTarget(service);
      if (target === undefined) {
        this.error(span, `${service} is a read-only service variable; assign to a variable of your own (e.g. $my${service.slice(1)}) instead.`);
        return;
      }
      const wanted = target === "$NodeDeallocationOption" ? ["option", "string"] : ["double", "metric"];
      if (!["any", "never", ...wanted].includes(kind)) {
        const fix = target === "$NodeDeallocationOption" ? "requeue, terminate, taskcompletion or retaineddata" : "a double";
        this.error(span, `${target} must be set to ${fix}, not a ${typeName(kind)}.`);
      }
      return;
    }
    const near = SETTABLE_VARIABLES.find((s) => s !== written && closeTo(written.toLowerCase(), s.toLowerCase()));
    if (near) this.warn(span, `"${written}" is a variable of your own, not the service variable ${near}; check the spelling.`);
    this.variables.set(written, kind === "metric" ? "double" : kind);
  }

  private expr(e: Expr): StaticKind {
    switch (e.type) {
      case "number":
        return "double";
      case "string":
        return "string";
      case "keyword":
        return "option";
      case "constant":
        if (e.name in TIME_INTERVALS) return "timeinterval";
        return this.fail(
          e.span,
          `Unknown constant "${e.name}"; the constants are ${Object.keys(TIME_INTERVALS).join(", ")}.${caseHint(e.name, Object.keys(TIME_INTERVALS))}`,
        );
      case "variable":
        return this.variable(e.name, e.span);
      case "call": {
        const args = e.args.map((a) => this.expr(a));
        const spec = FUNCTIONS[e.name];
        if (!spec) {
          const method = e.name in SAMPLE_METHOD_RESULTS ? ` ${e.name} is a method: write $Metric.${e.name}(...).` : "";
          return this.fail(e.nameSpan, `Unknown function "${e.name}".${method}${caseHint(e.name, Object.keys(FUNCTIONS))}`);
        }
        const result = spec.check(args);
        return typeof result === "string" ? result : this.fail(e.span, result.error);
      }
      case "member": {
        const object = this.expr(e.object);
        if (object === "any" || object === "never") return object;
        if (object !== "timestamp") return this.fail(e.memberSpan, `".${e.member}" needs a timestamp, but this is a ${typeName(object)}.`);
        return e.member in TIMESTAMP_MEMBERS ? "double" : this.fail(e.memberSpan, unknownMember(e.member));
      }
      case "method":
        return this.method(e);
      case "unary": {
        const operand = this.expr(e.operand);
        return unaryResultKind(e.op, operand) ?? this.fail(e.span, operatorMismatch(e.op, operand));
      }
      case "binary": {
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        return binaryResultKind(e.op, left, right) ?? this.fail(e.opSpan, operatorMismatch(e.op, left, right));
      }
      case "conditional": {
        const test = this.expr(e.test);
        if (!["double", "metric", "any", "never"].includes(test))
          this.error(e.test.span, `A condition must be a double (non-zero is true), not a ${typeName(test)}.`);
        const a = normal(this.expr(e.consequent));
        const b = normal(this.expr(e.alternate));
        return a === "never" ? b : b === "never" || a === b ? a : "any";
      }
    }
  }

  private variable(written: string, span: Span): StaticKind {
    const service = serviceVariable(written);
    if (service !== undefined) {
      if (isMetric(service)) return "metric";
      return settableTarget(service) === "$NodeDeallocationOption" ? "option" : "double";
    }
    const known = this.variables.get(written);
    if (known !== undefined) return known;
    const other = written.startsWith("$") ? written.slice(1) : `$${written}`;
    const hint = this.variables.has(other) ? ` A variable "${other}" exists: "x" and "$x" are different names.` : caseHint(written, this.variables.keys());
    return this.fail(span, `Unknown variable "${written}": assign it before using it (service variables start with "$", e.g. $PendingTasks).${hint}`);
  }

  private method(e: Extract<Expr, { type: "method" }>): StaticKind {
    const object = this.expr(e.object);
    const args = e.args.map((a) => this.expr(a));
    if (object === "any" || object === "never") return object;
    if (object !== "metric")
      return this.fail(e.memberSpan, `.${e.method}() is a method of the service's metric variables (such as $PendingTasks), not of a ${typeName(object)}.`);
    const arity = SAMPLE_METHOD_ARITY[e.method];
    if (!arity)
      return this.fail(
        e.memberSpan,
        `Unknown method ".${e.method}"; the sample methods are ${Object.keys(SAMPLE_METHOD_ARITY).join(", ")}.${caseHint(e.method, Object.keys(SAMPLE_METHOD_ARITY))}`,
      );
    if (e.args.length < arity[0] || e.args.length > arity[1]) {
      const range = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
      return this.fail(e.span, `.${e.method}() takes ${range} argument${arity[1] === 1 ? "" : "s"}; got ${e.args.length}.`);
    }
    const problem = sampleArgumentProblem(e.method, args);
    return problem ? this.fail(e.span, problem) : SAMPLE_METHOD_RESULTS[e.method];
  }

  private fail(span: Span, message: string): StaticKind {
    this.error(span, message);
    return "any";
  }

  private error(span: Span, message: string, code: string = ErrorCodes.evaluation): void {
    this.diagnostics.push({ severity: "error", code, message, span });
  }

  private warn(span: Span, message: string): void {
    this.diagnostics.push({ severity: "warning", code: ErrorCodes.evaluation, message, span });
  }
}

function normal(kind: StaticKind): StaticKind {
  return kind === "metric" ? "double" : kind;
}

/** at most two single-character edits apart (a likely misspelling) */
function closeTo(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] <= 2;
}
