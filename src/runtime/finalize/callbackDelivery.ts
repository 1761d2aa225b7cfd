// Why: POSTs the job summary to the workload's callback URL — signed when a callback secret is set — retrying only transient failures; failing for good is an error.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logging/logger";
import { redactUrl, validateCallbackUrl } from "../settings/callbackUrl";
import { CallbackHeaders, signCallback } from "./callbackSignature";
import { isTransientNetworkError, isTransientStatus, networkErrorCode, retryAfterMs } from "./transientFailure";

export interface CallbackOptions {
  /** total attempts (default 6: about 30 s of retrying) */
  attempts?: number;
  /** delay before the second attempt; doubles each time (default 1000 ms); a Retry-After answer may ask for longer (up to 60 s) */
  initialDelayMs?: number;
  /** per-request timeout (default 30 s) */
  timeoutMs?: number;
  /** HMAC-SHA256 key: each attempt carries a fresh timestamp and its signature (BATCH_CALLBACK_SECRET) */
  secret?: string;
  /** sent in every attempt's delivery header; default: a random UUID per deliverCallback call */
  deliveryId?: string;
  logger?: Logger;
  /** what is delivered, for messages (default "the job summary") */
  what?: string;
  /** the setting that holds the URL, named by messages that suggest a fix (default BATCH_CALLBACK_URL) */
  setting?: string;
}

export class CallbackDeliveryError extends Error {
  constructor(
    url: string,
    attempts: number,
    lastProblem: string,
    /** false when the failure was not worth retrying (a refusal, a wrong URL, port or host) */
    readonly transient: boolean,
    what = "the job summary",
  ) {
    super(`Could not deliver ${what} to ${redactUrl(url)} after ${attempts} attempt(s): ${lastProblem}`);
    this.name = "CallbackDeliveryError";
  }
}

const RETRY_AFTER_CAP_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What to tell the operator about a network failure, with the likely fix for the ones that are never retried. */
function describeNetworkError(error: unknown, setting: string): string {
  const base = (error as Error).cause instanceof Error ? `${(error as Error).message}: ${((error as Error).cause as Error).message}` : (error as Error).message;
  const code = networkErrorCode(error);
  if (code === "ECONNREFUSED") return `${base} (nothing accepts connections there: check the host and port of ${setting})`;
  if (code === "ENOTFOUND") return `${base} (unknown host: check the host name of ${setting})`;
  return code && !base.includes(code) ? `${base} (${code})` : base;
}

function headersFor(payload: string, deliveryId: string, secret: string | undefined): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    "content-type": "application/json",
    "user-agent": "batch-manager-runtime/0.1.0",
    [CallbackHeaders.delivery]: deliveryId,
    [CallbackHeaders.timestamp]: timestamp,
    ...(secret ? { [CallbackHeaders.signature]: signCallback(secret, timestamp, payload) } : {}),
  };
}

/**
 * Delivers `body` as JSON; resolves with the HTTP status of the accepting response (2xx). Retries, with exponential
 * backoff, only transient failures (408/425/429/5xx answers, resets, timeouts); anything else fails at once.
 */
export async function deliverCallback(url: string, body: unknown, options: CallbackOptions = {}): Promise<number> {
  validateCallbackUrl(url);
  const attempts = options.attempts ?? 6;
  const payload = JSON.stringify(body);
  const deliveryId = options.deliveryId ?? randomUUID();
  let lastProblem = "not attempted";
  let waitMs = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(Math.max(waitMs, (options.initialDelayMs ?? 1000) * 2 ** (attempt - 2)));
    waitMs = 0;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: headersFor(payload, deliveryId, options.secret),
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return response.status;
      lastProblem = `HTTP ${response.status} ${response.statusText}`;
      if (!isTransientStatus(response.status)) throw new CallbackDeliveryError(url, attempt, lastProblem, false, options.what);
      waitMs = retryAfterMs(response.headers.get("retry-after"), RETRY_AFTER_CAP_MS) ?? 0;
    } catch (error) {
      if (error instanceof CallbackDeliveryError) throw error;
      lastProblem = describeNetworkError(error, options.setting ?? "BATCH_CALLBACK_URL");
      if (!isTransientNetworkError(error)) throw new CallbackDeliveryError(url, attempt, lastProblem, false, options.what);
    }
    options.logger?.warning(
      `${options.what ? `Delivery of ${options.what}:` : "Callback"} attempt ${attempt}/${attempts} to ${redactUrl(url)} failed: ${lastProblem}`,
    );
  }
  throw new CallbackDeliveryError(url, attempts, lastProblem, true, options.what);
}
