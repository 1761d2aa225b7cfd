// Why: POSTs the job summary to the workload's callback URL, retrying with exponential backoff; failing for good is an error.
import type { Logger } from "../logging/logger";
import { redactUrl, validateCallbackUrl } from "../settings/callbackUrl";

export interface CallbackOptions {
  /** total attempts (default 6: about 30 s of retrying) */
  attempts?: number;
  /** delay before the second attempt; doubles each time (default 1000 ms) */
  initialDelayMs?: number;
  /** per-request timeout (default 30 s) */
  timeoutMs?: number;
  logger?: Logger;
}

export class CallbackDeliveryError extends Error {
  constructor(url: string, attempts: number, lastProblem: string) {
    super(`Could not deliver the job summary to ${redactUrl(url)} after ${attempts} attempt(s): ${lastProblem}`);
    this.name = "CallbackDeliveryError";
  }
}

const isRetryable = (status: number): boolean => status === 408 || status === 425 || status === 429 || status >= 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delivers `body` as JSON; resolves with the HTTP status of the accepting response (2xx). */
export async function deliverCallback(url: string, body: unknown, options: CallbackOptions = {}): Promise<number> {
  validateCallbackUrl(url);
  const attempts = options.attempts ?? 6;
  const payload = JSON.stringify(body);
  let lastProblem = "not attempted";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep((options.initialDelayMs ?? 1000) * 2 ** (attempt - 2));
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "batch-manager-runtime/0.1.0" },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return response.status;
      lastProblem = `HTTP ${response.status} ${response.statusText}`;
      if (!isRetryable(response.status)) throw new CallbackDeliveryError(url, attempt, lastProblem);
    } catch (error) {
      if (error instanceof CallbackDeliveryError) throw error;
      lastProblem =
        (error as Error).cause instanceof Error ? `${(error as Error).message}: ${((error as Error).cause as Error).message}` : (error as Error).message;
    }
    options.logger?.warning(`Callback attempt ${attempt}/${attempts} to ${redactUrl(url)} failed: ${lastProblem}`);
  }
  throw new CallbackDeliveryError(url, attempts, lastProblem);
}
