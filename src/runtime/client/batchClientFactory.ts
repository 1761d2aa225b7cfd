// Why: BatchClientFactory — the one place a BatchServiceClient is built from settings (shared key, Entra ID, or the local service).
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import type { BatchClientSettings } from "../settings/batchClientSettings";
import { withContentLengthPolicy } from "./contentLengthPolicy";
import { EntraIdBatchCredentials } from "./entraIdCredentials";
import { createTokenCredential, type TokenCredentialLike } from "./identityModule";

type BatchCredentials = ConstructorParameters<typeof BatchServiceClient>[0];
export type BatchClientOptions = ConstructorParameters<typeof BatchServiceClient>[2];

/** True inside a Batch task (the node sets AZ_BATCH_NODE_ID). */
export const runsOnBatchNode = (env: NodeJS.ProcessEnv = process.env): boolean => env.AZ_BATCH_NODE_ID !== undefined;

// biome-ignore lint/complexity/noStaticOnlyClass: the public API mirrors the Python runtime's BatchClientFactory.create(settings)
export class BatchClientFactory {
  /** A client for the settings' account. Entra ID loads @azure/identity on first use. */
  static async create(settings: BatchClientSettings, options?: BatchClientOptions): Promise<BatchServiceClient> {
    return new BatchServiceClient(await BatchClientFactory.credentials(settings), settings.accountUrl, withContentLengthPolicy(options));
  }

  /** The Entra ID credential the settings describe (also used for Storage user-delegation SAS); undefined for key-based modes. */
  static async tokenCredential(settings: BatchClientSettings): Promise<TokenCredentialLike | undefined> {
    if (settings.authMode !== "entraId") return undefined;
    return createTokenCredential(settings.managedIdentityClientId, runsOnBatchNode());
  }

  private static async credentials(settings: BatchClientSettings): Promise<BatchCredentials> {
    if (settings.authMode === "entraId") {
      const credential = await BatchClientFactory.tokenCredential(settings);
      return new EntraIdBatchCredentials(credential!) as unknown as BatchCredentials;
    }
    // sharedKey and local: settings guarantee name and key (local defaults to the well-known development account)
    return new BatchSharedKeyCredentials(settings.accountName!, settings.accountKey!);
  }
}
