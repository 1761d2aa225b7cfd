// Why: the one place a real @azure/batch client is built for a local-service connection (shared-key auth, no retries).

import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import type { LocalConnection } from "./localServiceController";

/**
 * A client for the local service. No retry policy: against a local process a refused connection means it is
 * down, and the SDK's default retries would hold an explorer branch for over half a minute before its error shows.
 */
export function createBatchClient(connection: Pick<LocalConnection, "batchUrl" | "accountName" | "accountKey">): BatchServiceClient {
  return new BatchServiceClient(new BatchSharedKeyCredentials(connection.accountName, connection.accountKey), connection.batchUrl, { noRetryPolicy: true });
}

/** The client of the connection `current()` returns, rebuilt only when the connection changes (a restart). */
export function connectionClient(current: () => LocalConnection | undefined): () => BatchServiceClient | undefined {
  let cached: { connection: LocalConnection; client: BatchServiceClient } | undefined;
  return () => {
    const connection = current();
    if (!connection) return undefined;
    if (cached?.connection !== connection) cached = { connection, client: createBatchClient(connection) };
    return cached.client;
  };
}
