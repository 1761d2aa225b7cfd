// Why: the callback's signature — HMAC-SHA256 over `timestamp + "." + body` with BATCH_CALLBACK_SECRET — and its headers, so a receiver can check who sent it, that it is fresh, and whether it already has it.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** The headers of a callback POST (lower-case, as Node's http module presents them). */
export const CallbackHeaders = {
  /** `sha256=<hex HMAC-SHA256 of timestamp + "." + body>`; only when a callback secret is set */
  signature: "batch-manager-signature",
  /** Unix time in seconds at which this attempt was signed */
  timestamp: "batch-manager-timestamp",
  /** the same for every attempt of one delivery (and every retry of the FinalizeTask): deduplicate on it */
  delivery: "batch-manager-delivery",
} as const;

export const SIGNATURE_PREFIX = "sha256=";

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signCallback(secret: string, timestamp: number | string, body: string): string {
  return `${SIGNATURE_PREFIX}${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Constant-time check of a signature header against the body and timestamp it came with. */
export function isValidCallbackSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signCallback(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A delivery id derived from the job (its id and creation time), so a retried FinalizeTask sends the same one. */
export function jobDeliveryId(jobId: string, jobCreatedAt: string | undefined): string {
  const hex = createHash("sha256")
    .update(`${jobId}\n${jobCreatedAt ?? ""}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
