// Why: the Batch REST spec of one api-version as data: operations by method and path, and Ajv schemas of its definitions.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { DataValidateFunction, DataValidationCxt } from "ajv/dist/types";
import addFormats from "ajv-formats";

/**
 * The api-version @azure/batch 10.x sends: the spec the service reads at startup (the others, src/local/protocol/apiVersions.ts, are
 * read when a request first names them) and the one the editor's schemas are generated from (scripts/generate-batch-schemas.mjs).
 */
export const API_VERSION = "2022-10-01.16.0";

export interface SpecOperation {
  operationId: string;
  method: string;
  template: string;
  segments: string[];
  /** the body parameter's schema `$ref` name, if the operation takes a body */
  bodyDefinition?: string;
  /** whether the body must be sent (some operations, e.g. ComputeNode_Reboot, take an optional one) */
  bodyRequired: boolean;
  /** status code → definition name of the response body */
  responses: Record<string, string | undefined>;
}

/** A definition of the spec as written (Swagger 2.0): what the response adapter reads of it. */
export interface RawDefinition {
  properties?: Record<string, RawSchema>;
  required?: string[];
}

export interface RawSchema {
  $ref?: string;
  type?: string;
  items?: RawSchema;
}

interface RawSpec {
  info?: { version?: string };
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string;
        parameters?: { in: string; required?: boolean; schema?: { $ref?: string } }[];
        responses?: Record<string, { schema?: { $ref?: string } }>;
      }
    >
  >;
  definitions: Record<string, RawDefinition>;
}

/**
 * Finds the spec file of an api-version: next to the bundle (dist/spec: compact copies, see scripts/compactSpec.mjs), or in the
 * repository's spec/ folder (the published files).
 */
export function specFilePath(apiVersion: string = API_VERSION): string {
  const name = `BatchService-${apiVersion}.json`;
  const candidates = [path.join(__dirname, "spec", name), path.join(__dirname, "..", "spec", name)];
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) candidates.push(path.join(dir, "spec", name));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`The Batch REST spec ${name} was not found near ${__dirname}.`);
  return found;
}

export const refName = (ref: string | undefined): string | undefined => ref?.replace("#/definitions/", "");

export class BatchSpec {
  readonly operations: SpecOperation[] = [];
  /** the spec's own `info.version`, e.g. 2023-05-01.17.0 */
  readonly apiVersion: string;
  private readonly raw: RawSpec;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file = specFilePath(), options: { rejectUnknownProperties: boolean } = { rejectUnknownProperties: true }) {
    this.raw = JSON.parse(fs.readFileSync(file, "utf8")) as RawSpec;
    this.apiVersion = this.raw.info?.version ?? API_VERSION;
    for (const [template, methods] of Object.entries(this.raw.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (method === "parameters" || !operation.operationId) continue;
        const responses: Record<string, string | undefined> = {};
        for (const [status, response] of Object.entries(operation.responses ?? {})) responses[status] = refName(response.schema?.$ref);
        const bodyParameter = operation.parameters?.find((p) => p.in === "body");
        this.operations.push({
          operationId: operation.operationId,
          method: method.toUpperCase(),
          template,
          segments: template.split("/").filter(Boolean),
          bodyDefinition: refName(bodyParameter?.schema?.$ref),
          bodyRequired: bodyParameter?.required === true,
          responses,
        });
      }
    }
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv, ["date-time", "uuid"]);
    // ISO 8601 durations as .NET TimeSpan writes them: fractional seconds allowed (e.g. P10675199DT2H48M5.4775807S)
    this.ajv.addFormat("duration", /^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/);
    this.ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat("double", { type: "number", validate: () => true });
    // Batch parses enum values case-insensitively ("taskCompletion" is "taskcompletion"): a body's value is checked so and
    // rewritten to the spec's spelling before it is stored, so what the service answers is canonical
    this.ajv.addKeyword({ keyword: CASE_INSENSITIVE_ENUM, type: "string", modifying: true, errors: true, compile: enumValueCheck });
    const definitions = structuredClone(this.raw.definitions) as Record<string, Record<string, unknown>>;
    for (const schema of Object.values(definitions)) caseInsensitiveEnums(schema);
    if (options.rejectUnknownProperties) for (const schema of Object.values(definitions)) closeObjects(schema);
    this.ajv.addSchema({ $id: "batch", definitions });
  }

  /** The spec operation matching a method and a request path (already split in decoded segments). */
  findOperation(method: string, segments: string[]): { operation: SpecOperation; params: Record<string, string> } | undefined {
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const candidate =
        operation.segments.length < segments.length && operation.segments.at(-1) === "{filePath}"
          ? [...segments.slice(0, operation.segments.length - 1), segments.slice(operation.segments.length - 1).join("/")] // file paths may be sent with literal slashes
          : segments;
      if (operation.segments.length !== candidate.length) continue;
      const params = matchSegments(operation.segments, candidate);
      if (params) return { operation, params };
    }
    return undefined;
  }

  /** One definition as the spec writes it (undefined when this version has none of that name). */
  definition(name: string): RawDefinition | undefined {
    return Object.hasOwn(this.raw.definitions, name) ? this.raw.definitions[name] : undefined;
  }

  /**
   * Compiles the validators of `definitions` ahead of their first request, one per turn of the event loop, so the
   * first addCollection of a job does not wait ~0.1 s for its schema to be compiled.
   */
  precompile(definitions: readonly string[]): void {
    const [next, ...rest] = definitions.filter((definition) => Object.hasOwn(this.raw.definitions, definition));
    if (next === undefined) return;
    setImmediate(() => {
      this.validator(next);
      this.precompile(rest);
    });
  }

  /** A compiled validator of one definition of the spec (cached). */
  validator(definition: string): ValidateFunction {
    let validate = this.validators.get(definition);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `batch#/definitions/${definition}` });
      this.validators.set(definition, validate);
    }
    return validate;
  }
}

/** Matches `{name}` placeholders (also inside a segment, e.g. `certificates(x={x})`) against actual segments. */
export function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const part = template[i];
    if (!part.includes("{")) {
      if (part.toLowerCase() !== actual[i].toLowerCase()) return undefined;
      continue;
    }
    const { regex, names } = placeholderPattern(part);
    const match = regex.exec(actual[i]);
    if (!match) return undefined;
    names.forEach((name, index) => {
      params[name] = match[index + 1];
    });
  }
  return params;
}

const placeholderPatterns = new Map<string, { regex: RegExp; names: string[] }>();

/** The compiled matcher of one template segment with placeholders (compiled once, matched on every request). */
function placeholderPattern(part: string): { regex: RegExp; names: string[] } {
  let compiled = placeholderPatterns.get(part);
  if (!compiled) {
    const names: string[] = [];
    const pattern = part.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a: string, b: string) => {
      names.push(a ?? b);
      return "(.+)";
    });
    compiled = { regex: new RegExp(`^${pattern}$`, "i"), names };
    placeholderPatterns.set(part, compiled);
  }
  return compiled;
}

const CASE_INSENSITIVE_ENUM = "x-batch-case-insensitive-enum";

type EnumCheck = DataValidateFunction & { errors?: Partial<ErrorObject>[] };

/**
 * The keyword's check, compiled once per enum (a lower-case lookup, as request bodies run through it on every add): a
 * value in any case passes and is rewritten to the spec's spelling; any other fails as `enum`.
 */
function enumValueCheck(values: string[]): EnumCheck {
  const canonical = new Map(values.map((value) => [value.toLowerCase(), value]));
  const check: EnumCheck = (data: string, cxt?: DataValidationCxt) => {
    const value = canonical.get(data.toLowerCase());
    if (value === undefined) {
      check.errors = [{ keyword: "enum", message: `must be one of: ${values.join(", ")}`, params: { allowedValues: values } }];
      return false;
    }
    if (value !== data && cxt) (cxt.parentData as Record<string | number, unknown>)[cxt.parentDataProperty] = value;
    return true;
  };
  return check;
}

/** Every string `enum` of the spec becomes the case-insensitive keyword above. */
function caseInsensitiveEnums(schema: unknown): void {
  if (!schema || typeof schema !== "object") return;
  const object = schema as Record<string, unknown>;
  if (Array.isArray(object.enum) && object.enum.every((value) => typeof value === "string")) {
    object[CASE_INSENSITIVE_ENUM] = object.enum;
    delete object.enum;
  }
  for (const value of Object.values(object)) caseInsensitiveEnums(value);
}

/** Swagger objects allow any extra property; the service rejects unknown ones, so schemas are closed. */
function closeObjects(schema: unknown): void {
  if (!schema || typeof schema !== "object") return;
  const object = schema as Record<string, unknown>;
  if (object.type === "object" && object.properties && object.additionalProperties === undefined && !object.allOf) {
    object.additionalProperties = false;
  }
  for (const value of Object.values(object)) closeObjects(value);
}
