// Why: one answer to "is this formula acceptable?" in the service's error shape, for evaluation and for the local service's pool-add / enableAutoScale checks (which answer HTTP 400 with it).

import { checkFormula } from "./checker";
import { ErrorCodes } from "./errors";
import { parseFormula } from "./parser";
import { type AutoScaleRunError, runError } from "./results";
import type { Diagnostic, Formula } from "./syntax";

export interface FormulaValidation {
  /** the parsed formula, when it parsed */
  formula?: Formula;
  /** every syntax error, or else every checker finding (warnings included), in source order */
  diagnostics: Diagnostic[];
  /**
   * The service-shaped error when the formula cannot run: AutoScalingFormulaSyntaxError for syntax errors,
   * AutoScalingFormulaTooLong for the length limit, AutoScalingFormulaEvaluationError for name and type errors.
   * Each error diagnostic becomes one `{name: "Message", value: "Line L, Col C: ..."}`.
   */
  error?: AutoScaleRunError;
}

export function validateFormula(text: string): FormulaValidation {
  const parsed = parseFormula(text);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics, error: toError(ErrorCodes.syntax, parsed.diagnostics) };
  const diagnostics = checkFormula(parsed.formula);
  const errors = diagnostics.filter((d) => d.severity === "error");
  const tooLong = errors.filter((d) => d.code === ErrorCodes.tooLong);
  const first = tooLong.length > 0 ? tooLong : errors;
  return { formula: parsed.formula, diagnostics, error: first.length > 0 ? toError(first[0].code, first) : undefined };
}

function toError(code: string, diagnostics: Diagnostic[]): AutoScaleRunError {
  return runError(
    code,
    diagnostics.filter((d) => d.severity === "error").map((d) => ({ span: d.span, detail: d.message })),
  );
}
