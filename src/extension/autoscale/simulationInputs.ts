// Why: reads what "Simulate" asks for (a load such as "40 x 5m @ 0m", durations such as "5m", whole numbers) into simulateAutoScale's options, with messages for bad input.

import type { AutoScaleLoad, SimulationOptions } from "../../autoscale";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest horizon offered: a week of 30-s steps stays fast (20 160 steps). */
export const MAX_HORIZON_MS = 7 * 86_400_000;

/** "90s", "5m", "1.5h", "2d", "250ms" → milliseconds; a bare number is minutes. Undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[(match[2] ?? "m").toLowerCase()];
}

/**
 * A load: batches separated by `;` or `,`, each `N x D [@ T]` — N tasks of duration D arriving at T (default 0).
 * "40 x 5m @ 0m; 100 x 30s @ 20m". Throws a RangeError saying what is wrong.
 */
export function parseLoad(text: string): AutoScaleLoad[] {
  const batches = text
    .split(/[;,]/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (batches.length === 0) throw new RangeError('Enter at least one batch of tasks, e.g. "40 x 5m @ 0m".');
  return batches.map((batch) => {
    const match = /^(\d+)\s*[x×*]\s*([^@]+?)\s*(?:@\s*(.+))?$/i.exec(batch);
    if (!match) throw new RangeError(`"${batch}" is not "N x DURATION @ ARRIVAL" (e.g. "40 x 5m @ 10m").`);
    const taskDurationMs = parseDuration(match[2]);
    const arrivalMs = match[3] === undefined ? 0 : parseDuration(match[3]);
    if (taskDurationMs === undefined || taskDurationMs <= 0) throw new RangeError(`"${match[2]}" in "${batch}" is not a positive duration (30s, 5m, 1h).`);
    if (arrivalMs === undefined) throw new RangeError(`"${match[3]}" in "${batch}" is not a duration (0m, 10m, 1h).`);
    return { taskCount: Number(match[1]), taskDurationMs, arrivalMs };
  });
}

/** An input box validator: undefined when `parse` accepts the text, else its message. */
export function validator<T>(parse: (text: string) => T): (text: string) => string | undefined {
  return (text) => {
    try {
      parse(text);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}

export function parsePositiveDuration(what: string, max = MAX_HORIZON_MS): (text: string) => number {
  return (text) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) throw new RangeError(`The ${what} must be a positive duration such as 30s, 5m or 2h.`);
    if (ms > max) throw new RangeError(`The ${what} may be at most ${max / 3_600_000} hours.`);
    return ms;
  };
}

/** A node start delay: 0 or more, at most a day. */
export function parseDelay(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms > 86_400_000) throw new RangeError("The node start delay must be a duration from 0s to 24h, such as 0s, 90s or 2m.");
  return ms;
}

export function parseWhole(what: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text.trim());
    if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) throw new RangeError(`The ${what} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** The answers of the Simulate prompts, as text (what the user typed). */
export interface SimulationAnswers {
  readonly load: string;
  readonly interval: string;
  readonly horizon: string;
  readonly slotsPerNode: string;
  readonly nodeStartDelay: string;
}

export const DEFAULT_ANSWERS: SimulationAnswers = {
  load: "40 x 5m @ 0m; 20 x 10m @ 45m",
  interval: "5m",
  horizon: "2h",
  slotsPerNode: "2",
  nodeStartDelay: "2m",
};

/** simulateAutoScale's options for `formula` and the answers; throws a RangeError naming the bad answer. */
export function simulationOptions(formula: string, answers: SimulationAnswers): SimulationOptions {
  return {
    formula,
    load: parseLoad(answers.load),
    evaluationIntervalMs: parsePositiveDuration("evaluation interval")(answers.interval),
    durationMs: parsePositiveDuration("horizon")(answers.horizon),
    taskSlotsPerNode: parseWhole("task slots per node", 1, 256)(answers.slotsPerNode),
    nodeStartDelayMs: parseDelay(answers.nodeStartDelay),
  };
}
