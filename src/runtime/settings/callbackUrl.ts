// Why: the one rule for workload callback URLs: HTTPS, except plain HTTP to a loopback address (local development and tests).
import { isLoopbackHost } from "./loopback";

/** Returns the URL unchanged when it is acceptable; throws a message that completes "<VARIABLE> …" otherwise. */
export function validateCallbackUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`is not a valid URL (got "${raw}")`);
  }
  if (url.protocol === "https:") return raw;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return raw;
  throw new Error(`must use https (plain http is accepted only for localhost/127.0.0.1/::1; got "${url.protocol}//${url.host}")`);
}

/** The URL without query string or credentials, for logs and summaries (a callback URL may carry a signature). */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}${url.search ? "?…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}
