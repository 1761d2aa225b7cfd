// Why: storage URLs carry SAS tokens and storage errors echo them; every text we log or report goes through here first.
import { redactSecrets } from "../common/logger";

/** The URL without its query (SAS) and fragment; never throws. */
export function stripSas(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.search = "";
    parsed.hash = "";
    return parsed.toString();
  } catch {
    return redactSecrets(url.split(/[?#]/, 1)[0] ?? "");
  }
}

/** Removes SAS queries from every URL inside a free text, then the usual secrets. */
export function scrubText(text: string): string {
  return redactSecrets(text.replace(/(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]*/g, "$1"));
}

/** What we can safely say about a failed storage or HTTP call. */
export interface ErrorFacts {
  statusCode?: number;
  /** storage error code (x-ms-error-code) or Node error code (ECONNREFUSED, ENOSPC, ...) */
  code?: string;
  /** a short scrubbed description */
  text: string;
}

export function errorFacts(error: unknown): ErrorFacts {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const statusCode = typeof e?.statusCode === "number" ? e.statusCode : undefined;
  const rawCode = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  const rawText = [e?.message, e?.cause?.message].filter((part) => typeof part === "string" && part.length > 0).join(": ");
  // Storage messages are multi-line (RequestId, Time); keep the first line.
  const text = scrubText((rawText || String(error)).split("\n", 1)[0] ?? "").slice(0, 500);
  return { statusCode, code: rawCode, text };
}
