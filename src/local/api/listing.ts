// Why: the list operations' shared OData behaviour: $filter, $select, maxresults and odata.nextLink paging.
import { invalidQueryParameter } from "../protocol/batchError";
import { compileFilter } from "../protocol/odataFilter";
import type { Reply, RequestContext } from "../server/router";

export const MAX_RESULTS_LIMIT = 1000;

/** Reads `maxresults` (default and upper bound 1000, as the service's list operations). */
export function maxResults(context: RequestContext, limit = MAX_RESULTS_LIMIT): number {
  const text = context.query.get("maxresults");
  if (text === undefined) return limit;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw invalidQueryParameter("maxresults", text, `maxresults must be an integer from 1 to ${limit}.`);
  }
  return value;
}

/** Applies `$select` (comma-separated top-level property names) to one wire object. */
export function applySelect(item: Record<string, unknown>, select: string | undefined): Record<string, unknown> {
  if (!select) return item;
  const result: Record<string, unknown> = {};
  for (const name of select
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const top = name.split("/")[0];
    const key = Object.keys(item).find((candidate) => candidate.toLowerCase() === top.toLowerCase());
    if (key !== undefined) result[key] = item[key];
  }
  return result;
}

export function expands(context: RequestContext, name: string): boolean {
  return (context.query.get("$expand") ?? "")
    .split(",")
    .map((part) => part.trim().toLowerCase())
    .includes(name);
}

export interface ListOptions<T> {
  /** turns a stored item into its wire form for the response (and for `$filter`), before `$select` */
  present: (item: T) => Record<string, unknown>;
  /** the operation's largest (and default) maxresults, when not 1000 */
  maxResults?: number;
}

/**
 * Answers a list operation: filters, pages and selects. The skip token is an opaque position in the unfiltered
 * sequence (how many items earlier pages consumed), so a page resumes where the last one stopped: items before it
 * are skipped without being presented or filtered again, and paging through a large filtered list costs one pass.
 * The next link repeats the caller's query with a `$skiptoken`, as the service's `odata.nextLink` does.
 */
export function listReply<T>(context: RequestContext, items: Iterable<T>, options: ListOptions<T>): Reply {
  const filter = context.query.get("$filter");
  const predicate = filter === undefined || filter.trim() === "" ? undefined : compileFilter(filter);
  const limit = maxResults(context, options.maxResults);
  const skipText = context.query.get("$skiptoken");
  const skip = skipText === undefined ? 0 : Number.parseInt(Buffer.from(skipText, "base64url").toString("utf8"), 10);
  if (!Number.isInteger(skip) || skip < 0) throw invalidQueryParameter("$skiptoken", skipText ?? "", "The skip token is not one this service issued.");
  const select = context.query.get("$select");
  const page: Record<string, unknown>[] = [];
  let position = 0;
  let more = false;
  for (const item of items) {
    if (position++ < skip) continue;
    const presented = predicate ? options.present(item) : undefined;
    if (presented && !predicate!(presented)) continue;
    if (page.length === limit) {
      more = true;
      position--; // this item starts the next page
      break;
    }
    page.push(applySelect(presented ?? options.present(item), select));
  }
  const body: Record<string, unknown> = { value: page };
  if (more) body["odata.nextLink"] = nextLink(context, position);
  return { status: 200, body };
}

function nextLink(context: RequestContext, offset: number): string {
  const queryStart = context.rawUrl.indexOf("?");
  const path = queryStart >= 0 ? context.rawUrl.slice(0, queryStart) : context.rawUrl;
  const parts = (queryStart >= 0 ? context.rawUrl.slice(queryStart + 1) : "")
    .split("&")
    .filter((part) => part && !part.toLowerCase().startsWith("$skiptoken=") && !part.toLowerCase().startsWith("%24skiptoken="));
  parts.push(`$skiptoken=${Buffer.from(String(offset)).toString("base64url")}`);
  return `${context.baseUrl}${path}?${parts.join("&")}`;
}
