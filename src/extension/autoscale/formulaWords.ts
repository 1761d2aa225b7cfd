// Why: what each word of the autoscale language means (service variables, functions, sample methods, constants, keywords), read from src/autoscale, for the editor's hover and completion.

import {
  DEALLOCATION_OPTIONS,
  FUNCTIONS,
  METRIC_DOCS,
  SAMPLE_METHOD_ARITY,
  SETTABLE_ALIASES,
  SETTABLE_DOCS,
  SETTABLE_VARIABLES,
  serviceVariable,
  TIME_INTERVALS,
  TIMESTAMP_MEMBERS,
} from "../../autoscale";

export type WordKind = "settable" | "metric" | "function" | "method" | "member" | "constant" | "keyword";

/** One word of the language with its signature (as shown in hover and completion) and its one-line doc. */
export interface FormulaWord {
  readonly name: string;
  readonly kind: WordKind;
  readonly signature: string;
  readonly doc: string;
}

const DEALLOCATION_DOCS: Readonly<Record<string, string>> = {
  requeue: "Stop running tasks on removed nodes at once and put them back in the queue (the default).",
  terminate: "Stop running tasks on removed nodes at once; they fail and are not run again.",
  taskcompletion: "Let running tasks finish before removing their nodes; no new tasks start on them.",
  retaineddata: "Let running tasks finish and keep their data until it expires before removing the nodes.",
};

const METHOD_DOCS: Readonly<Record<string, [string, string]>> = {
  GetSample: [
    "GetSample(count | window [, percent] | from, to [, percent])",
    "The metric's samples (a doubleVec): the last `count`, or those of a time window (look-back timeinterval or timestamps); fails when fewer than `percent` % of the window's samples exist.",
  ],
  GetSamplePercent: ["GetSamplePercent(window | from, to)", "The percentage (0–100) of the window's expected samples that are available."],
  GetSamplePeriod: ["GetSamplePeriod()", "The sampling period of the metric's history (a timeinterval)."],
  Count: ["Count()", "The number of samples in the metric's history."],
  HistoryBeginTime: ["HistoryBeginTime()", "The timestamp of the oldest sample in the metric's history."],
};

const MEMBER_DOCS: Readonly<Record<string, string>> = {
  year: "The year (UTC).",
  month: "The month, 1–12 (UTC).",
  day: "The day of the month, 1–31 (UTC).",
  weekday: "The day of the week: 0 Sunday, 1 Monday … 6 Saturday (UTC).",
  hour: "The hour, 0–23 (UTC).",
  minute: "The minute, 0–59.",
  second: "The second, 0–59.",
};

function intervalDoc(name: string): string {
  const ms = TIME_INTERVALS[name];
  return `A timeinterval constant: ${ms === 0 ? "zero" : ms < 1 ? `${ms * 1_000_000} ns` : `${ms.toLocaleString("en-US")} ms`}. Multiply by a double for other durations (5 * TimeInterval_Minute).`;
}

const settableWords = (): FormulaWord[] => [
  ...SETTABLE_VARIABLES.map((name) => ({ name, kind: "settable" as const, signature: `${name} (settable)`, doc: SETTABLE_DOCS[name] })),
  ...Object.entries(SETTABLE_ALIASES).map(([name, target]) => ({
    name,
    kind: "settable" as const,
    signature: `${name} (settable, older name of ${target})`,
    doc: SETTABLE_DOCS[target],
  })),
];

/** Every word, in the order completion lists them. */
export const FORMULA_WORDS: readonly FormulaWord[] = [
  ...settableWords(),
  ...Object.entries(METRIC_DOCS).map(([name, doc]) => ({ name, kind: "metric" as const, signature: `${name} (read-only metric)`, doc })),
  ...Object.entries(FUNCTIONS).map(([name, spec]) => ({ name, kind: "function" as const, signature: spec.signature, doc: spec.doc })),
  ...Object.keys(SAMPLE_METHOD_ARITY).map((name) => ({
    name,
    kind: "method" as const,
    signature: `.${METHOD_DOCS[name]?.[0] ?? `${name}()`}`,
    doc: METHOD_DOCS[name]?.[1] ?? "",
  })),
  ...Object.keys(TIMESTAMP_MEMBERS).map((name) => ({ name, kind: "member" as const, signature: `timestamp.${name}`, doc: MEMBER_DOCS[name] ?? "" })),
  ...Object.keys(TIME_INTERVALS).map((name) => ({ name, kind: "constant" as const, signature: name, doc: intervalDoc(name) })),
  ...DEALLOCATION_OPTIONS.map((name) => ({ name, kind: "keyword" as const, signature: `${name} (node deallocation option)`, doc: DEALLOCATION_DOCS[name] })),
];

const BY_NAME = new Map(FORMULA_WORDS.map((word) => [`${word.kind === "method" || word.kind === "member" ? "." : ""}${word.name}`, word]));

/**
 * The word `name` stands for; `afterDot` when it follows a `.` (sample methods and timestamp members).
 * Service variables match case-insensitively, as the checker does; everything else exactly.
 */
export function lookupWord(name: string, afterDot: boolean): FormulaWord | undefined {
  if (afterDot) return BY_NAME.get(`.${name}`);
  return BY_NAME.get(serviceVariable(name) ?? name);
}
