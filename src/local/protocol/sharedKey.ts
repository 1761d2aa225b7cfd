// Why: verifies `Authorization: SharedKey` exactly as the Batch service (and @azure/batch 10.x) signs requests.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SignedRequest {
  method: string;
  /** The request target as received: encoded path plus query string. */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  bodyLength: number;
}

export type AuthResult = { ok: true; accountName: string } | { ok: false; reason: string };

const STANDARD_HEADERS = [
  "content-encoding",
  "content-language",
  "content-length",
  "content-md5",
  "content-type",
  "date",
  "if-modified-since",
  "if-match",
  "if-none-match",
  "if-unmodified-since",
  "range",
] as const;

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

/**
 * What a client may have put in the Content-Length slot: the length; for an empty body, "0" or "" — @azure/batch signs
 * "0" only on POST, azure-batch (Python) signs the `Content-Length: 0` it sends on DELETE as "0"; the service takes both.
 */
export function contentLengthSlots(request: Pick<SignedRequest, "method" | "bodyLength">): string[] {
  if (request.bodyLength > 0) return [String(request.bodyLength)];
  return request.method.toUpperCase() === "POST" ? ["0", ""] : ["", "0"];
}

/** Builds the string the client signed; see shared-key.md section 3. `contentLength`: the slot's text (default: the JS SDK's). */
export function stringToSign(accountName: string, request: SignedRequest, contentLength = contentLengthSlots(request)[0]!): string {
  const method = request.method.toUpperCase();
  const lines = [method];
  for (const name of STANDARD_HEADERS) {
    if (name === "content-length") {
      lines.push(contentLength);
    } else {
      lines.push(header(request.headers, name));
    }
  }
  let result = `${lines.join("\n")}\n`;
  const ocpNames = Object.keys(request.headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith("ocp-"))
    .sort();
  for (const name of ocpNames) {
    const value = header(request.headers, name);
    if (value !== "") result += `${name}:${value}\n`;
  }
  const queryStart = request.rawUrl.indexOf("?");
  const path = queryStart >= 0 ? request.rawUrl.slice(0, queryStart) : request.rawUrl;
  result += `/${accountName}${path || "/"}`;
  const query = new Map<string, string>();
  if (queryStart >= 0) {
    for (const part of request.rawUrl.slice(queryStart + 1).split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      const name = decodeQueryComponent(eq >= 0 ? part.slice(0, eq) : part);
      const value = decodeQueryComponent(eq >= 0 ? part.slice(eq + 1) : "");
      if (!query.has(name)) query.set(name, value);
    }
  }
  for (const name of [...query.keys()].sort()) result += `\n${name}:${query.get(name)}`;
  return result;
}

export function computeSignature(accountKeyBase64: string, text: string): string {
  return createHmac("sha256", Buffer.from(accountKeyBase64, "base64")).update(text, "utf8").digest("base64");
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
  const signature = credential.slice(colon + 1);
  const key = accounts.get(accountName);
  if (key === undefined) return { ok: false, reason: `The account '${accountName}' is not known to this service.` };
  const dateText = header(request.headers, "ocp-date") || header(request.headers, "date");
  if (!dateText) return { ok: false, reason: "The request has neither an ocp-date nor a Date header." };
  const date = Date.parse(dateText);
  if (Number.isNaN(date)) return { ok: false, reason: "The ocp-date header is not a valid HTTP date." };
  if (Math.abs(now - date) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: "The request's ocp-date is more than 15 minutes away from the server's time." };
  }
  const given = Buffer.from(signature);
  const matches = (slot: string) => {
    const expected = Buffer.from(computeSignature(key, stringToSign(accountName, request, slot)));
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if (!contentLengthSlots(request).some(matches)) {
    return { ok: false, reason: "The MAC signature found in the HTTP request is not the same as any computed signature." };
  }
  return { ok: true, accountName };
}
