// Why: signs @azure/batch requests with a Microsoft Entra ID bearer token for the Batch resource (the SDK's own credential type is shared-key only).
import type { TokenCredentialLike } from "./identityModule";

/** The OAuth scope of the Azure Batch data plane. */
export const BATCH_SCOPE = "https://batch.core.windows.net//.default";

/** The part of ms-rest-js's WebResource the credential touches. */
interface SignableRequest {
  headers: { set(name: string, value: string): void };
}

/** An ms-rest-js ServiceClientCredentials (structural): adds `Authorization: Bearer …`, refreshing the token before it expires. */
export class EntraIdBatchCredentials {
  private cached?: { token: string; expiresOnTimestamp: number };

  constructor(private readonly credential: TokenCredentialLike) {}

  async signRequest<T extends SignableRequest>(request: T): Promise<T> {
    request.headers.set("authorization", `Bearer ${await this.token()}`);
    return request;
  }

  private async token(): Promise<string> {
    if (this.cached && this.cached.expiresOnTimestamp - Date.now() > 2 * 60_000) return this.cached.token;
    const token = await this.credential.getToken(BATCH_SCOPE);
    if (!token) throw new Error(`Microsoft Entra ID returned no token for ${BATCH_SCOPE}`);
    this.cached = token;
    return token.token;
  }
}
