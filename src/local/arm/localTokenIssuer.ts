// Why: the local service's documented token issuer and bearer-token check, so ARM clients authenticate to the local management endpoints as they do to Azure.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Tokens live an hour, as Entra ID access tokens typically do. */
const TOKEN_LIFETIME_SECONDS = 3600;

export interface IssuedToken {
  token_type: "Bearer";
  access_token: string;
  expires_in: number;
  expires_on: number;
}

/**
 * `POST /localArm/oauth2/token` with `client_id=<account name>&client_secret=<account key>` (form or JSON) issues a
 * bearer token: `base64url({"sub","exp"}).base64url(HMAC-SHA256)`, signed with a secret drawn when the service
 * starts (so tokens end with it). The management endpoints accept only such tokens. The local account key is the
 * well-known one, so this proves nothing about a person; it makes clients go through the same bearer-token code
 * path they use against Azure, and a missing or stale token is refused the same way (401).
 */
export class LocalTokenIssuer {
  private readonly secret = randomBytes(32);

  constructor(private readonly accounts: ReadonlyMap<string, string>) {}

  issue(clientId: string | undefined, clientSecret: string | undefined, now = Date.now()): IssuedToken | undefined {
    const key = clientId === undefined ? undefined : this.accounts.get(clientId);
    if (key === undefined || clientSecret === undefined || !sameText(key, clientSecret)) return undefined;
    const exp = Math.floor(now / 1000) + TOKEN_LIFETIME_SECONDS;
    const payload = Buffer.from(JSON.stringify({ sub: clientId, exp })).toString("base64url");
    return { token_type: "Bearer", access_token: `${payload}.${this.sign(payload)}`, expires_in: TOKEN_LIFETIME_SECONDS, expires_on: exp };
  }

  /** undefined when the `Authorization` header carries a valid, unexpired token; else why not. */
  check(authorization: string | undefined, now = Date.now()): string | undefined {
    const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
    if (!match) return "The request has no bearer token (Authorization: Bearer <token from /localArm/oauth2/token>).";
    const [, payload, signature] = match;
    if (!sameText(this.sign(payload!), signature!)) return "The bearer token was not issued by this local service (it may predate a restart).";
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as { exp?: number };
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) return "The bearer token has expired.";
    return undefined;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
