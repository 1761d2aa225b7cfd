// Why: the public surface of the vscode-free autoscale formula module (parse, check, evaluate, simulate), so callers never reach into its files.

export { checkFormula, checkFormulaText, MAX_FORMULA_LENGTH, MAX_STATEMENTS } from "./checker";
export { ERROR_MESSAGES, ErrorCodes } from "./errors";
export { type FormulaValidation, validateFormula } from "./validation";
export { type AutoScaleEvaluation, type EvaluationContext, evaluateFormula } from "./evaluator";
export { FUNCTIONS, type FunctionSpec } from "./functions";
export { SAMPLE_METHOD_ARITY, SAMPLE_METHOD_RESULTS, TIMESTAMP_MEMBERS } from "./members";
export { type ParseResult, parseFormula } from "./parser";
export { type MetricFigures, metricsFrom, RecordedMetrics } from "./recordedMetrics";
export { type AutoScaleRun, type AutoScaleRunError, type NameValuePair, type PoolTargets, resultsString, unchangedResults } from "./results";
export { BATCH_SAMPLING, type MetricSample, type MetricsSource, SAMPLE_METHODS, type SamplingPolicy } from "./sampling";
export { type AutoScaleLoad, type SimulationOptions, type SimulationPoint, type SimulationResult, simulateAutoScale } from "./simulation";
export type { Diagnostic, Expr, Formula, Span, Statement } from "./syntax";
export { formatDouble, formatInterval, formatTimestamp, formatValue, type Value } from "./values";
export * from "./vocabulary";
