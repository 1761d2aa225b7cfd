// Why: the one rule for workload callback URLs: HTTPS, except plain HTTP to a loopback address (local development and tests).
import { isLoopbackHost } from "./loopback";

/** Ports the Fetch standard blocks ("bad port"): fetch refuses them without connecting. */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Returns the URL unchanged when it is acceptable; throws a message that completes "<VARIABLE> …" otherwise. */
export function validateCallbackUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`is not a valid URL (got "${raw}")`);
  }
  if (url.port && FETCH_BLOCKED_PORTS.has(Number(url.port)))
    throw new Error(
      `uses port ${url.port}, which fetch refuses to connect to (a blocked port of the Fetch standard): use another port (got "${url.protocol}//${url.host}")`,
    );
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
