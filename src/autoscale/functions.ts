// Why: every built-in function of the formula language, each with its documented signature, a static check for the checker and the computation for the evaluator.

import { LanguageError } from "./errors";
import type { StaticKind } from "./operators";
import { parseTimeString } from "./timeParsing";
import { double, formatDouble, timestamp, typeName, type Value, vector } from "./values";

export interface CallContext {
  nowMs: number;
  /** a number in [0, 1) */
  random: () => number;
}

export interface FunctionSpec {
  signature: string;
  doc: string;
  /** the result kind for these argument kinds, or a message saying what is wrong */
  check(args: StaticKind[]): StaticKind | { error: string };
  call(args: Value[], ctx: CallContext): Value;
}

/** Thrown by stop(): ends evaluation successfully with the assignments made so far. */
export class StopEvaluation extends Error {}

const isListKind = (k: StaticKind) => k === "double" || k === "doubleVec" || k === "metric" || k === "any" || k === "never";

function checkList(name: string, args: StaticKind[], result: StaticKind): StaticKind | { error: string } {
  const bad = args.findIndex((k) => !isListKind(k));
  return bad < 0 ? result : { error: `${name}() takes numbers and vectors (a doubleVecList); argument ${bad + 1} is a ${typeName(args[bad])}.` };
}

/** Flattens a doubleVecList: doubles and vectors, in order, into one list of numbers. */
function flatten(name: string, args: Value[]): number[] {
  return args.flatMap((a, i) => {
    if (a.kind === "double") return [a.value];
    if (a.kind === "doubleVec") return a.values;
    throw new LanguageError(`${name}() takes numbers and vectors (a doubleVecList); argument ${i + 1} is a ${typeName(a.kind)}.`);
  });
}

function nonEmpty(name: string, xs: number[]): number[] {
  // Choice: the mean/extremes of nothing are an evaluation error (sum, len and norm of nothing are 0).
  if (xs.length === 0) throw new LanguageError(`${name}() of an empty list has no value; guard with len(...) > 0 or GetSamplePercent.`);
  return xs;
}

function reducer(signature: string, doc: string, reduce: (xs: number[], name: string) => number): FunctionSpec {
  const name = signature.slice(0, signature.indexOf("("));
  return { signature, doc, check: (args) => checkList(name, args, "double"), call: (args) => double(reduce(flatten(name, args), name)) };
}

/** lg/ln/log/ceil/floor/round: one double gives a double; a vector or several arguments give a vector, element by element. */
function elementwise(signature: string, doc: string, f: (x: number, name: string) => number): FunctionSpec {
  const name = signature.slice(0, signature.indexOf("("));
  return {
    signature,
    doc,
    check: (args) => {
      if (args.length === 0) return { error: `${name}() needs at least one argument.` };
      const scalar = args.length === 1 && (args[0] === "double" || args[0] === "metric");
      return checkList(name, args, scalar ? "double" : args.length === 1 && args[0] === "any" ? "any" : "doubleVec");
    },
    call: (args) => {
      const xs = flatten(name, args).map((x) => f(x, name));
      return args.length === 1 && args[0].kind === "double" ? double(xs[0]) : vector(xs);
    },
  };
}

/** Choice: logarithms of zero or negative numbers are an evaluation error rather than -inf/NaN. */
function logarithm(base: (x: number) => number) {
  return (x: number, name: string) => {
    if (!(x > 0)) throw new LanguageError(`${name}(${formatDouble(x)}): the logarithm is only defined for positive numbers.`);
    return base(x);
  };
}

function fixedArity(signature: string, doc: string, kinds: StaticKind[][], result: StaticKind, call: FunctionSpec["call"]): FunctionSpec {
  const name = signature.slice(0, signature.indexOf("("));
  return {
    signature,
    doc,
    check: (args) => {
      if (args.length !== kinds.length)
        return { error: `${name}() takes ${kinds.length} argument${kinds.length === 1 ? "" : "s"}: ${signature}; got ${args.length}.` };
      const bad = args.findIndex((k, i) => k !== "any" && k !== "never" && !kinds[i].includes(k));
      return bad < 0
        ? result
        : {
            error: `${name}(): argument ${bad + 1} must be ${kinds[bad].filter((k) => k !== "metric").join(" or ")}, got a ${typeName(args[bad])}. Signature: ${signature}.`,
          };
    },
    call,
  };
}

const vectorArg = (name: string, v: Value): number[] => nonEmpty(name, flatten(name, [v]));

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  avg: reducer("avg(doubleVecList)", "Average of all values.", (xs, n) => nonEmpty(n, xs).reduce((a, b) => a + b, 0) / xs.length),
  len: reducer("len(doubleVecList)", "Number of values after flattening the list.", (xs) => xs.length),
  max: reducer("max(doubleVecList)", "Largest value.", (xs, n) => largest(nonEmpty(n, xs))),
  min: reducer("min(doubleVecList)", "Smallest value.", (xs, n) => smallest(nonEmpty(n, xs))),
  norm: reducer("norm(doubleVecList)", "Euclidean norm: square root of the sum of squares.", (xs) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0))),
  range: reducer("range(doubleVecList)", "Largest minus smallest value.", (xs, n) => largest(nonEmpty(n, xs)) - smallest(xs)),
  std: reducer("std(doubleVecList)", "Sample standard deviation (divides by n - 1; 0 for one value).", (xs, n) => sampleStd(nonEmpty(n, xs))),
  sum: reducer("sum(doubleVecList)", "Sum of all values.", (xs) => xs.reduce((a, b) => a + b, 0)),
  lg: elementwise("lg(doubleVecList)", "Base-2 logarithm; element-wise for a vector or several values.", logarithm(Math.log2)),
  ln: elementwise("ln(doubleVecList)", "Natural logarithm; element-wise for a vector or several values.", logarithm(Math.log)),
  log: elementwise("log(doubleVecList)", "Base-10 logarithm; element-wise for a vector or several values.", logarithm(Math.log10)),
  ceil: elementwise("ceil(doubleVecList)", "Smallest integer not below the value; element-wise for vectors.", Math.ceil),
  floor: elementwise("floor(doubleVecList)", "Largest integer not above the value; element-wise for vectors.", Math.floor),
  // Choice: halves round away from zero (C round): round(2.5) = 3, round(-2.5) = -3.
  round: elementwise(
    "round(doubleVecList)",
    "Nearest integer (halves away from zero); element-wise for vectors.",
    (x) => Math.sign(x) * Math.round(Math.abs(x)),
  ),
  percentile: fixedArity(
    "percentile(doubleVec v, double p)",
    "The p-th percentile (p from 0 to 100) of v, interpolated linearly between ranks.",
    [
      ["doubleVec", "double", "metric"],
      ["double", "metric"],
    ],
    "double",
    (args) => double(percentile(vectorArg("percentile", args[0]), scalarArg("percentile", args[1]))),
  ),
  rand: fixedArity("rand()", "A random number from 0 (inclusive) to 1 (exclusive).", [], "double", (_args, ctx) => double(ctx.random())),
  stop: fixedArity("stop()", "Stops evaluating the formula; assignments made so far stand.", [], "never", () => {
    throw new StopEvaluation();
  }),
  val: fixedArity(
    "val(doubleVec v, double i)",
    "The element of v at zero-based index i.",
    [
      ["doubleVec", "double", "metric"],
      ["double", "metric"],
    ],
    "double",
    (args) => {
      const xs = vectorArg("val", args[0]);
      const i = scalarArg("val", args[1]);
      // Choice: a fractional or out-of-range index is an evaluation error.
      if (!Number.isInteger(i) || i < 0 || i >= xs.length)
        throw new LanguageError(`val(v, ${formatDouble(i)}): the index must be a whole number from 0 to ${xs.length - 1}.`);
      return double(xs[i]);
    },
  ),
  time: {
    signature: "time(string s?)",
    doc: 'The current time (UTC) or the time written in s (W3C-DTF or RFC 1123); time("") is the current time.',
    check: (args) =>
      args.length > 1
        ? { error: `time() takes at most one argument; got ${args.length}.` }
        : args.length === 1 && !["string", "any", "never"].includes(args[0])
          ? { error: `time(s): s must be a string, got a ${typeName(args[0])}.` }
          : "timestamp",
    call: (args, ctx) => {
      const text = args[0];
      if (text !== undefined && text.kind !== "string") throw new LanguageError(`time(s): s must be a string, got a ${typeName(text.kind)}.`);
      return timestamp(text === undefined || text.value === "" ? ctx.nowMs : parseTimeString(text.value));
    },
  },
};

function scalarArg(name: string, v: Value): number {
  if (v.kind !== "double") throw new LanguageError(`${name}(): expected a double, got a ${typeName(v.kind)}.`);
  return v.value;
}

/** loops rather than Math.max(...xs): week-long sample windows hold tens of thousands of values */
function largest(xs: number[]): number {
  return xs.reduce((a, b) => Math.max(a, b), -Infinity);
}

function smallest(xs: number[]): number {
  return xs.reduce((a, b) => Math.min(a, b), Infinity);
}

function sampleStd(xs: number[]): number {
  if (xs.length === 1) return 0; // Choice: one value has no spread.
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}

/** Choice: p on a 0-100 scale, linear interpolation between closest ranks (Excel PERCENTILE.INC). */
function percentile(xs: number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new LanguageError(`percentile(v, ${formatDouble(p)}): p must be between 0 and 100.`);
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}
