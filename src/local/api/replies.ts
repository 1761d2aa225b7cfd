// Why: the response shapes the service uses for create, update, delete and get (status codes, ETag, Location headers).
import type { Wire } from "../store/model";
import type { Reply, RequestContext } from "../server/router";
import { BatchServiceError } from "../protocol/batchError";
import { applySelect } from "./listing";

function entityHeaders(wire: Wire, location: string): Record<string, string> {
  const headers: Record<string, string> = { DataServiceId: location, Location: location };
  if (typeof wire.eTag === "string") headers.ETag = wire.eTag;
  if (typeof wire.lastModified === "string") headers["Last-Modified"] = new Date(wire.lastModified).toUTCString();
  return headers;
}

export const created = (wire: Wire, location: string): Reply => ({ status: 201, headers: entityHeaders(wire, location) });

export const accepted = (wire: Wire, location: string, status = 202): Reply => ({ status, headers: entityHeaders(wire, location) });

export const updated = (wire: Wire, location: string): Reply => ({ status: 200, headers: entityHeaders(wire, location) });

/** A GET of one entity: ETag/Last-Modified headers and `$select` applied. */
export function entity(context: RequestContext, wire: Wire, body: Record<string, unknown>): Reply {
  const headers: Record<string, string> = {};
  if (typeof wire.eTag === "string") headers.ETag = wire.eTag;
  if (typeof wire.lastModified === "string") headers["Last-Modified"] = new Date(wire.lastModified).toUTCString();
  return { status: 200, headers, body: applySelect(body, context.query.get("$select")) };
}

/** Applies If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since against an entity, as the service does. */
export function checkConditions(context: RequestContext, wire: Wire): void {
  const ifMatch = context.headers["if-match"];
  const ifNoneMatch = context.headers["if-none-match"];
  const modified = typeof wire.lastModified === "string" ? Date.parse(wire.lastModified) : undefined;
  const failed = () => new BatchServiceError(412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
  if (typeof ifMatch === "string" && ifMatch !== "*" && ifMatch !== wire.eTag) throw failed();
  if (typeof ifNoneMatch === "string" && (ifNoneMatch === "*" || ifNoneMatch === wire.eTag)) {
    if (context.method === "GET" || context.method === "HEAD") throw new BatchServiceError(304, "NotModified", "The entity has not been modified.");
    throw failed();
  }
  const since = context.headers["if-modified-since"];
  if (typeof since === "string" && modified !== undefined && Math.floor(modified / 1000) <= Math.floor(Date.parse(since) / 1000)) {
    if (context.method === "GET" || context.method === "HEAD") throw new BatchServiceError(304, "NotModified", "The entity has not been modified.");
    throw failed();
  }
  const unmodifiedSince = context.headers["if-unmodified-since"];
  if (typeof unmodifiedSince === "string" && modified !== undefined && Math.floor(modified / 1000) > Math.floor(Date.parse(unmodifiedSince) / 1000))
    throw failed();
}
