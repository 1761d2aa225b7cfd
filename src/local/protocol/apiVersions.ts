// Why: the Batch REST api-versions the local service answers, and the service's errors for a request naming none or another one.
import { BatchServiceError, invalidQueryParameter } from "./batchError";

/**
 * Every GA data-plane version from the one @azure/batch 10.x sends to the newest whose spec is kept in spec/ (oldest first); each
 * has its spec there as BatchService-<version>.json (docs/local-batch.md, "API versions").
 */
export const SUPPORTED_API_VERSIONS = ["2022-10-01.16.0", "2023-05-01.17.0", "2023-11-01.18.0", "2024-02-01.19.0"] as const;

export type ApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

export const isSupportedApiVersion = (value: string): value is ApiVersion => (SUPPORTED_API_VERSIONS as readonly string[]).includes(value);

/**
 * The api-version a request names, checked as the service does: none is 400 MissingRequiredQueryParameter, one it does not serve is
 * 400 InvalidQueryParameterValue whose message lists the versions it does serve.
 */
export function requestApiVersion(query: ReadonlyMap<string, string>): ApiVersion {
  const value = query.get("api-version");
  if (!value) {
    throw new BatchServiceError(
      400,
      "MissingRequiredQueryParameter",
      `A query parameter that's mandatory for this request is not specified: api-version. Add api-version=<version>, one of: ${SUPPORTED_API_VERSIONS.join(", ")}.`,
      [{ key: "QueryParameterName", value: "api-version" }],
    );
  }
  if (isSupportedApiVersion(value)) return value;
  throw invalidQueryParameter(
    "api-version",
    value,
    `The api-version '${value}' is not supported. The supported versions are: ${SUPPORTED_API_VERSIONS.join(", ")}.`,
  );
}
