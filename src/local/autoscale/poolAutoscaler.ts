// Why: the local service's autoscale engine: samples each autoscale pool's real figures, evaluates its formula at its interval, stores autoScaleRun and drives the node count through the resize path.
import { type AutoScaleEvaluation, evaluateFormula, type PoolTargets, RecordedMetrics } from "../../autoscale";
import type { Logger } from "../common/logger";
import { parseIsoDuration } from "../node/isoDuration";
import { idKey } from "../protocol/ids";
import type { BatchState } from "../store/batchState";
import type { PoolRecord } from "../store/model";
import { type AutoscaleTiming, DEFAULT_INTERVAL } from "./autoscaleTiming";
import { poolFigures } from "./poolFigures";

export interface PoolAutoscalerDeps {
  state: BatchState;
  logger: Logger;
  timing: AutoscaleTiming;
  /** applies new targets the way Pool_Resize does (allocation state, dispatcher) */
  resize(pool: PoolRecord, targets: Record<string, unknown>): void;
}

export function poolTargets(pool: PoolRecord): PoolTargets {
  const option = pool.wire.nodeDeallocationOption;
  return {
    targetDedicatedNodes: Number(pool.wire.targetDedicatedNodes ?? 0),
    targetLowPriorityNodes: Number(pool.wire.targetLowPriorityNodes ?? 0),
    nodeDeallocationOption: (typeof option === "string" ? option : "requeue") as PoolTargets["nodeDeallocationOption"],
  };
}

export class PoolAutoscaler {
  private readonly metrics = new Map<string, RecordedMetrics>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastEnable = new Map<string, number>();
  private sampler: NodeJS.Timeout | undefined;
  private lastSampleMs = 0;
  private stopped = false;

  constructor(private readonly deps: PoolAutoscalerDeps) {}

  get timing(): AutoscaleTiming {
    return this.deps.timing;
  }

  /** Resumes every pool that had autoscale on (a restart evaluates at once, then at the interval) and starts sampling. */
  start(): void {
    for (const pool of this.deps.state.pools.values()) if (pool.wire.enableAutoScale === true && pool.wire.state !== "deleting") this.enabled(pool);
    this.sampler = setInterval(() => this.sample(), this.deps.timing.sampling.periodMs);
    this.sampler.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.sampler) clearInterval(this.sampler);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Time left before this pool accepts another enableAutoScale (0 when it may). Records the call when it may. */
  claimEnable(poolId: string): number {
    const now = Date.now();
    const last = this.lastEnable.get(idKey(poolId));
    if (last !== undefined && now - last < this.deps.timing.enableThrottleMs) return this.deps.timing.enableThrottleMs - (now - last);
    this.lastEnable.set(idKey(poolId), now);
    return 0;
  }

  /** Autoscale was turned on (or its formula/interval changed): evaluate now, then every interval from now. */
  enabled(pool: PoolRecord): void {
    this.runScheduled(pool.wire.id);
  }

  disabled(poolId: string): void {
    const key = idKey(poolId);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.metrics.delete(key);
    this.lastEnable.delete(key);
  }

  /** Evaluates `formula` against the pool's samples and targets without applying anything (Pool_EvaluateAutoScale). */
  evaluate(pool: PoolRecord, formula: string): AutoScaleEvaluation {
    const metrics = this.metricsOf(pool);
    metrics.setCurrent(poolFigures(this.deps.state, pool));
    return evaluateFormula(formula, { now: new Date(), metrics, pool: poolTargets(pool), sampling: this.deps.timing.sampling });
  }

  private metricsOf(pool: PoolRecord): RecordedMetrics {
    const key = idKey(pool.wire.id);
    let metrics = this.metrics.get(key);
    if (!metrics) {
      metrics = new RecordedMetrics(Math.max(86_400_000 * (this.deps.timing.sampling.periodMs / 30_000), 60_000));
      this.metrics.set(key, metrics);
    }
    return metrics;
  }

  private sample(): void {
    if (this.stopped) return;
    const now = Math.max(Date.now(), this.lastSampleMs + 1);
    this.lastSampleMs = now;
    for (const pool of this.deps.state.pools.values()) {
      if (pool.wire.enableAutoScale !== true) continue;
      this.metricsOf(pool).record(now, poolFigures(this.deps.state, pool));
    }
  }

  private runScheduled(poolId: string): void {
    const key = idKey(poolId);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const pool = this.deps.state.getPool(poolId);
    if (this.stopped || !pool || pool.wire.enableAutoScale !== true || pool.wire.state === "deleting") return;
    try {
      this.applyRun(pool);
    } catch (error) {
      this.deps.logger.error(`autoscale evaluation of pool ${poolId} failed: ${(error as Error).message}`);
    }
    const intervalMs = parseIsoDuration(String(pool.wire.autoScaleEvaluationInterval ?? DEFAULT_INTERVAL)) ?? 15 * 60_000;
    const timer = setTimeout(() => this.runScheduled(poolId), Math.max(intervalMs, this.deps.timing.minIntervalMs));
    timer.unref();
    this.timers.set(key, timer);
  }

  private applyRun(pool: PoolRecord): void {
    const evaluation = this.evaluate(pool, String(pool.wire.autoScaleFormula ?? ""));
    const { run } = evaluation;
    pool.wire.autoScaleRun = { timestamp: run.timestamp.toISOString(), results: run.results, ...(run.error ? { error: run.error } : {}) };
    const current = poolTargets(pool);
    const apply = evaluation.apply;
    if (
      apply &&
      (apply.targetDedicatedNodes !== current.targetDedicatedNodes ||
        apply.targetLowPriorityNodes !== current.targetLowPriorityNodes ||
        apply.nodeDeallocationOption !== current.nodeDeallocationOption)
    ) {
      try {
        this.deps.resize(pool, { ...apply });
        this.deps.logger.info(`autoscale of pool ${pool.wire.id}: ${run.results}`);
        return;
      } catch (error) {
        this.deps.logger.warn(`autoscale of pool ${pool.wire.id} could not resize: ${(error as Error).message}`);
      }
    }
    if (run.error) this.deps.logger.info(`autoscale of pool ${pool.wire.id} failed: ${run.error.code}`);
    this.deps.state.touch(pool.wire);
    this.deps.state.savePool(pool);
  }
}
