// Why: what the autoscale tests share: building sample histories relative to an evaluation instant, and one-call evaluation with a pool's current targets.

import { type AutoScaleEvaluation, evaluateFormula, type MetricSample, type MetricFigures, metricsFrom, type PoolTargets } from "../../src/autoscale";
import type { MetricName } from "../../src/autoscale/vocabulary";

export const SLOT_MS = 30_000;

/**
 * Samples recorded at `nowMs - slotsAgo * 30 s`, oldest first. With Batch's 60-s visibility delay,
 * slotsAgo 0 and 1 are recorded but not yet visible to the formula.
 */
export function samplesAt(nowMs: number, slotsAgoToValue: [slotsAgo: number, value: number][]): MetricSample[] {
  return slotsAgoToValue.map(([ago, value]) => ({ timeMs: nowMs - ago * SLOT_MS, value })).sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * Visible samples with the given values, newest-last, at consecutive slots ending 2 slots ago (the newest visible one),
 * skipping the slots in `missing` (counted the same way: 2 = the newest visible slot), plus two recorded-but-invisible
 * samples of `invisibleValue` that must never show up in results.
 */
export function visibleSeries(nowMs: number, values: number[], missing: number[] = [], invisibleValue = 1_000_000): MetricSample[] {
  const entries: [number, number][] = [
    [0, invisibleValue],
    [1, invisibleValue],
  ];
  let slot = 2;
  for (let i = values.length - 1; i >= 0; i--) {
    while (missing.includes(slot)) slot++;
    entries.push([slot++, values[i]]);
  }
  return samplesAt(nowMs, entries);
}

export interface EvalOptions {
  now?: string;
  histories?: Partial<Record<MetricName, MetricSample[]>>;
  current?: MetricFigures;
  pool?: Partial<PoolTargets>;
  random?: () => number;
}

export function evaluate(formula: string, options: EvalOptions = {}): AutoScaleEvaluation {
  return evaluateFormula(formula, {
    now: new Date(options.now ?? "2024-03-06T15:30:00Z"),
    metrics: metricsFrom(options.histories ?? {}, options.current ?? {}),
    pool: { targetDedicatedNodes: 0, targetLowPriorityNodes: 0, nodeDeallocationOption: "requeue", ...options.pool },
    random: options.random,
  });
}

/** the single "Message" value of a failed run */
export function errorMessage(evaluation: AutoScaleEvaluation): string {
  const values = evaluation.run.error?.values ?? [];
  if (values.length === 0) throw new Error(`expected a failed run, got results ${evaluation.run.results}`);
  return values[0].value;
}
