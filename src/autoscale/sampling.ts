// Why: Batch's sample-history semantics (30-s samples, visibility delay, sample percentage, "insufficient sample data") behind the metric methods GetSample, GetSamplePercent, GetSamplePeriod, Count and HistoryBeginTime.

import { ErrorCodes, LanguageError } from "./errors";
import { formatDouble, interval, timestamp, type Value, vector } from "./values";
import type { MetricName } from "./vocabulary";

export interface MetricSample {
  /** when the sample was recorded, ms since the Unix epoch */
  timeMs: number;
  value: number;
}

/** Where a formula's read-only variables come from: the local service's real figures, a simulation, or test data. */
export interface MetricsSource {
  /** what the variable reads as where a number is needed (e.g. `$CurrentDedicatedNodes * 2`) */
  current(metric: MetricName): number;
  /** every recorded sample, oldest first; samples newer than the visibility delay are filtered out by the evaluator */
  history(metric: MetricName): readonly MetricSample[];
}

export interface SamplingPolicy {
  /** one sample per period: Batch records every 30 s */
  periodMs: number;
  /** a sample becomes visible to formulas this long after it was recorded: about a minute on Batch */
  visibilityDelayMs: number;
}

export const BATCH_SAMPLING: SamplingPolicy = { periodMs: 30_000, visibilityDelayMs: 60_000 };

export const SAMPLE_METHODS = ["GetSample", "GetSamplePercent", "GetSamplePeriod", "Count", "HistoryBeginTime"] as const;

export interface SampleContext {
  nowMs: number;
  source: MetricsSource;
  policy: SamplingPolicy;
}

/** Runs `$metric.method(args)`. Throws LanguageError for bad arguments and for a window below its required percentage. */
export function callSampleMethod(metric: MetricName, method: string, args: Value[], ctx: SampleContext): Value {
  const visible = ctx.source.history(metric).filter((s) => s.timeMs <= ctx.nowMs - ctx.policy.visibilityDelayMs);
  switch (method) {
    case "GetSample":
      return getSample(metric, args, visible, ctx);
    case "GetSamplePercent": {
      if (args.length < 1 || args.length > 2)
        throw new LanguageError(`${metric}.GetSamplePercent takes a window: (interval or timestamp) or (from, to); got ${args.length} arguments.`);
      const window = windowOf(args[0], args[1], metric, "GetSamplePercent", ctx.nowMs);
      return { kind: "double", value: measure(visible, window, ctx.policy).percent };
    }
    case "GetSamplePeriod":
      noArgs(metric, method, args);
      return interval(ctx.policy.periodMs);
    case "Count":
      noArgs(metric, method, args);
      return { kind: "double", value: visible.length };
    case "HistoryBeginTime":
      noArgs(metric, method, args);
      if (visible.length === 0) throw new LanguageError(`${metric} has no samples yet, so HistoryBeginTime() has no value; check ${metric}.Count() > 0 first.`);
      return timestamp(visible[0].timeMs);
    default:
      throw new LanguageError(`${metric} has no method "${method}"; its methods are ${SAMPLE_METHODS.join(", ")}.`);
  }
}

function getSample(metric: MetricName, args: Value[], visible: MetricSample[], ctx: SampleContext): Value {
  if (args.length === 1 && args[0].kind === "double") {
    const n = args[0].value;
    if (!Number.isInteger(n) || n < 1)
      throw new LanguageError(`${metric}.GetSample(count): the count must be a whole number of at least 1, got ${formatDouble(n)}.`);
    // Choice: fewer than n available samples returns the ones that exist (possibly none); vectors are oldest first.
    return vector(visible.slice(Math.max(0, visible.length - n)).map((s) => s.value));
  }
  if (args.length < 1 || args.length > 3)
    throw new LanguageError(`${metric}.GetSample takes (count), (window), (window, percent), (from, to) or (from, to, percent); got ${args.length} arguments.`);
  const second = args[1];
  const twoBounds = second?.kind === "timeinterval" || second?.kind === "timestamp";
  if (second !== undefined && !twoBounds && second.kind !== "double") {
    throw new LanguageError(
      `${metric}.GetSample: the second argument is the required percentage (a double) or the window's other bound (timeinterval or timestamp), not a ${second.kind}.`,
    );
  }
  const window = windowOf(args[0], twoBounds ? second : undefined, metric, "GetSample", ctx.nowMs);
  const percentArg = twoBounds ? args[2] : second;
  if (!twoBounds && args.length === 3) throw new LanguageError(`${metric}.GetSample(from, to, percent): "to" must be a timeinterval or timestamp.`);
  // Choice: no required percentage means 0: the call never fails for missing data.
  let required = 0;
  if (percentArg !== undefined) {
    if (percentArg.kind !== "double")
      throw new LanguageError(`${metric}.GetSample: the required sample percentage must be a double (0-100), got ${percentArg.kind}.`);
    required = percentArg.value;
    if (!(required >= 0 && required <= 100))
      throw new LanguageError(`${metric}.GetSample: the required sample percentage must be between 0 and 100, got ${formatDouble(required)}.`);
  }
  const { samples, percent } = measure(visible, window, ctx.policy);
  if (percent < required) {
    // Choice: the received percentage is rounded down to a whole number, so "wanted 75%, received 74%" never reads as enough.
    throw new LanguageError(
      `Insufficient data from data set: ${metric} wanted ${formatDouble(required)}%, received ${Math.floor(percent)}%`,
      ErrorCodes.insufficientData,
    );
  }
  return vector(samples.map((s) => s.value));
}

interface Window {
  startMs: number;
  endMs: number;
}

/**
 * A look-back window. Intervals count back from now (of two, the nearer one ends the window); timestamps are absolute.
 * Choice: a sample belongs to the window when start < time <= end; mixed interval/timestamp bounds are allowed.
 */
function windowOf(from: Value, to: Value | undefined, metric: string, method: string, nowMs: number): Window {
  const instant = (v: Value, which: string): number => {
    if (v.kind === "timeinterval") {
      if (v.ms < 0) throw new LanguageError(`${metric}.${method}: the ${which} look-back must not be negative.`);
      return nowMs - v.ms;
    }
    if (v.kind === "timestamp") return v.ms;
    throw new LanguageError(
      `${metric}.${method}: the ${which} must be a timeinterval (look-back, e.g. 10 * TimeInterval_Minute) or a timestamp, got ${v.kind}.`,
    );
  };
  if (to === undefined) return { startMs: instant(from, "window"), endMs: nowMs };
  const a = instant(from, "first bound");
  const b = instant(to, "second bound");
  return { startMs: Math.min(a, b), endMs: Math.max(a, b) };
}

/** Visible samples in the window and the window's sample percentage: available ÷ possible at one per period × 100. */
function measure(visible: MetricSample[], window: Window, policy: SamplingPolicy): { samples: MetricSample[]; percent: number } {
  const samples = visible.filter((s) => s.timeMs > window.startMs && s.timeMs <= window.endMs);
  const possible = Math.max(1, Math.floor((window.endMs - window.startMs) / policy.periodMs));
  return { samples, percent: Math.min(100, (samples.length / possible) * 100) };
}

function noArgs(metric: string, method: string, args: Value[]): void {
  if (args.length > 0) throw new LanguageError(`${metric}.${method}() takes no arguments; got ${args.length}.`);
}
