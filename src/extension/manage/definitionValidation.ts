// Why: checks a pool/job/task JSON against its generated schema with Ajv before anything is sent: every problem with its JSON path, in words.

import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { DEFINITIONS, type DefinitionKind } from "./definitionKinds";

export interface DefinitionProblem {
  /** where: `startTask.resourceFiles[0].httpUrl`, or `(root)` for the document itself */
  readonly path: string;
  readonly message: string;
}

export type ValidationResult =
  | { readonly value: Record<string, unknown>; readonly problems: readonly [] }
  | { readonly value?: undefined; readonly problems: readonly DefinitionProblem[] };

/** ISO 8601 durations as the service writes them (the local service's own check). */
const DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

let ajv: Ajv | undefined;
const validators = new Map<DefinitionKind, ValidateFunction>();

function validatorOf(kind: DefinitionKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, strict: false })
      .addFormat("duration", DURATION)
      .addFormat("date-time", { validate: (text: string) => !Number.isNaN(Date.parse(text)) });
    validate = ajv.compile(DEFINITIONS[kind].schema);
    validators.set(kind, validate);
  }
  return validate;
}

/** `/startTask/resourceFiles/0/httpUrl` → `startTask.resourceFiles[0].httpUrl` */
export function jsonPath(instancePath: string, child?: string): string {
  const parts = instancePath.split("/").filter(Boolean);
  if (child !== undefined) parts.push(child);
  const text = parts.map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
  return text || "(root)";
}

function problemOf(error: ErrorObject): DefinitionProblem {
  const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  if (error.keyword === "required") return { path: jsonPath(error.instancePath, params.missingProperty), message: "is required" };
  if (error.keyword === "additionalProperties")
    return { path: jsonPath(error.instancePath, params.additionalProperty), message: "is not a property of this definition (check its spelling)" };
  if (error.keyword === "enum") return { path: jsonPath(error.instancePath), message: `must be one of ${(params.allowedValues ?? []).join(", ")}` };
  return { path: jsonPath(error.instancePath), message: error.message ?? "is invalid" };
}

/** Parses and validates `text` as a definition of `kind`; the optional `$schema` property is dropped from the value. */
export function validateDefinition(kind: DefinitionKind, text: string): ValidationResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [{ path: "(root)", message: `is not valid JSON: ${(error as Error).message}` }] };
  }
  const validate = validatorOf(kind);
  if (!validate(parsed)) {
    const problems = (validate.errors ?? []).map(problemOf);
    const unique = problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
    return { problems: unique };
  }
  const { $schema: _schema, ...value } = parsed as Record<string, unknown>;
  return { value, problems: [] };
}

/** One line per problem: `poolInfo.poolId is required`. */
export function describeProblems(what: string, problems: readonly DefinitionProblem[]): string {
  const lines = problems.map((p) => `${p.path} ${p.message}`);
  return `The ${what} has ${problems.length} problem${problems.length === 1 ? "" : "s"}; fix ${problems.length === 1 ? "it" : "them"} and try again: ${lines.join("; ")}.`;
}
