// Why: how the real ARM SDK clients talk to the local service's management endpoint: tokens from its local issuer, and plain HTTP on loopback after the bearer policy signed the request.

import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { AdditionalPolicyConfig } from "@azure/core-client";
import { LOCAL_TOKEN_PATH } from "../../local/arm/armEndpoint";

/** Asks the local issuer (`POST <batchUrl>/localArm/oauth2/token`) for a token with the local account's well-known name and key. */
export class LocalArmCredential implements TokenCredential {
  constructor(
    private readonly batchUrl: string,
    private readonly accountName: string,
    private readonly accountKey: string,
  ) {}

  async getToken(): Promise<AccessToken> {
    const response = await fetch(`${this.batchUrl.replace(/\/+$/, "")}${LOCAL_TOKEN_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: this.accountName, client_secret: this.accountKey }).toString(),
    });
    if (!response.ok) throw new Error(`the local service refused a management token (HTTP ${response.status}); is it the local service of this data folder?`);
    const issued = (await response.json()) as { access_token: string; expires_on: number };
    return { token: issued.access_token, expiresOnTimestamp: issued.expires_on * 1000 };
  }
}

/**
 * The SDK's bearer-token policy only signs https URLs. The local endpoint is addressed as `https://127.0.0.1:<port>`
 * so the real policy signs it, and this policy (which runs after it, per retry) sends it as `http://` — only to a
 * loopback host, so a token can never leave the machine unencrypted.
 */
export const loopbackHttpPolicy: AdditionalPolicyConfig = {
  position: "perRetry",
  policy: {
    name: "batchManagerLoopbackHttp",
    sendRequest(request, next) {
      const url = new URL(request.url);
      if (url.protocol === "https:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]")) {
        url.protocol = "http:";
        request.url = url.toString();
        request.allowInsecureConnection = true;
      }
      return next(request);
    },
  },
};

/** The https form of the local service's URL, as the ARM clients are given it. */
export function localArmEndpoint(batchUrl: string): string {
  return batchUrl.replace(/^http:/, "https:").replace(/\/+$/, "");
}
