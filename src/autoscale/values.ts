// Why: the runtime values of the formula language (double, doubleVec, string, timestamp, timeinterval, deallocation option, metric) and how the results string prints each one.

import type { DeallocationOption, MetricName } from "./vocabulary";

export type Value =
  | { kind: "double"; value: number }
  | { kind: "doubleVec"; values: number[] }
  | { kind: "string"; value: string }
  /** milliseconds since the Unix epoch, UTC */
  | { kind: "timestamp"; ms: number }
  /** signed duration in milliseconds (fractions allowed: TimeInterval_100ns is 0.0001) */
  | { kind: "timeinterval"; ms: number }
  | { kind: "option"; value: DeallocationOption }
  /** a read-only service variable: a sample history that reads as its current value where a number is needed */
  | { kind: "metric"; name: MetricName };

export type ValueKind = Value["kind"];

export const double = (value: number): Value => ({ kind: "double", value });
export const vector = (values: number[]): Value => ({ kind: "doubleVec", values });
export const timestamp = (ms: number): Value => ({ kind: "timestamp", ms });
export const interval = (ms: number): Value => ({ kind: "timeinterval", ms });
export const bool = (b: boolean): Value => double(b ? 1 : 0);

/** The language's type names, as used in messages. */
export function typeName(kind: ValueKind | "any" | "never"): string {
  switch (kind) {
    case "option":
      return "deallocation option";
    case "metric":
      return "sample history";
    default:
      return kind;
  }
}

/**
 * A double as C's `%g` prints it (six significant digits, trailing zeros dropped, exponent outside 1e-4..1e6),
 * which is what the service shows: `10`, `2.5`, `96.6667`.
 */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = x.toExponential(5).split("e");
    const sign = exp.startsWith("-") ? "-" : "+";
    return `${stripZeros(mantissa)}e${sign}${exp.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  return stripZeros(x.toFixed(Math.max(0, 5 - exponent)));
}

function stripZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** Choice: timestamps always print ISO-8601 UTC with milliseconds, `2024-03-06T10:30:00.000Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Choice (the service's format is unobserved): .NET TimeSpan style, `[-][d.]hh:mm:ss[.fffffff]`,
 * e.g. `00:10:00`, `1.02:00:00`, `-05:00:00`, `00:00:00.5000000`.
 */
export function formatInterval(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const ticks = Math.round(Math.abs(ms) * 10_000);
  const totalSeconds = Math.floor(ticks / 10_000_000);
  const fraction = ticks % 10_000_000;
  const days = Math.floor(totalSeconds / 86_400);
  const hh = String(Math.floor((totalSeconds % 86_400) / 3600)).padStart(2, "0");
  const mm = String(Math.floor((totalSeconds % 3600) / 60)).padStart(2, "0");
  const ss = String(totalSeconds % 60).padStart(2, "0");
  return `${sign}${days > 0 ? `${days}.` : ""}${hh}:${mm}:${ss}${fraction > 0 ? `.${String(fraction).padStart(7, "0")}` : ""}`;
}

/** How a value appears after `name=` in the results string. Choice: strings print as their raw text. */
export function formatValue(value: Value): string {
  switch (value.kind) {
    case "double":
      return formatDouble(value.value);
    case "doubleVec":
      return `[${value.values.map(formatDouble).join(",")}]`;
    case "string":
      return value.value;
    case "timestamp":
      return formatTimestamp(value.ms);
    case "timeinterval":
      return formatInterval(value.ms);
    case "option":
      return value.value;
    case "metric":
      return value.name;
  }
}
