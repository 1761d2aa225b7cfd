// Why: builds the data-plane clients for remote accounts (shared key, or Azure AD bearer tokens) behind one injectable factory type.

import { BatchServiceClient } from "@azure/batch";
import { createBatchClient } from "../../core/localService/batchClient";
import type { BatchClientLike } from "../common/batchClientLike";
import { type AzureCredentialSource, toBatchBearerCredentials } from "./azureCredentials";
import type { AzureBatchAccountInfo } from "./azureArm";

/** A client for an Azure Batch account found through ARM (tests inject a shared-key one for the local service). */
export type AzureBatchClientFactory = (account: AzureBatchAccountInfo) => BatchClientLike;

/**
 * The real one: `https://<accountEndpoint>` with `Authorization: Bearer` tokens for the Batch scope. The request
 * shape is unit-tested against a local HTTP server; against real Azure Batch it is UNVERIFIED (no Azure access offline).
 */
export function bearerBatchClientFactory(source: AzureCredentialSource): AzureBatchClientFactory {
  const credentials = toBatchBearerCredentials(source);
  return (account) => {
    const url = /^https?:\/\//.test(account.accountEndpoint) ? account.accountEndpoint : `https://${account.accountEndpoint}`;
    return new BatchServiceClient(credentials, url);
  };
}

/** A shared-key client for a remembered account (the same builder the Local account uses). */
export function sharedKeyBatchClient(url: string, accountName: string, accountKey: string): BatchClientLike {
  return createBatchClient({ batchUrl: url, accountName, accountKey });
}
