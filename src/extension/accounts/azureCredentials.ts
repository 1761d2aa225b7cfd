// Why: the injectable source of Azure AD tokens (VS Code's "microsoft" sessions in the host, a local issuer in tests) and its SDK adapters.

import type { AccessToken, TokenCredential } from "@azure/core-auth";

export const ARM_SCOPE = "https://management.azure.com/.default";
/** The Batch data plane's scope: the resource id ends in "/", hence the double slash. */
export const BATCH_SCOPE = "https://batch.core.windows.net//.default";

export interface AzureCredentialSource {
  /** A bearer token for `scopes`; rejects with AuthRequiredError when nobody is signed in (never prompts). */
  getToken(scopes: readonly string[]): Promise<string>;
  /** Fires when the signed-in accounts change (sign in, sign out, token revoked). */
  onDidChange(listener: () => void): { dispose(): void };
}

/** "Sign in (again)": the explorer offers batchManager.accounts.signIn for it. */
export class AuthRequiredError extends Error {
  constructor(message = "Not signed in to Azure.") {
    super(message);
    this.name = "AuthRequiredError";
  }
}

/** True for AuthRequiredError and for 401 answers (expired or revoked tokens) from ARM or Batch. */
export function isAuthError(error: unknown): boolean {
  const e = error as { name?: unknown; statusCode?: unknown; status?: unknown } | null | undefined;
  return e?.name === "AuthRequiredError" || e?.statusCode === 401 || e?.status === 401;
}

/** Tokens from the source are re-asked for after this long (VS Code sessions refresh themselves). */
const TOKEN_LIFETIME_MS = 5 * 60_000;

/** An @azure/core-auth TokenCredential (what the ARM clients take) over the source. */
export function toTokenCredential(source: AzureCredentialSource): TokenCredential {
  return {
    async getToken(scopes): Promise<AccessToken> {
      const token = await source.getToken(Array.isArray(scopes) ? scopes : [scopes as string]);
      return { token, expiresOnTimestamp: Date.now() + TOKEN_LIFETIME_MS };
    },
  };
}

/** ms-rest-js ServiceClientCredentials (what @azure/batch 10 takes): `Authorization: Bearer` for the Batch scope. */
export function toBatchBearerCredentials(source: AzureCredentialSource): {
  signRequest<R extends { headers: { set(name: string, value: string): void } }>(request: R): Promise<R>;
} {
  return {
    async signRequest(request) {
      request.headers.set("authorization", `Bearer ${await source.getToken([BATCH_SCOPE])}`);
      return request;
    },
  };
}
