// Why: an in-memory MetricsSource that records one sample per metric at each sampling instant, used by the simulation and available to the local service for its real task and node figures.

import type { MetricSample, MetricsSource } from "./sampling";
import { METRIC_NAMES, type MetricName } from "./vocabulary";

export type MetricFigures = Partial<Record<MetricName, number>>;

export class RecordedMetrics implements MetricsSource {
  private readonly samples = new Map<MetricName, MetricSample[]>();
  private readonly latest = new Map<MetricName, number>();

  /**
   * @param maxHistoryMs samples older than this (relative to the newest recording) are dropped; Batch keeps
   *   enough history for look-backs of hours, so the default keeps one day.
   */
  constructor(private readonly maxHistoryMs = 86_400_000) {}

  /** Records the figures as samples taken at `timeMs` (metrics not given record 0) and makes them the current values. */
  record(timeMs: number, figures: MetricFigures): void {
    for (const name of METRIC_NAMES) {
      const value = figures[name] ?? 0;
      const list = this.samples.get(name) ?? [];
      const last = list[list.length - 1];
      if (last !== undefined && last.timeMs >= timeMs)
        throw new Error(`RecordedMetrics.record: time ${timeMs} is not after the last sample (${last.timeMs}) of ${name}.`);
      list.push({ timeMs, value });
      while (list.length > 0 && list[0].timeMs < timeMs - this.maxHistoryMs) list.shift();
      this.samples.set(name, list);
      this.latest.set(name, value);
    }
  }

  /** Updates what metrics read as right now without recording a sample (e.g. between sampling instants). */
  setCurrent(figures: MetricFigures): void {
    for (const [name, value] of Object.entries(figures) as [MetricName, number][]) this.latest.set(name, value);
  }

  current(metric: MetricName): number {
    return this.latest.get(metric) ?? 0;
  }

  history(metric: MetricName): readonly MetricSample[] {
    return this.samples.get(metric) ?? [];
  }
}

/** A MetricsSource from explicit histories (oldest first) and current values: what tests and callers with their own store use. */
export function metricsFrom(histories: Partial<Record<MetricName, MetricSample[]>>, current: MetricFigures = {}): MetricsSource {
  return {
    current: (metric) => current[metric] ?? histories[metric]?.at(-1)?.value ?? 0,
    history: (metric) => histories[metric] ?? [],
  };
}
