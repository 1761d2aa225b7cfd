// Why: one error type carrying the Batch service's error shape (code, message, values) and HTTP status.

export interface BatchErrorDetail {
  key: string;
  value: string;
}

/** An error the local service answers with, in the shape of the Batch `BatchError` definition. */
export class BatchServiceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly values: BatchErrorDetail[] = [],
  ) {
    super(message);
    this.name = "BatchServiceError";
  }
}

export const notFound = (code: string, what: string): BatchServiceError => new BatchServiceError(404, code, `The specified ${what} does not exist.`);

export const conflict = (code: string, message: string): BatchServiceError => new BatchServiceError(409, code, message);

export const invalidPropertyValue = (property: string, value: unknown, reason: string): BatchServiceError =>
  new BatchServiceError(400, "InvalidPropertyValue", `The value provided for one of the properties in the request body is invalid: ${property}. ${reason}`, [
    { key: "PropertyName", value: property },
    { key: "PropertyValue", value: typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined") },
    { key: "Reason", value: reason },
  ]);

export const missingRequiredProperty = (property: string): BatchServiceError =>
  new BatchServiceError(
    400,
    "MissingRequiredProperty",
    `A required property was not specified in the request body: ${property}. Add it and send the request again.`,
    [{ key: "PropertyName", value: property }],
  );

export const invalidQueryParameter = (name: string, value: string, reason: string): BatchServiceError =>
  new BatchServiceError(
    400,
    "InvalidQueryParameterValue",
    `Value for one of the query parameters specified in the request URI is invalid: ${name}. ${reason}`,
    [
      { key: "QueryParameterName", value: name },
      { key: "QueryParameterValue", value },
      { key: "Reason", value: reason },
    ],
  );

export const operationInvalidForState = (code: string, message: string): BatchServiceError => new BatchServiceError(409, code, message);

/** Serializes an error into the response body the Batch REST API uses. */
export function errorBody(error: BatchServiceError, requestId: string): object {
  return {
    code: error.code,
    message: {
      lang: "en-US",
      value: `${error.message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`,
    },
    ...(error.values.length > 0 ? { values: error.values } : {}),
  };
}
