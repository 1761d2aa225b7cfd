// Why: turns a request body into the Batch service's errors: malformed JSON, unknown or mistyped properties, missing ones, too large.
import type { ErrorObject } from "ajv";
import { BatchServiceError, missingRequiredProperty } from "../protocol/batchError";
import type { BatchSpec } from "../protocol/spec";

/** The service refuses request bodies above 1 MiB (e.g. a task collection) with RequestBodyTooLarge. */
export const MAX_BODY_BYTES = 1024 * 1024;

function jsonPath(instancePath: string): string {
  return instancePath
    .split("/")
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join("");
}

function toBatchError(error: ErrorObject): BatchServiceError {
  const at = jsonPath(error.instancePath);
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return missingRequiredProperty(at ? `${at}.${missing}` : missing);
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const property = at ? `${at}.${extra}` : extra;
    return new BatchServiceError(
      400,
      "InvalidRequestBody",
      `The specified Request Body is not syntactically valid: the property '${property}' is not defined for this request. Remove it or check its spelling.`,
      [
        { key: "PropertyName", value: property },
        { key: "Reason", value: "The property is not defined for this request" },
      ],
    );
  }
  const property = at || "(body)";
  return new BatchServiceError(
    400,
    "InvalidRequestBody",
    `The specified Request Body is not syntactically valid: the value of '${property}' ${error.message ?? "is invalid"}.`,
    [
      { key: "PropertyName", value: property },
      { key: "Reason", value: error.message ?? "invalid value" },
    ],
  );
}

/** Parses and checks the body of an operation whose spec defines one; returns undefined when it takes none. */
export function parseRequestBody(spec: BatchSpec, definition: string | undefined, received: { content: Buffer; size: number }, required = true): unknown {
  if (received.size > MAX_BODY_BYTES) {
    throw new BatchServiceError(
      413,
      "RequestBodyTooLarge",
      `The request body is ${received.size} bytes; the service accepts at most ${MAX_BODY_BYTES} bytes. Send fewer items per request.`,
    );
  }
  if (!definition) return undefined;
  const raw = received.content;
  if (raw.length === 0 && !required) return undefined;
  if (raw.length === 0) throw new BatchServiceError(400, "MissingRequiredRequestBody", "This operation requires a JSON request body.");
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new BatchServiceError(400, "InvalidRequestBody", `The specified Request Body is not syntactically valid: ${(error as Error).message}.`);
  }
  const validate = spec.validator(definition);
  if (!validate(body)) {
    const errors = validate.errors ?? [];
    const first = errors.find((e) => e.keyword === "required") ?? errors.find((e) => e.keyword === "additionalProperties") ?? errors[0];
    throw toBatchError(first);
  }
  return body;
}
