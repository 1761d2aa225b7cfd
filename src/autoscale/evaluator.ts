// Why: runs a formula top to bottom against a metrics source and the pool's current targets, producing the service's AutoScaleRun (results string or positioned error) and the whole-node targets a scheduled run applies.

import { ErrorCodes, FormulaError, LanguageError } from "./errors";
import { FUNCTIONS, StopEvaluation } from "./functions";
import { timestampMember, unknownMember } from "./members";
import { applyBinary, applyUnary, truthy } from "./operators";
import { type AutoScaleRun, type AutoScaleRunError, type PoolTargets, resultsString, runError, unchangedResults } from "./results";
import { SettableState } from "./settableState";
import { BATCH_SAMPLING, callSampleMethod, type MetricsSource, type SamplingPolicy } from "./sampling";
import type { Diagnostic, Expr, Statement } from "./syntax";
import { double, typeName, type Value } from "./values";
import { validateFormula } from "./validation";
import { isMetric, serviceVariable, settableTarget, TIME_INTERVALS } from "./vocabulary";

export interface EvaluationContext {
  /** the evaluation instant: what time() returns and where look-back windows end */
  now: Date;
  metrics: MetricsSource;
  /** the pool's current targets, read by a formula before it assigns them */
  pool: PoolTargets;
  sampling?: SamplingPolicy;
  /** [0, 1); defaults to Math.random (pass a seeded one for deterministic runs) */
  random?: () => number;
}

export interface AutoScaleEvaluation {
  run: AutoScaleRun;
  /** on success: the targets a scheduled run applies (fractions truncated towards zero) */
  apply?: PoolTargets;
  /** user variables assigned, by name as written, with their final values */
  variables: ReadonlyMap<string, Value>;
  /** true when stop() ended the run */
  stopped: boolean;
  /** the parser's and checker's findings (warnings included) */
  diagnostics: Diagnostic[];
}

/** Parses, checks and evaluates `text`. Never throws for a bad formula: failures come back as `run.error`, as the service does. */
export function evaluateFormula(text: string, ctx: EvaluationContext): AutoScaleEvaluation {
  const timestamp = ctx.now;
  const validation = validateFormula(text);
  const diagnostics = validation.diagnostics;
  const failed = (error: AutoScaleRunError, variables: ReadonlyMap<string, Value> = new Map()): AutoScaleEvaluation => ({
    run: { timestamp, results: unchangedResults(ctx.pool), error },
    variables,
    stopped: false,
    diagnostics,
  });
  if (validation.error || !validation.formula) return failed(validation.error!);
  const machine = new Machine(ctx);
  let stopped = false;
  try {
    for (const statement of validation.formula.statements) machine.execute(statement);
  } catch (error) {
    if (error instanceof StopEvaluation) stopped = true;
    else if (error instanceof FormulaError) return failed(runError(error.code, [{ span: error.span, detail: error.detail }]), machine.user);
    else throw error;
  }
  const results = resultsString(machine.settable.finalValues(), machine.user);
  return { run: { timestamp, results }, apply: machine.settable.applied(), variables: machine.user, stopped, diagnostics };
}

class Machine {
  readonly user = new Map<string, Value>();
  readonly settable: SettableState;
  private readonly nowMs: number;

  constructor(private readonly ctx: EvaluationContext) {
    this.nowMs = ctx.now.getTime();
    this.settable = new SettableState(ctx.pool);
  }

  execute(statement: Statement): void {
    if (statement.type === "expression") {
      this.eval(statement.expr);
      return;
    }
    const value = this.eval(statement.value);
    const service = serviceVariable(statement.name);
    if (service === undefined) {
      // Choice: a metric stored in a user variable keeps its current value (a double), not the sample history.
      this.user.set(statement.name, this.resolve(value));
      return;
    }
    const target = settableTarget(service);
    if (target === undefined) throw new FormulaError(ErrorCodes.evaluation, `${service} is a read-only service variable.`, statement.nameSpan);
    try {
      this.settable.assign(service, target, this.resolve(value));
    } catch (error) {
      if (error instanceof LanguageError) throw new FormulaError(error.code, error.message, statement.value.span);
      throw error;
    }
  }

  /** a metric where a value is needed reads as its current figure */
  private resolve(v: Value): Value {
    return v.kind === "metric" ? double(this.ctx.metrics.current(v.name)) : v;
  }

  eval(e: Expr): Value {
    try {
      return this.evalNode(e);
    } catch (error) {
      if (error instanceof LanguageError) throw new FormulaError(error.code, error.message, e.type === "binary" ? e.opSpan : e.span);
      throw error;
    }
  }

  private evalNode(e: Expr): Value {
    switch (e.type) {
      case "number":
        return double(e.value);
      case "string":
        return { kind: "string", value: e.value };
      case "constant":
        return { kind: "timeinterval", ms: TIME_INTERVALS[e.name] };
      case "keyword":
        return { kind: "option", value: e.name as PoolTargets["nodeDeallocationOption"] };
      case "variable":
        return this.variable(e.name);
      case "call": {
        const spec = FUNCTIONS[e.name];
        if (!spec) throw new LanguageError(`Unknown function "${e.name}".`);
        const args = e.args.map((a) => this.resolve(this.eval(a)));
        return spec.call(args, { nowMs: this.nowMs, random: this.ctx.random ?? Math.random });
      }
      case "member": {
        const object = this.resolve(this.eval(e.object));
        if (object.kind !== "timestamp")
          throw new LanguageError(`".${e.member}" needs a timestamp, but this is a ${typeName(object.kind)}. ${unknownMember(e.member)}`);
        return double(timestampMember(object.ms, e.member));
      }
      case "method": {
        const object = this.eval(e.object);
        if (object.kind !== "metric")
          throw new LanguageError(`.${e.method}() is a method of the service's metric variables, not of a ${typeName(object.kind)}.`);
        const args = e.args.map((a) => this.resolve(this.eval(a)));
        const policy = this.ctx.sampling ?? BATCH_SAMPLING;
        return callSampleMethod(object.name, e.method, args, { nowMs: this.nowMs, source: this.ctx.metrics, policy });
      }
      case "unary":
        return applyUnary(e.op, this.resolve(this.eval(e.operand)));
      case "binary": {
        // Choice: && and || short-circuit, so a guard can keep a failing GetSample from running.
        const left = this.resolve(this.eval(e.left));
        if (e.op === "&&" && left.kind === "double" && !truthy(left)) return double(0);
        if (e.op === "||" && left.kind === "double" && truthy(left)) return double(1);
        return applyBinary(e.op, left, this.resolve(this.eval(e.right)));
      }
      case "conditional":
        // Choice: only the chosen branch is evaluated.
        return truthy(this.resolve(this.eval(e.test))) ? this.eval(e.consequent) : this.eval(e.alternate);
    }
  }

  private variable(written: string): Value {
    const service = serviceVariable(written);
    if (service !== undefined) {
      if (isMetric(service)) return { kind: "metric", name: service };
      return this.settable.read(settableTarget(service)!);
    }
    const value = this.user.get(written);
    if (value === undefined) throw new LanguageError(`Unknown variable "${written}": assign it before using it.`);
    return value;
  }
}
