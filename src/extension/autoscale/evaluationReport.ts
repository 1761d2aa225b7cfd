// Why: what "Evaluate" shows: the service's AutoScaleRun (results as variables and values, or its error with code, message and values) or the request's error, as a plain-text report.

import type { AutoScaleRunLike } from "./poolTarget";

export interface ResultVariable {
  readonly name: string;
  readonly value: string;
}

/** `$TargetDedicatedNodes=2;$x=[1,2]` → one entry per `name=value` item, in order (values keep their own `=`). */
export function parseResults(results: string | undefined): ResultVariable[] {
  if (!results) return [];
  return results
    .split(";")
    .filter((item) => item.trim() !== "")
    .map((item) => {
      const at = item.indexOf("=");
      return at < 0 ? { name: item.trim(), value: "" } : { name: item.slice(0, at).trim(), value: item.slice(at + 1) };
    });
}

/** A request that failed before any evaluation (the service's error body: code, message, values). */
export interface ServiceErrorLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message: string;
  readonly values?: readonly { key?: string; value?: string }[];
}

/** The service's error body of a failed SDK call, if it has one (RestError: statusCode, code, body.message.value, body.values). */
export function serviceErrorOf(error: unknown): ServiceErrorLike | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    body?: { code?: string; message?: { value?: string } | string; values?: { key?: string; value?: string }[] };
  };
  if (e.statusCode === undefined && e.body === undefined) return undefined;
  const bodyMessage = typeof e.body?.message === "string" ? e.body.message : e.body?.message?.value;
  return { statusCode: e.statusCode, code: e.body?.code ?? e.code, message: bodyMessage ?? e.message ?? "", values: e.body?.values };
}

export interface EvaluationReportInput {
  readonly poolId: string;
  readonly account: string;
  readonly formula: string;
  readonly run?: AutoScaleRunLike;
  readonly failure?: ServiceErrorLike;
}

const column = (rows: ResultVariable[]) => Math.max(4, ...rows.map((r) => r.name.length));

/** The report text: where it ran, then the variables (or the error) exactly as the service returned them, then the formula. */
export function evaluationReport(input: EvaluationReportInput): string {
  const lines = [`Autoscale evaluation of pool ${input.poolId} (account ${input.account})`, ""];
  if (input.failure) {
    lines.push(`The service refused the evaluation${input.failure.statusCode ? ` (HTTP ${input.failure.statusCode})` : ""}:`);
    lines.push(`  code:    ${input.failure.code ?? "?"}`, `  message: ${input.failure.message}`);
    for (const v of input.failure.values ?? []) lines.push(`  ${v.key ?? "?"}: ${v.value ?? ""}`);
  } else if (input.run) {
    lines.push(`timestamp: ${input.run.timestamp.toISOString()}`);
    const variables = parseResults(input.run.results);
    if (input.run.error) {
      lines.push("", "error:", `  code:    ${input.run.error.code ?? "?"}`, `  message: ${input.run.error.message ?? ""}`);
      for (const v of input.run.error.values ?? []) lines.push(`  ${v.name ?? "?"}: ${v.value ?? ""}`);
    }
    lines.push("", input.run.error ? "results (unchanged targets):" : "results:");
    const width = column(variables);
    for (const v of variables) lines.push(`  ${v.name.padEnd(width)} = ${v.value}`);
    lines.push("", `results string: ${input.run.results ?? ""}`);
  }
  lines.push(
    "",
    "formula:",
    ...input.formula
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => `  ${l}`),
    "",
  );
  return lines.join("\n");
}
