// Why: the service's error codes for formulas and the two error classes the evaluator uses (a positionless language error and one pinned to a formula position).

import type { Span } from "./syntax";

export const ErrorCodes = {
  syntax: "AutoScalingFormulaSyntaxError",
  evaluation: "AutoScalingFormulaEvaluationError",
  insufficientData: "InsufficientSampleData",
  tooLong: "AutoScalingFormulaTooLong",
  invalidSettings: "InvalidAutoScalingSettings",
} as const;

/** The top-level `error.message` the service pairs with each code (only the insufficient-data text is documented). */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  [ErrorCodes.syntax]: "The autoscale formula has a syntax error",
  [ErrorCodes.evaluation]: "Autoscale evaluation failed",
  [ErrorCodes.insufficientData]: "Autoscale evaluation failed due to insufficient sample data",
  [ErrorCodes.tooLong]: "The autoscale formula is too long",
  [ErrorCodes.invalidSettings]: "The autoscale settings are invalid",
};

/** A failure raised by an operator, function or sample method; the evaluator adds the position. */
export class LanguageError extends Error {
  constructor(
    message: string,
    readonly code: string = ErrorCodes.evaluation,
  ) {
    super(message);
    this.name = "LanguageError";
  }
}

/** A failure at a known place in the formula. */
export class FormulaError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly span: Span,
  ) {
    super(`Line ${span.line}, Col ${span.column}: ${detail}`);
    this.name = "FormulaError";
  }
}
