// Why: account-wide totals that outlive the jobs, tasks, nodes and pools they came from (lifetime statistics, usage metrics), kept in the journal.
import type { BatchState } from "./batchState";
import { nowIso } from "./model";

/**
 * What task processes used, as one small array (on a task record: summed over its attempts):
 * [userCPU ms, kernelCPU ms, wall clock ms, read operations, write operations, bytes read, bytes written].
 */
export type TaskFigures = number[];
export const FIGURE_COUNT = 7;
export const USER_MS = 0;
export const KERNEL_MS = 1;
export const WALL_MS = 2;
export const READ_OPS = 3;
export const WRITE_OPS = 4;
export const READ_BYTES = 5;
export const WRITE_BYTES = 6;

/** Adds `more` into `total` (created where absent); returns the total. */
export function addFigures(total: TaskFigures | undefined, more: readonly number[]): TaskFigures {
  const sum = total ?? new Array<number>(FIGURE_COUNT).fill(0);
  for (let i = 0; i < FIGURE_COUNT; i++) sum[i] = (sum[i] ?? 0) + (more[i] ?? 0);
  return sum;
}

/** Job_GetAllLifetimeStatistics: every task attempt since the data folder's statistics began. */
export interface JobTotals {
  since: string;
  lastUpdate: string;
  figures: TaskFigures;
  succeeded: number;
  failed: number;
  retries: number;
  waitMs: number;
}

/** Pool_GetAllLifetimeStatistics: node time and the host's figures sampled while nodes existed. */
export interface PoolTotals {
  since: string;
  lastUpdate: string;
  dedicatedCoreMs: number;
  /** time sampled while at least one node existed, and the sums weighted by it */
  sampledMs: number;
  cpuPercentMs: number;
  memoryGiBMs: number;
  peakMemoryGiB: number;
  diskGiBMs: number;
  peakDiskGiB: number;
  diskReads: number;
  diskWrites: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  networkReadBytes: number;
  networkWriteBytes: number;
}

/** One aggregation interval of Pool_ListUsageMetrics: its start (ms since the epoch) and pool id → [vmSize, core milliseconds]. */
export interface UsageInterval {
  startMs: number;
  pools: Record<string, [string, number]>;
}

const JOBS = "jobs";
const POOLS = "pools";
const USAGE = "usage:";

function emptyJobs(now: string): JobTotals {
  return { since: now, lastUpdate: now, figures: new Array<number>(FIGURE_COUNT).fill(0), succeeded: 0, failed: 0, retries: 0, waitMs: 0 };
}

function emptyPools(now: string): PoolTotals {
  return {
    since: now,
    lastUpdate: now,
    dedicatedCoreMs: 0,
    sampledMs: 0,
    cpuPercentMs: 0,
    memoryGiBMs: 0,
    peakMemoryGiB: 0,
    diskGiBMs: 0,
    peakDiskGiB: 0,
    diskReads: 0,
    diskWrites: 0,
    diskReadBytes: 0,
    diskWriteBytes: 0,
    networkReadBytes: 0,
    networkWriteBytes: 0,
  };
}

/** The records begin when a service first runs on the data folder (called at start, so a read never writes). */
export function ensureTotals(state: BatchState): void {
  const now = nowIso();
  if (!state.statistics.has(JOBS)) state.statistics.set(JOBS, emptyJobs(now));
  if (!state.statistics.has(POOLS)) state.statistics.set(POOLS, emptyPools(now));
}

export function jobTotals(state: BatchState): JobTotals {
  return (state.statistics.get(JOBS) as JobTotals | undefined) ?? emptyJobs(nowIso());
}

export function poolTotals(state: BatchState): PoolTotals {
  return (state.statistics.get(POOLS) as PoolTotals | undefined) ?? emptyPools(nowIso());
}

/** Every interval with usage, earliest first. */
export function usageIntervals(state: BatchState): UsageInterval[] {
  const intervals: UsageInterval[] = [];
  for (const value of state.statistics.values()) {
    if (typeof (value as UsageInterval).startMs === "number") intervals.push(value as UsageInterval);
  }
  return intervals.sort((a, b) => a.startMs - b.startMs);
}

/** Adds core time of a pool to the interval starting at `startMs` (created where absent). */
export function addUsage(state: BatchState, startMs: number, poolId: string, vmSize: string, coreMs: number): void {
  const key = `${USAGE}${startMs}`;
  let interval = state.statistics.get(key) as UsageInterval | undefined;
  if (!interval) {
    interval = { startMs, pools: {} };
    state.statistics.set(key, interval);
  }
  const entry = interval.pools[poolId] ?? [vmSize, 0];
  entry[1] += coreMs;
  interval.pools[poolId] = entry;
  state.saveStatisticSoon(key);
}

/** Drops intervals that started before `oldestMs`. */
export function forgetUsageBefore(state: BatchState, oldestMs: number): void {
  for (const interval of usageIntervals(state)) if (interval.startMs < oldestMs) state.statistics.delete(`${USAGE}${interval.startMs}`);
}

/** An attempt's figures (zeros where not measured) with its wall clock time. */
export function attemptFigures(measured: readonly number[] | undefined, startTime: string, endTime: string): TaskFigures {
  const figures = addFigures(undefined, measured ?? []);
  figures[WALL_MS] = Math.max(0, Date.parse(endTime) - Date.parse(startTime)) || 0;
  return figures;
}

/** One finished attempt of a task (attemptFigures): it counts whatever became of the task. */
export function recordAttempt(state: BatchState, figures: TaskFigures): void {
  const totals = state.statistics.get(JOBS) as JobTotals | undefined;
  if (!totals) return;
  addFigures(totals.figures, figures);
  touchSoon(state, JOBS, totals);
}

/** A task retried, or completed (succeeded or failed) after waiting `waitMs` from its creation to its last start. */
export function recordTaskOutcome(state: BatchState, outcome: "retry" | "success" | "failure", waitMs = 0): void {
  const totals = state.statistics.get(JOBS) as JobTotals | undefined;
  if (!totals) return;
  if (outcome === "retry") totals.retries++;
  else {
    if (outcome === "success") totals.succeeded++;
    else totals.failed++;
    totals.waitMs += Math.max(0, waitMs);
  }
  touchSoon(state, JOBS, totals);
}

/** After the pool totals were changed in place. */
export function poolTotalsChanged(state: BatchState): void {
  const totals = state.statistics.get(POOLS) as PoolTotals | undefined;
  if (totals) touchSoon(state, POOLS, totals);
}

function touchSoon(state: BatchState, key: string, totals: { lastUpdate: string }): void {
  totals.lastUpdate = nowIso();
  state.saveStatisticSoon(key);
}
