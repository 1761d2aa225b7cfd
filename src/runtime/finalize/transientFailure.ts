// Why: the one rule for which callback failures are worth another attempt (a busy or restarting receiver) and which fail at once (a wrong URL, port or host, a refusal).

/** 408, 425, 429 and 5xx answers are transient, except 501 and 505 (the receiver will never accept this request). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Network errors that a later attempt may not meet: a reset or dropped connection, a timeout, a temporary DNS failure.
 * A refused connection (nothing listens on that port), an unknown host or a TLS certificate problem are configuration
 * mistakes and fail at once.
 */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The error code of a fetch failure (undici puts it on `cause`, sometimes inside an AggregateError). */
export function networkErrorCode(error: unknown): string | undefined {
  const seen: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift() as { code?: unknown; cause?: unknown; errors?: unknown[]; name?: string } | undefined;
    if (!current || typeof current !== "object" || seen.includes(current)) continue;
    seen.push(current);
    if (current.name === "TimeoutError") return "ETIMEDOUT";
    if (typeof current.code === "string" && current.code !== "ERR_INVALID_ARG_TYPE") return current.code;
    queue.push(current.cause, ...(Array.isArray(current.errors) ? current.errors : []));
  }
  return undefined;
}

export function isTransientNetworkError(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, capMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - Date.now()) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(0, seconds * 1000), capMs);
}
