// Why: the readable parts of a timestamp (.year … .second) and the result kinds of the sample methods, shared by the checker and the evaluator.

import { LanguageError } from "./errors";
import type { ValueKind } from "./values";

/** Choice: .weekday numbers Sunday 0 through Saturday 6 (.NET DayOfWeek), so Monday is 1 as documented. */
export const TIMESTAMP_MEMBERS: Readonly<Record<string, (d: Date) => number>> = {
  year: (d) => d.getUTCFullYear(),
  month: (d) => d.getUTCMonth() + 1,
  day: (d) => d.getUTCDate(),
  weekday: (d) => d.getUTCDay(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  second: (d) => d.getUTCSeconds(),
};

export function timestampMember(ms: number, member: string): number {
  const read = TIMESTAMP_MEMBERS[member];
  if (!read) throw new LanguageError(unknownMember(member));
  return read(new Date(ms));
}

export function unknownMember(member: string): string {
  return `A timestamp has no member ".${member}"; its members are ${Object.keys(TIMESTAMP_MEMBERS)
    .map((m) => `.${m}`)
    .join(", ")}.`;
}

export const SAMPLE_METHOD_RESULTS: Readonly<Record<string, ValueKind>> = {
  GetSample: "doubleVec",
  GetSamplePercent: "double",
  GetSamplePeriod: "timeinterval",
  Count: "double",
  HistoryBeginTime: "timestamp",
};

/** the documented argument counts of each sample method */
export const SAMPLE_METHOD_ARITY: Readonly<Record<string, [number, number]>> = {
  GetSample: [1, 3],
  GetSamplePercent: [1, 2],
  GetSamplePeriod: [0, 0],
  Count: [0, 0],
  HistoryBeginTime: [0, 0],
};

type Kind = ValueKind | "any" | "never";
const TIME = ["timeinterval", "timestamp"];
const NUMBER = ["double", "metric"];

/** The documented argument shapes of the windowed sample methods; undefined when `kinds` fits one of them. */
export function sampleArgumentProblem(method: string, kinds: Kind[]): string | undefined {
  const fits = (shape: string[][]) =>
    shape.length === kinds.length && shape.every((allowed, i) => kinds[i] === "any" || kinds[i] === "never" || allowed.includes(kinds[i]));
  const shapes: Record<string, string[][][]> = {
    GetSample: [[[...NUMBER, ...TIME]], [TIME, [...NUMBER, ...TIME]], [TIME, TIME, NUMBER]],
    GetSamplePercent: [[TIME], [TIME, TIME]],
  };
  const options = shapes[method];
  if (!options || options.some(fits)) return undefined;
  const usage =
    method === "GetSample"
      ? "GetSample(count), GetSample(window), GetSample(window, percent), GetSample(from, to) or GetSample(from, to, percent), where windows and bounds are timeintervals (look-back) or timestamps"
      : "GetSamplePercent(window) or GetSamplePercent(from, to), with timeintervals (look-back) or timestamps";
  return `.${method}(${kinds.map((k) => (k === "metric" ? "double" : k)).join(", ")}) does not match ${usage}.`;
}

/** "did you mean" for a name that differs only in letter case from one of `known` */
export function caseHint(name: string, known: Iterable<string>): string {
  for (const k of known) if (k !== name && k.toLowerCase() === name.toLowerCase()) return ` Did you mean "${k}"?`;
  return "";
}
