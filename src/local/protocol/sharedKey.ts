// Why: verifies `Authorization: SharedKey` as the Batch service does for every official SDK's signer (shared-key.md §8.5).
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SignedRequest {
  method: string;
  /** The request target as received: encoded path plus query string. */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  bodyLength: number;
}

export type AuthResult = { ok: true; accountName: string } | { ok: false; reason: string };

/**
 * One way of writing the parts of the string-to-sign on which the SDKs differ (shared-key.md §8.2–8.3). Everything else
 * (verb, the other standard headers verbatim, the `ocp-*` block, account, encoded path, decoded query values) is common.
 */
export interface CanonicalForm {
  /** the Content-Length slot: the body's byte count, or for an empty body "" or "0" */
  contentLength: string;
  /** the Date slot: the Date header, or "" when ocp-date carries the time (Java azure-compute-batch) */
  date: string;
  /** query names lower-cased (.NET, Java, the documented rule) or as sent (JS, Python) */
  lowerCaseNames: boolean;
  /** parameters with an empty value left out (Python's parse_qs) or kept as `name:` */
  dropEmptyValues: boolean;
  /** a repeated name: its first value (JS @azure/batch 10.x, Python) or all values sorted and comma-joined (the documented rule) */
  repeated: "first" | "joined";
}

const SLOTS_BEFORE_LENGTH = ["content-encoding", "content-language"] as const;
const SLOTS_AFTER_DATE = ["if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"] as const;

/** Requests older (or further in the future) than this are rejected, as the service does. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

function header(headers: SignedRequest["headers"], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

function decodeQueryComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function splitTarget(rawUrl: string): { path: string; pairs: [string, string][] } {
  const queryStart = rawUrl.indexOf("?");
  const path = queryStart >= 0 ? rawUrl.slice(0, queryStart) : rawUrl;
  const pairs: [string, string][] = [];
  if (queryStart >= 0) {
    for (const part of rawUrl.slice(queryStart + 1).split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      pairs.push([decodeQueryComponent(eq >= 0 ? part.slice(0, eq) : part), decodeQueryComponent(eq >= 0 ? part.slice(eq + 1) : "")]);
    }
  }
  return { path: path || "/", pairs };
}

function canonicalQuery(pairs: readonly [string, string][], form: CanonicalForm): string {
  const values = new Map<string, string[]>();
  for (const [sentName, value] of pairs) {
    if (form.dropEmptyValues && value === "") continue;
    const name = form.lowerCaseNames ? sentName.toLowerCase() : sentName;
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  let result = "";
  for (const name of [...values.keys()].sort()) {
    const list = values.get(name)!;
    result += `\n${name}:${form.repeated === "joined" ? [...list].sort().join(",") : list[0]}`;
  }
  return result;
}

/** The JS SDK's form (@azure/batch 10.x): length, else "0" for POST, else ""; Date verbatim; query names as sent, first value. */
export function defaultForm(request: Pick<SignedRequest, "method" | "bodyLength" | "headers">): CanonicalForm {
  const contentLength = request.bodyLength > 0 ? String(request.bodyLength) : request.method.toUpperCase() === "POST" ? "0" : "";
  return { contentLength, date: header(request.headers, "date"), lowerCaseNames: false, dropEmptyValues: false, repeated: "first" };
}

/** Builds the string a client signed in the given form; see shared-key.md section 3. */
export function stringToSign(accountName: string, request: SignedRequest, form: Partial<CanonicalForm> = {}): string {
  const full = { ...defaultForm(request), ...form };
  const lines = [request.method.toUpperCase(), ...SLOTS_BEFORE_LENGTH.map((name) => header(request.headers, name)), full.contentLength];
  lines.push(header(request.headers, "content-md5"), header(request.headers, "content-type"), full.date);
  lines.push(...SLOTS_AFTER_DATE.map((name) => header(request.headers, name)));
  let result = `${lines.join("\n")}\n`;
  const ocpNames = Object.keys(request.headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith("ocp-"))
    .sort();
  for (const name of ocpNames) {
    const value = header(request.headers, name);
    if (value !== "") result += `${name}:${value}\n`;
  }
  const { path, pairs } = splitTarget(request.rawUrl);
  return `${result}/${accountName}${path}${canonicalQuery(pairs, full)}`;
}

/**
 * Every form some official SDK may have signed this request in; a dimension offers its second option only when the
 * request makes it matter (an empty body, both Date and ocp-date, an upper-case query name, an empty or repeated parameter).
 */
export function candidateForms(request: SignedRequest): CanonicalForm[] {
  const { pairs } = splitTarget(request.rawUrl);
  const date = header(request.headers, "date");
  const lengths = request.bodyLength > 0 ? [String(request.bodyLength)] : ["", "0"];
  const dates = date !== "" && header(request.headers, "ocp-date") !== "" ? [date, ""] : [date];
  const cases = pairs.some(([name]) => name !== name.toLowerCase()) ? [false, true] : [false];
  const empties = pairs.some(([, value]) => value === "") ? [false, true] : [false];
  const lowerNames = pairs.map(([name]) => name.toLowerCase());
  const repeats: CanonicalForm["repeated"][] = new Set(lowerNames).size < lowerNames.length ? ["first", "joined"] : ["first"];
  const forms: CanonicalForm[] = [];
  for (const contentLength of lengths)
    for (const d of dates)
      for (const lowerCaseNames of cases)
        for (const dropEmptyValues of empties)
          for (const repeated of repeats) forms.push({ contentLength, date: d, lowerCaseNames, dropEmptyValues, repeated });
  return forms;
}

export function computeSignature(accountKeyBase64: string, text: string): string {
  return createHmac("sha256", Buffer.from(accountKeyBase64, "base64")).update(text, "utf8").digest("base64");
}

function freshnessProblem(request: SignedRequest, now: number): string | undefined {
  const ocpDate = header(request.headers, "ocp-date");
  const dateText = ocpDate || header(request.headers, "date");
  const name = ocpDate ? "ocp-date" : "Date";
  if (!dateText) return "The request has neither an ocp-date nor a Date header; set ocp-date to the current time (RFC 1123) and sign it.";
  const date = Date.parse(dateText);
  if (Number.isNaN(date)) return `The ${name} header '${dateText}' is not a valid HTTP date (RFC 1123, e.g. 'Tue, 29 Jul 2014 21:49:13 GMT').`;
  if (Math.abs(now - date) > MAX_CLOCK_SKEW_MS) return `The request's ${name} is more than 15 minutes away from the server's time; check the client's clock.`;
  return undefined;
}

/** Checks the request's SharedKey signature and date against the known accounts (name → base64 key). */
export function verifySharedKey(request: SignedRequest, accounts: ReadonlyMap<string, string>, now = Date.now()): AuthResult {
  const authorization = header(request.headers, "authorization");
  if (!authorization) return { ok: false, reason: "The request has no Authorization header." };
  if (!authorization.startsWith("SharedKey ")) {
    return { ok: false, reason: "The Authorization header must use the SharedKey scheme: 'SharedKey <account>:<signature>'." };
  }
  const credential = authorization.slice("SharedKey ".length);
  const colon = credential.indexOf(":");
  if (colon <= 0) return { ok: false, reason: "The Authorization header is not of the form 'SharedKey <account>:<signature>'." };
  const accountName = credential.slice(0, colon);
  const given = Buffer.from(credential.slice(colon + 1));
  const key = accounts.get(accountName);
  if (key === undefined) return { ok: false, reason: `The account '${accountName}' is not known to this service.` };
  const stale = freshnessProblem(request, now);
  if (stale) return { ok: false, reason: stale };
  const texts = new Set(candidateForms(request).map((form) => stringToSign(accountName, request, form)));
  for (const text of texts) {
    const expected = Buffer.from(computeSignature(key, text));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true, accountName };
  }
  return {
    ok: false,
    reason:
      "The MAC signature found in the HTTP request is not the same as any computed signature (wrong account key, or the request was changed after signing).",
  };
}
