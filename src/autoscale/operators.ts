// Why: the documented operand/result table of every operator, used both to type-check (static kinds) and to compute (values), so the checker and the evaluator can never disagree.

import { LanguageError } from "./errors";
import type { BinaryOperator, UnaryOperator } from "./syntax";
import { bool, double, interval, timestamp, typeName, type Value, type ValueKind, vector } from "./values";

export type StaticKind = ValueKind | "any" | "never";

const ARITHMETIC = new Set<string>(["+", "-", "*", "/"]);
const COMPARISON = new Set<string>(["<", "<=", ">", ">=", "==", "!="]);

/** Metrics read as their current value wherever an operator needs a number. */
function operandKind(kind: StaticKind): StaticKind {
  return kind === "metric" ? "double" : kind;
}

/** The result kind of `l op r`, or undefined when the combination is not in the documented table. */
export function binaryResultKind(op: BinaryOperator, left: StaticKind, right: StaticKind): StaticKind | undefined {
  const l = operandKind(left);
  const r = operandKind(right);
  if (l === "never" || r === "never") return "never";
  if (l === "any" || r === "any") return COMPARISON.has(op) || op === "&&" || op === "||" ? "double" : "any";
  if (op === "&&" || op === "||") return l === "double" && r === "double" ? "double" : undefined;
  if (COMPARISON.has(op)) {
    if (l !== r) return undefined;
    if (l === "double" || l === "string" || l === "timestamp" || l === "timeinterval") return "double";
    // Choice: deallocation options may be tested for equality ($NodeDeallocationOption == requeue).
    return l === "option" && (op === "==" || op === "!=") ? "double" : undefined;
  }
  const pair = `${l} ${op} ${r}`;
  const table: Record<string, ValueKind> = {
    "double * timeinterval": "timeinterval",
    "timeinterval * double": "timeinterval",
    "timeinterval / double": "timeinterval",
    "timeinterval + timeinterval": "timeinterval",
    "timeinterval - timeinterval": "timeinterval",
    "timeinterval + timestamp": "timestamp",
    "timestamp + timeinterval": "timestamp",
    "timestamp - timestamp": "timeinterval",
  };
  if (l === "double" && r === "double") return "double";
  if (l === "doubleVec" && (r === "double" || r === "doubleVec")) return "doubleVec";
  return table[pair];
}

export function unaryResultKind(op: UnaryOperator, operand: StaticKind): StaticKind | undefined {
  const k = operandKind(operand);
  if (k === "any" || k === "never") return k;
  if (k === "double") return "double";
  return op === "-" && k === "timeinterval" ? "timeinterval" : undefined;
}

/** The message for a combination outside the table, with the usual fix where there is one. */
export function operatorMismatch(op: string, left: StaticKind, right?: StaticKind): string {
  if (right === undefined) return `Operator "${op}" cannot be applied to a ${typeName(left)}.`;
  const l = operandKind(left);
  const r = operandKind(right);
  let hint = "";
  if (l === "timestamp" && r === "timeinterval" && op === "-") hint = " Add a negative interval instead: t + (-1 * TimeInterval_Hour).";
  else if (l === "double" && r === "doubleVec" && ARITHMETIC.has(op)) hint = " Put the vector on the left (vector op number).";
  else if (l === "doubleVec" && r === "double" && COMPARISON.has(op)) hint = " Reduce the vector first, e.g. avg(v) or max(v).";
  return `Operator "${op}" is not defined for ${typeName(l)} ${op} ${typeName(r)}.${hint}`;
}

export function applyUnary(op: UnaryOperator, operand: Value): Value {
  const v = asOperand(operand);
  if (v.kind === "double") return op === "-" ? double(-v.value) : bool(v.value === 0);
  if (op === "-" && v.kind === "timeinterval") return interval(-v.ms);
  throw new LanguageError(operatorMismatch(op, v.kind));
}

/** `l op r` on values, for every operator except the short-circuiting && and || (the evaluator handles those). */
export function applyBinary(op: BinaryOperator, left: Value, right: Value): Value {
  const l = asOperand(left);
  const r = asOperand(right);
  const kind = binaryResultKind(op, l.kind, r.kind);
  if (kind === undefined) throw new LanguageError(operatorMismatch(op, l.kind, r.kind));
  if (COMPARISON.has(op)) return bool(compare(op, key(l), key(r)));
  if (op === "&&" || op === "||") return bool(op === "&&" ? truthy(l) && truthy(r) : truthy(l) || truthy(r));
  if (l.kind === "double" && r.kind === "double") return double(arith(op, l.value, r.value));
  if (l.kind === "doubleVec") {
    if (r.kind === "double") return vector(l.values.map((x) => arith(op, x, r.value)));
    if (r.kind === "doubleVec") {
      // Choice: vectors of different lengths are an error, not truncated or padded.
      if (l.values.length !== r.values.length) throw new LanguageError(`Vector lengths differ (${l.values.length} and ${r.values.length}) for "${op}".`);
      return vector(l.values.map((x, i) => arith(op, x, r.values[i])));
    }
  }
  if (l.kind === "double" && r.kind === "timeinterval") return interval(arith(op, l.value, r.ms));
  if (l.kind === "timeinterval" && r.kind === "double") return interval(arith(op, l.ms, r.value));
  if (l.kind === "timeinterval" && r.kind === "timeinterval") return interval(arith(op, l.ms, r.ms));
  if (l.kind === "timestamp" && r.kind === "timestamp") return interval(l.ms - r.ms);
  if (l.kind === "timestamp" && r.kind === "timeinterval") return timestamp(l.ms + r.ms);
  if (l.kind === "timeinterval" && r.kind === "timestamp") return timestamp(l.ms + r.ms);
  throw new LanguageError(operatorMismatch(op, l.kind, r.kind));
}

/** Choice: any non-zero double is true; && and || always give exactly 1 or 0. */
export function truthy(v: Value): boolean {
  if (v.kind !== "double") throw new LanguageError(`A condition must be a double (non-zero is true), got a ${typeName(v.kind)}.`);
  return v.value !== 0;
}

function asOperand(v: Value): Value {
  if (v.kind === "metric") throw new LanguageError(`internal: metric ${v.name} reached an operator unresolved`);
  return v;
}

/** Choice: division by zero is an evaluation error rather than inf/NaN, so a broken formula never sets a target. */
function arith(op: BinaryOperator, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    default:
      if (b === 0) throw new LanguageError("Division by zero.");
      return a / b;
  }
}

function key(v: Value): number | string {
  switch (v.kind) {
    case "double":
      return v.value;
    case "timestamp":
    case "timeinterval":
      return v.ms;
    case "string":
    case "option":
      return v.value;
    default:
      throw new LanguageError(`Values of type ${typeName(v.kind)} cannot be compared.`);
  }
}

/** Choice: strings compare by ordinal (UTF-16 code unit) order. */
function compare(op: BinaryOperator, a: number | string, b: number | string): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "==":
      return a === b;
    default:
      return a !== b;
  }
}
