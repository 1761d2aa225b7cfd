// Why: replays a formula over a chosen load in simulated time (no timers, deterministic) and returns node counts and task figures per sampling step, for the "Simulate" plot.

import { evaluateFormula } from "./evaluator";
import { RecordedMetrics } from "./recordedMetrics";
import type { AutoScaleRun, PoolTargets } from "./results";
import { BATCH_SAMPLING, type SamplingPolicy } from "./sampling";
import { SimulatedPool } from "./simulatedPool";

/** A batch of tasks that arrives at once, e.g. a job of N tasks of duration D added at T. */
export interface AutoScaleLoad {
  /** when the tasks are added, in ms after the start */
  arrivalMs: number;
  taskCount: number;
  taskDurationMs: number;
}

export interface SimulationOptions {
  formula: string;
  /** time between scheduled evaluations; the first runs at the start, as when autoscale is enabled */
  evaluationIntervalMs: number;
  /** how long to simulate, in ms */
  durationMs: number;
  load: AutoScaleLoad[];
  taskSlotsPerNode?: number;
  /** how long a new node takes before it can run tasks */
  nodeStartDelayMs?: number;
  initialDedicatedNodes?: number;
  initialLowPriorityNodes?: number;
  /** the simulated wall-clock start (what time() returns at step 0); default 2024-01-01T00:00:00Z */
  startTime?: Date;
  /** sampling period (also the simulation step) and visibility delay; default Batch's 30 s / 60 s */
  sampling?: SamplingPolicy;
  /** seed for rand(); the same options always give the same result */
  seed?: number;
}

export interface SimulationPoint {
  /** ms after the start */
  timeMs: number;
  dedicatedNodes: number;
  lowPriorityNodes: number;
  /** nodes that have finished starting */
  readyNodes: number;
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  activeTasks: number;
  runningTasks: number;
  pendingTasks: number;
  succeededTasks: number;
  failedTasks: number;
}

export interface SimulationResult {
  points: SimulationPoint[];
  /** every scheduled evaluation, with the AutoScaleRun the service would store on the pool */
  evaluations: { timeMs: number; run: AutoScaleRun }[];
}

const MAX_STEPS = 100_000;

export function simulateAutoScale(options: SimulationOptions): SimulationResult {
  validate(options);
  const sampling = options.sampling ?? BATCH_SAMPLING;
  const startMs = (options.startTime ?? new Date("2024-01-01T00:00:00Z")).getTime();
  const pool = new SimulatedPool(options.taskSlotsPerNode ?? 1, options.nodeStartDelayMs ?? 0);
  pool.addReadyNodes(options.initialDedicatedNodes ?? 0, false);
  pool.addReadyNodes(options.initialLowPriorityNodes ?? 0, true);
  let targets: PoolTargets = {
    targetDedicatedNodes: options.initialDedicatedNodes ?? 0,
    targetLowPriorityNodes: options.initialLowPriorityNodes ?? 0,
    nodeDeallocationOption: "requeue",
  };
  const metrics = new RecordedMetrics();
  const random = seededRandom(options.seed ?? 1);
  const arrivals = [...options.load].sort((a, b) => a.arrivalMs - b.arrivalMs);
  const result: SimulationResult = { points: [], evaluations: [] };
  let nextEvaluationMs = 0;
  for (let t = 0; t <= options.durationMs; t += sampling.periodMs) {
    while (arrivals.length > 0 && arrivals[0].arrivalMs <= t) {
      const job = arrivals.shift()!;
      pool.enqueue(job.taskCount, job.taskDurationMs);
    }
    pool.advance(t);
    const { readyNodes, ...figures } = pool.figures(t);
    metrics.record(startMs + t, figures);
    if (t >= nextEvaluationMs) {
      const evaluation = evaluateFormula(options.formula, { now: new Date(startMs + t), metrics, pool: targets, sampling, random });
      result.evaluations.push({ timeMs: t, run: evaluation.run });
      if (evaluation.apply) {
        targets = evaluation.apply;
        pool.resize(t, targets.targetDedicatedNodes, targets.targetLowPriorityNodes, targets.nodeDeallocationOption);
        pool.advance(t); // nodes that are ready at once (no start delay) take work in the same step
      }
      // an interval shorter than (or not a multiple of) the sampling step evaluates at the first step at or after each tick
      while (nextEvaluationMs <= t) nextEvaluationMs += options.evaluationIntervalMs;
    }
    const after = pool.figures(t);
    result.points.push({
      timeMs: t,
      dedicatedNodes: after.$CurrentDedicatedNodes ?? 0,
      lowPriorityNodes: after.$CurrentLowPriorityNodes ?? 0,
      readyNodes: after.readyNodes,
      targetDedicatedNodes: targets.targetDedicatedNodes,
      targetLowPriorityNodes: targets.targetLowPriorityNodes,
      activeTasks: after.$ActiveTasks ?? 0,
      runningTasks: after.$RunningTasks ?? 0,
      pendingTasks: after.$PendingTasks ?? 0,
      succeededTasks: after.$SucceededTasks ?? 0,
      failedTasks: after.$FailedTasks ?? 0,
    });
  }
  return result;
}

function validate(o: SimulationOptions): void {
  const need = (ok: boolean, field: string, rule: string, got: unknown) => {
    if (!ok) throw new RangeError(`simulateAutoScale: "${field}" must be ${rule}; got ${JSON.stringify(got)}.`);
  };
  const whole = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  need(typeof o.formula === "string", "formula", "the formula text", o.formula);
  need(
    Number.isFinite(o.evaluationIntervalMs) && o.evaluationIntervalMs > 0,
    "evaluationIntervalMs",
    "a positive number of milliseconds",
    o.evaluationIntervalMs,
  );
  need(Number.isFinite(o.durationMs) && o.durationMs >= 0, "durationMs", "0 or more milliseconds", o.durationMs);
  const period = o.sampling?.periodMs ?? BATCH_SAMPLING.periodMs;
  need(Number.isFinite(period) && period > 0, "sampling.periodMs", "a positive number of milliseconds", period);
  need(o.durationMs / period <= MAX_STEPS, "durationMs", `at most ${MAX_STEPS} sampling periods`, o.durationMs);
  need(
    o.taskSlotsPerNode === undefined || (whole(o.taskSlotsPerNode) && o.taskSlotsPerNode > 0),
    "taskSlotsPerNode",
    "a whole number of at least 1",
    o.taskSlotsPerNode,
  );
  need(o.nodeStartDelayMs === undefined || o.nodeStartDelayMs >= 0, "nodeStartDelayMs", "0 or more milliseconds", o.nodeStartDelayMs);
  need(
    o.initialDedicatedNodes === undefined || whole(o.initialDedicatedNodes),
    "initialDedicatedNodes",
    "a whole number of at least 0",
    o.initialDedicatedNodes,
  );
  need(
    o.initialLowPriorityNodes === undefined || whole(o.initialLowPriorityNodes),
    "initialLowPriorityNodes",
    "a whole number of at least 0",
    o.initialLowPriorityNodes,
  );
  need(Array.isArray(o.load), "load", "a list of {arrivalMs, taskCount, taskDurationMs}", o.load);
  o.load.forEach((job, i) => {
    need(Number.isFinite(job.arrivalMs) && job.arrivalMs >= 0, `load[${i}].arrivalMs`, "0 or more milliseconds", job.arrivalMs);
    need(whole(job.taskCount), `load[${i}].taskCount`, "a whole number of at least 0", job.taskCount);
    need(Number.isFinite(job.taskDurationMs) && job.taskDurationMs > 0, `load[${i}].taskDurationMs`, "a positive number of milliseconds", job.taskDurationMs);
  });
}

/** mulberry32: a small, well-known deterministic generator giving [0, 1) */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
