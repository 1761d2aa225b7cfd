// Why: Batch's autoscale clock (5-minute minimum interval, 30-s samples visible after 60 s, one enable per 30 s) and the local-only override that shrinks all of it proportionally for fast tests.
import { BATCH_SAMPLING, type SamplingPolicy } from "../../autoscale";

export const AZURE_MIN_INTERVAL_MS = 5 * 60_000;
export const MAX_INTERVAL_MS = 168 * 3_600_000;
export const DEFAULT_INTERVAL = "PT15M";
const ENABLE_THROTTLE_MS = 30_000;
/** The smallest override accepted: below this the sampling period would be a few milliseconds. */
export const MIN_OVERRIDE_MS = 100;

export interface AutoscaleTiming {
  /** the shortest autoScaleEvaluationInterval the service accepts */
  minIntervalMs: number;
  /** how often metrics are sampled and how long a sample stays invisible to formulas */
  sampling: SamplingPolicy;
  /** at most one enableAutoScale per pool in this period */
  enableThrottleMs: number;
}

/**
 * Azure's timing, or — when `minIntervalOverrideMs` is given (`local start --autoscale-min-interval <ms>`) — the
 * same clock scaled by override / 5 min: with 1000 ms, samples every 100 ms, visible after 200 ms, one enable per
 * 100 ms. Formula time (TimeInterval_Minute, time()) stays real time.
 */
export function autoscaleTiming(minIntervalOverrideMs?: number): AutoscaleTiming {
  if (minIntervalOverrideMs === undefined) return { minIntervalMs: AZURE_MIN_INTERVAL_MS, sampling: BATCH_SAMPLING, enableThrottleMs: ENABLE_THROTTLE_MS };
  if (!Number.isFinite(minIntervalOverrideMs) || minIntervalOverrideMs < MIN_OVERRIDE_MS || minIntervalOverrideMs > AZURE_MIN_INTERVAL_MS)
    throw new Error(`--autoscale-min-interval must be from ${MIN_OVERRIDE_MS} to ${AZURE_MIN_INTERVAL_MS} milliseconds, got ${minIntervalOverrideMs}.`);
  const scale = minIntervalOverrideMs / AZURE_MIN_INTERVAL_MS;
  return {
    minIntervalMs: minIntervalOverrideMs,
    sampling: { periodMs: BATCH_SAMPLING.periodMs * scale, visibilityDelayMs: BATCH_SAMPLING.visibilityDelayMs * scale },
    enableThrottleMs: ENABLE_THROTTLE_MS * scale,
  };
}
