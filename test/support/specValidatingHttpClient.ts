// Why: checks every response the real @azure/batch client receives against the spec file of the api-version its request names (2022-10-01.16.0 for the SDK), read here independently of the server's own translation; a violation fails the call.
import * as fs from "node:fs";
import * as path from "node:path";
import { DefaultHttpClient, type HttpClient, type HttpOperationResponse, type WebResourceLike } from "@azure/ms-rest-js";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/** The spec file of one api-version in spec/ (the published document, not the compact copy the service ships). */
export const specFileOf = (apiVersion: string): string => path.resolve(__dirname, "..", "..", "..", "spec", `BatchService-${apiVersion}.json`);

export const SPEC_FILE = specFileOf("2022-10-01.16.0");

type Schema = Record<string, unknown>;

interface RawSpec {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { schema?: Schema }> }>>;
  definitions: Record<string, Schema>;
}

interface Operation {
  operationId: string;
  method: string;
  pattern: RegExp;
  /** placeholders in the template: the fewer, the more specific (tried first) */
  placeholders: number;
  /** status code or "default" → the definition its body must match (undefined: no JSON body, e.g. a file) */
  responses: Record<string, string | undefined>;
}

export class SpecViolation extends Error {}

export interface ValidatedExchange {
  operationId: string;
  status: number;
}

/**
 * A path template as a regular expression over the decoded path: `{name}` is one segment (also inside a segment, e.g.
 * `certificates(thumbprintAlgorithm={thumbprintAlgorithm},…)`), a final `{filePath}` may hold slashes.
 */
function templatePattern(template: string): RegExp {
  const parts = template.split(/(\{\w+\})/).map((part, index, all) => {
    if (!/^\{\w+\}$/.test(part)) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    return index === all.length - 2 && all[all.length - 1] === "" && part === "{filePath}" ? ".+" : "[^/]+";
  });
  return new RegExp(`^${parts.join("")}/?$`, "i");
}

/**
 * The spec's schemas as Ajv takes them: Swagger's `x-nullable` becomes "or null", and every object schema that lists
 * its properties is closed (the service must not answer with a property the spec does not have).
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== "object") return schema;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(schema))
    converted[key] = key === "properties" ? mapValues(value as Record<string, unknown>, toJsonSchema) : toJsonSchema(value);
  if (converted.properties && converted.additionalProperties === undefined) converted.additionalProperties = false;
  if (converted["x-nullable"] === true) {
    delete converted["x-nullable"];
    return { anyOf: [{ type: "null" }, converted] };
  }
  return converted;
}

const mapValues = (object: Record<string, unknown>, map: (value: unknown) => unknown) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));

/** The definition name a `#/definitions/…` reference points at. */
const definitionOf = (schema: Schema | undefined): string | undefined =>
  typeof schema?.$ref === "string" ? schema.$ref.replace(/^#\/definitions\//, "") : undefined;

/** The spec's operations and one compiled validator per response definition, built from the spec file alone. */
export class ResponseSpec {
  readonly operations: Operation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly definitions: Record<string, unknown>;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file = SPEC_FILE) {
    const raw = JSON.parse(fs.readFileSync(file, "utf8")) as RawSpec;
    for (const [template, methods] of Object.entries(raw.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!operation.operationId) continue;
        this.operations.push({
          operationId: operation.operationId,
          method: method.toUpperCase(),
          pattern: templatePattern(template),
          placeholders: (template.match(/\{/g) ?? []).length,
          responses: mapValues(operation.responses ?? {}, (response) => definitionOf((response as { schema?: Schema }).schema)) as Record<
            string,
            string | undefined
          >,
        });
      }
    }
    this.operations.sort((a, b) => a.placeholders - b.placeholders);
    addFormats(this.ajv, ["date-time"]);
    this.ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat("double", { type: "number", validate: (n: number) => Number.isFinite(n) });
    // ISO 8601 durations (fractional seconds allowed, as .NET TimeSpan writes them)
    this.ajv.addFormat("duration", /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/);
    this.definitions = mapValues(raw.definitions, toJsonSchema);
  }

  /** The operation a method and (encoded) URL path belong to. */
  find(method: string, pathname: string): Operation | undefined {
    const decoded = pathname
      .split("/")
      .map((segment) => decodeURIComponent(segment))
      .join("/");
    return this.operations.find((operation) => operation.method === method && operation.pattern.test(decoded));
  }

  /** The validator of one definition: the definition's schema, its `#/definitions/…` references resolved within the spec's definitions. */
  validator(definition: string): ValidateFunction {
    let validate = this.validators.get(definition);
    if (!validate) {
      if (!(definition in this.definitions)) throw new Error(`the spec has no definition ${definition}`);
      validate = this.ajv.compile({ $ref: `#/definitions/${definition}`, definitions: this.definitions });
      this.validators.set(definition, validate);
    }
    return validate;
  }
}

const sharedSpecs = new Map<string, ResponseSpec>();
/** The spec of an api-version (read once); a version without a spec file (a refused one) is checked against 2022-10-01.16.0's error shape. */
export function responseSpec(apiVersion?: string | null): ResponseSpec {
  const file = apiVersion && /^[\w.-]+$/.test(apiVersion) && fs.existsSync(specFileOf(apiVersion)) ? specFileOf(apiVersion) : SPEC_FILE;
  const spec = sharedSpecs.get(file) ?? new ResponseSpec(file);
  sharedSpecs.set(file, spec);
  return spec;
}

export class SpecValidatingHttpClient implements HttpClient {
  /** every exchange validated so far (operation and status), for coverage assertions */
  readonly exchanges: ValidatedExchange[] = [];

  constructor(private readonly inner: HttpClient = new DefaultHttpClient()) {}

  async sendRequest(request: WebResourceLike): Promise<HttpOperationResponse> {
    const response = await this.inner.sendRequest(request);
    this.validate(request, response);
    return response;
  }

  private validate(request: WebResourceLike, response: HttpOperationResponse): void {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const spec = responseSpec(url.searchParams.get("api-version"));
    const operation = spec.find(method, url.pathname);
    if (!operation) throw new SpecViolation(`${request.method} ${url.pathname} is not an operation of the spec`);
    const status = String(response.status);
    if (!(status in operation.responses) && !("default" in operation.responses)) {
      throw new SpecViolation(`${operation.operationId} answered ${status}, which the spec does not define`);
    }
    const definition = status in operation.responses ? operation.responses[status] : operation.responses.default;
    this.exchanges.push({ operationId: operation.operationId, status: response.status });
    if (!definition || method === "HEAD") return;
    const contentType = response.headers.get("content-type") ?? "";
    // raw bytes are only for responses whose spec schema is a file (those have no definition and returned above)
    if (!contentType.includes("json"))
      throw new SpecViolation(`${operation.operationId} answered ${status} with ${contentType || "no content type"} instead of a ${definition} body`);
    if (response.bodyAsText === undefined && response.readableStreamBody) return; // a streamed answer (file download): its body is the caller's to read
    const text = response.bodyAsText ?? "";
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SpecViolation(`${operation.operationId} ${status}: body is not JSON: ${text.slice(0, 200)}`);
    }
    const validate = spec.validator(definition);
    if (!validate(body)) {
      const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
      throw new SpecViolation(`${operation.operationId} ${status} body violates ${definition}: ${problems.join("; ")}`);
    }
  }
}
