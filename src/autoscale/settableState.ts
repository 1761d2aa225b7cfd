// Why: the three settable service variables during one run: what they read as (assigned value, alias, or the pool's current target), which values they accept, and the whole-node targets a successful run applies.

import { LanguageError } from "./errors";
import type { FinalValues, PoolTargets } from "./results";
import { double, formatDouble, typeName, type Value } from "./values";
import { type DeallocationOption, isDeallocationOption, type SettableVariable } from "./vocabulary";

const ALIAS_OF: Partial<Record<SettableVariable, string>> = {
  $TargetDedicatedNodes: "$TargetDedicated",
  $TargetLowPriorityNodes: "$TargetLowPriority",
};

export class SettableState {
  /** assignments keyed by the name written (full name or alias, canonical spelling) */
  private readonly assigned = new Map<string, Value>();

  constructor(private readonly pool: PoolTargets) {}

  /** Validates and stores an assignment to `written` (a settable name or alias) for `target`. Throws LanguageError for a bad value. */
  assign(written: string, target: SettableVariable, value: Value): void {
    this.assigned.set(written, accepted(target, value));
  }

  /** the full name's assignment, else its alias's, else the pool's current value */
  read(target: SettableVariable): Value {
    const alias = ALIAS_OF[target];
    const assigned = this.assigned.get(target) ?? (alias ? this.assigned.get(alias) : undefined);
    if (assigned) return assigned;
    if (target === "$NodeDeallocationOption") return { kind: "option", value: this.pool.nodeDeallocationOption };
    return double(target === "$TargetDedicatedNodes" ? this.pool.targetDedicatedNodes : this.pool.targetLowPriorityNodes);
  }

  finalValues(): FinalValues {
    return {
      targetDedicatedNodes: this.read("$TargetDedicatedNodes"),
      targetLowPriorityNodes: this.read("$TargetLowPriorityNodes"),
      nodeDeallocationOption: this.read("$NodeDeallocationOption"),
    };
  }

  /** what a scheduled run applies: fractional targets truncated towards zero (2.9 → 2) */
  applied(): PoolTargets {
    const number = (v: Value) => (v.kind === "double" ? Math.trunc(v.value) : 0);
    const final = this.finalValues();
    const option = final.nodeDeallocationOption;
    return {
      targetDedicatedNodes: number(final.targetDedicatedNodes),
      targetLowPriorityNodes: number(final.targetLowPriorityNodes),
      nodeDeallocationOption: option.kind === "option" ? option.value : ("requeue" as DeallocationOption),
    };
  }
}

function accepted(target: SettableVariable, value: Value): Value {
  if (target === "$NodeDeallocationOption") {
    if (value.kind === "option") return value;
    // Choice: a quoted keyword ("requeue") is accepted too.
    if (value.kind === "string" && isDeallocationOption(value.value)) return { kind: "option", value: value.value };
    const got = value.kind === "string" ? `"${value.value}"` : `a ${typeName(value.kind)}`;
    throw new LanguageError(`$NodeDeallocationOption must be requeue, terminate, taskcompletion or retaineddata, got ${got}.`);
  }
  if (value.kind !== "double") throw new LanguageError(`${target} must be a double, got a ${typeName(value.kind)}.`);
  // Choice: a negative or non-finite target is an evaluation error and leaves the pool unchanged.
  if (!Number.isFinite(value.value) || value.value < 0)
    throw new LanguageError(`${target} must be a finite number of at least 0, got ${formatDouble(value.value)}.`);
  return value;
}
