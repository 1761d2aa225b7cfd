// Why: the service's AutoScaleRun shape (timestamp, results string, error {code, message, values}) and how a run's variables become that exact results string.

import { ERROR_MESSAGES } from "./errors";
import { positioned, type Span } from "./syntax";
import { formatDouble, formatValue, type Value } from "./values";
import type { DeallocationOption } from "./vocabulary";

export interface NameValuePair {
  name: string;
  value: string;
}

export interface AutoScaleRunError {
  code: string;
  message: string;
  values: NameValuePair[];
}

/** As `AutoScaleRun` in BatchService.json. */
export interface AutoScaleRun {
  timestamp: Date;
  results: string;
  error?: AutoScaleRunError;
}

/** A pool's autoscale targets: what a formula reads before assigning, and what a successful run applies. */
export interface PoolTargets {
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  nodeDeallocationOption: DeallocationOption;
}

export interface FinalValues {
  targetDedicatedNodes: Value;
  targetLowPriorityNodes: Value;
  nodeDeallocationOption: Value;
}

/**
 * `$TargetDedicatedNodes=…;$TargetLowPriorityNodes=…;$NodeDeallocationOption=…` then every user variable once
 * with its final value, sorted by ordinal name order (`$`-names before bare names); no trailing ";".
 */
export function resultsString(settable: FinalValues, userVariables: ReadonlyMap<string, Value>): string {
  const items = [
    `$TargetDedicatedNodes=${formatValue(settable.targetDedicatedNodes)}`,
    `$TargetLowPriorityNodes=${formatValue(settable.targetLowPriorityNodes)}`,
    `$NodeDeallocationOption=${formatValue(settable.nodeDeallocationOption)}`,
  ];
  const names = [...userVariables.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) items.push(`${name}=${formatValue(userVariables.get(name)!)}`);
  return items.join(";");
}

/** What a failed run reports: only the three settable variables, with the pool's current values. */
export function unchangedResults(pool: PoolTargets): string {
  return [
    `$TargetDedicatedNodes=${formatDouble(pool.targetDedicatedNodes)}`,
    `$TargetLowPriorityNodes=${formatDouble(pool.targetLowPriorityNodes)}`,
    `$NodeDeallocationOption=${pool.nodeDeallocationOption}`,
  ].join(";");
}

/** `{code, message, values: [{name: "Message", value: "Line L, Col C: detail"}, ...]}` */
export function runError(code: string, problems: { span: Span; detail: string }[]): AutoScaleRunError {
  return {
    code,
    message: ERROR_MESSAGES[code] ?? ERROR_MESSAGES.AutoScalingFormulaEvaluationError,
    values: problems.map((p) => ({ name: "Message", value: positioned(p.span, p.detail) })),
  };
}
