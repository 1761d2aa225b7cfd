// Why: the autoscale operations (enable, disable, evaluate) and the autoscale checks of Pool_Add, in the service's error shapes.
import { type AutoScaleRunError, validateFormula } from "../../autoscale";
import { AZURE_MIN_INTERVAL_MS, DEFAULT_INTERVAL, MAX_INTERVAL_MS } from "../autoscale/autoscaleTiming";
import type { PoolAutoscaler } from "../autoscale/poolAutoscaler";
import { parseIsoDuration } from "../node/isoDuration";
import { BatchServiceError, conflict, invalidPropertyValue, missingRequiredProperty } from "../protocol/batchError";
import type { Router } from "../server/router";
import type { PoolRecord, Wire } from "../store/model";
import type { HandlerDeps } from "./context";
import { MAX_LOCAL_NODES, poolUrl, requirePool, resizePool } from "./pools";
import { checkConditions, updated } from "./replies";

const AUTOSCALE_PROPERTIES = ["autoScaleFormula", "autoScaleEvaluationInterval", "autoScaleRun"] as const;

function autoscalerOf(deps: HandlerDeps): PoolAutoscaler {
  if (!deps.autoscaler) throw new BatchServiceError(501, "NotImplementedLocally", "This local Batch service was started without its autoscale engine.");
  return deps.autoscaler;
}

/** 400 with the formula's error code and one `Message` value per problem (`Line L, Col C: …`). */
function formulaRejected(error: AutoScaleRunError): BatchServiceError {
  return new BatchServiceError(
    400,
    error.code,
    `${error.message}: ${error.values.map((v) => v.value).join(" ")} Fix autoScaleFormula and send the request again.`,
    error.values.map((v) => ({ key: v.name, value: v.value })),
  );
}

export function checkFormulaProperty(formula: unknown): string {
  if (typeof formula !== "string" || formula.trim() === "") throw missingRequiredProperty("autoScaleFormula");
  const { error } = validateFormula(formula);
  if (error) throw formulaRejected(error);
  return formula;
}

export function checkInterval(deps: HandlerDeps, interval: unknown): string {
  const minimumMs = deps.autoscaler?.timing.minIntervalMs ?? AZURE_MIN_INTERVAL_MS;
  const ms = typeof interval === "string" ? parseIsoDuration(interval) : undefined;
  if (ms === undefined || ms < minimumMs || ms > MAX_INTERVAL_MS) {
    const minimum = minimumMs === AZURE_MIN_INTERVAL_MS ? "5 minutes (PT5M)" : `${minimumMs} ms (the local --autoscale-min-interval)`;
    throw invalidPropertyValue("autoScaleEvaluationInterval", interval, `The interval must be an ISO 8601 duration from ${minimum} to 168 hours (PT168H).`);
  }
  return interval as string;
}

/** Pool_Add with enableAutoScale: a valid formula and interval are required and fixed targets are refused. Turns the body into the pool's autoscale properties. */
export function checkAutoScaleOnAdd(deps: HandlerDeps, body: Record<string, unknown>): void {
  if (body.enableAutoScale !== true) {
    for (const property of AUTOSCALE_PROPERTIES) delete body[property];
    return;
  }
  autoscalerOf(deps);
  for (const property of ["targetDedicatedNodes", "targetLowPriorityNodes"]) {
    if (body[property] !== undefined)
      throw invalidPropertyValue(property, body[property], `${property} must not be specified when enableAutoScale is true; the formula sets it.`);
  }
  body.autoScaleFormula = checkFormulaProperty(body.autoScaleFormula);
  body.autoScaleEvaluationInterval = body.autoScaleEvaluationInterval === undefined ? DEFAULT_INTERVAL : checkInterval(deps, body.autoScaleEvaluationInterval);
}

/** What the autoscaler applies: the formula's targets through Pool_Resize's path, capped at what a local pool may have (as a quota caps a real one). */
export function resizeForAutoscale(deps: HandlerDeps, pool: PoolRecord, targets: Record<string, unknown>): void {
  const capped = (value: unknown) => Math.min(MAX_LOCAL_NODES, Number(value ?? 0));
  resizePool(deps, pool, {
    targetDedicatedNodes: capped(targets.targetDedicatedNodes),
    targetLowPriorityNodes: capped(targets.targetLowPriorityNodes),
    nodeDeallocationOption: targets.nodeDeallocationOption,
  });
}

function turnOff(wire: Wire): void {
  wire.enableAutoScale = false;
  for (const property of AUTOSCALE_PROPERTIES) delete wire[property];
}

function openPool(deps: HandlerDeps, poolId: string): PoolRecord {
  const pool = requirePool(deps, poolId);
  if (pool.wire.state === "deleting") throw conflict("PoolBeingDeleted", "The specified pool is being deleted.");
  return pool;
}

export function registerAutoScaleRoutes(router: Router, deps: HandlerDeps): void {
  const { state } = deps;

  router.on("Pool_EnableAutoScale", (context) => {
    const autoscaler = autoscalerOf(deps);
    const pool = openPool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    const body = (context.body ?? {}) as Record<string, unknown>;
    const wasOn = pool.wire.enableAutoScale === true;
    if (!wasOn && body.autoScaleFormula === undefined) throw missingRequiredProperty("autoScaleFormula");
    if (wasOn && body.autoScaleFormula === undefined && body.autoScaleEvaluationInterval === undefined)
      throw new BatchServiceError(
        400,
        "InvalidAutoScalingSettings",
        "Specify autoScaleFormula, autoScaleEvaluationInterval or both to change the pool's autoscale settings.",
      );
    const formula = body.autoScaleFormula === undefined ? String(pool.wire.autoScaleFormula) : checkFormulaProperty(body.autoScaleFormula);
    const interval =
      body.autoScaleEvaluationInterval === undefined
        ? String(pool.wire.autoScaleEvaluationInterval ?? DEFAULT_INTERVAL)
        : checkInterval(deps, body.autoScaleEvaluationInterval);
    const waitMs = autoscaler.claimEnable(pool.wire.id);
    if (waitMs > 0)
      throw new BatchServiceError(
        503,
        "TooManyEnableAutoScaleRequests",
        `enableAutoScale may be called once per ${autoscaler.timing.enableThrottleMs} ms per pool; retry in ${Math.ceil(waitMs)} ms.`,
      );
    pool.wire.enableAutoScale = true;
    pool.wire.autoScaleFormula = formula;
    pool.wire.autoScaleEvaluationInterval = interval;
    state.touch(pool.wire);
    state.savePool(pool);
    autoscaler.enabled(pool);
    return updated(pool.wire, poolUrl(context, pool.wire.id));
  });

  router.on("Pool_DisableAutoScale", (context) => {
    const pool = openPool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    turnOff(pool.wire);
    deps.autoscaler?.disabled(pool.wire.id);
    state.touch(pool.wire);
    state.savePool(pool);
    return updated(pool.wire, poolUrl(context, pool.wire.id));
  });

  router.on("Pool_EvaluateAutoScale", (context) => {
    const autoscaler = autoscalerOf(deps);
    const pool = requirePool(deps, context.params.poolId);
    checkConditions(context, pool.wire);
    // Choice: the service's code for evaluating on a pool without autoscale is undocumented.
    if (pool.wire.enableAutoScale !== true)
      throw conflict("AutoScaleNotEnabled", `Autoscale is not enabled on pool ${pool.wire.id}; call enableAutoScale first, then evaluate formulas against it.`);
    const formula = (context.body as Record<string, unknown> | undefined)?.autoScaleFormula;
    if (typeof formula !== "string") throw missingRequiredProperty("autoScaleFormula");
    // Choice: syntax errors and over-long formulas come back as 200 with `error`, like every other evaluation failure.
    const { run } = autoscaler.evaluate(pool, formula);
    const body = { timestamp: run.timestamp.toISOString(), results: run.results, ...(run.error ? { error: run.error } : {}) };
    return { ...updated(pool.wire, poolUrl(context, pool.wire.id)), body };
  });
}
