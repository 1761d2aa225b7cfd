// Why: the AZ_BATCH_AUTHENTICATION_TOKEN a task with authenticationTokenSettings gets: job-scoped, expiring, checked without storage.
import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a token is accepted after it was issued (each attempt of the task gets a fresh one when its process starts). */
export const JOB_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

const PREFIX = "lbjt1";
/** Separates the token's MAC key from every other use of the account key (SharedKey signs with the key itself). */
const KEY_PURPOSE = "local-batch/authentication-token/v1";

interface TokenClaims {
  /** account name */
  a: string;
  /** job id, as the task's job spells it */
  j: string;
  /** expiry, epoch milliseconds */
  e: number;
}

export type JobTokenResult = { ok: true; accountName: string; jobId: string; expiresAt: number } | { ok: false; reason: string };

function mac(accountKeyBase64: string, payload: string): Buffer {
  const tokenKey = createHmac("sha256", Buffer.from(accountKeyBase64, "base64")).update(KEY_PURPOSE).digest();
  return createHmac("sha256", tokenKey).update(payload).digest();
}

/** A token granting the job's operations (access "job") on the account until `now` + JOB_TOKEN_LIFETIME_MS. */
export function issueJobToken(accountName: string, accountKeyBase64: string, jobId: string, now = Date.now()): string {
  const claims: TokenClaims = { a: accountName, j: jobId, e: now + JOB_TOKEN_LIFETIME_MS };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${PREFIX}.${payload}.${mac(accountKeyBase64, payload).toString("base64url")}`;
}

function parseClaims(payload: string): TokenClaims | undefined {
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<TokenClaims>;
    if (typeof claims.a === "string" && typeof claims.j === "string" && typeof claims.e === "number") return claims as TokenClaims;
  } catch {
    // not JSON: reported below
  }
  return undefined;
}

/** Checks a bearer token against the known accounts (name → base64 key); the reasons never repeat the token. */
export function verifyJobToken(token: string, accounts: ReadonlyMap<string, string>, now = Date.now()): JobTokenResult {
  const parts = token.split(".");
  const claims = parts.length === 3 && parts[0] === PREFIX ? parseClaims(parts[1]!) : undefined;
  if (!claims) {
    return {
      ok: false,
      reason:
        "The bearer token is not an authentication token of this local Batch service; use the task's AZ_BATCH_AUTHENTICATION_TOKEN unchanged, or sign with the account key (SharedKey).",
    };
  }
  const key = accounts.get(claims.a);
  const given = Buffer.from(parts[2]!, "base64url");
  const expected = key === undefined ? undefined : mac(key, parts[1]!);
  if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason: "The authentication token's signature is not valid for this account (the token was changed, or the account key was regenerated).",
    };
  }
  if (now >= claims.e) {
    return {
      ok: false,
      reason: `The authentication token expired at ${new Date(claims.e).toISOString()}; tokens last ${JOB_TOKEN_LIFETIME_MS / 3_600_000} hours from the task's start.`,
    };
  }
  return { ok: true, accountName: claims.a, jobId: claims.j, expiresAt: claims.e };
}
