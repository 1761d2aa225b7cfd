// Why: lists subscriptions and Batch accounts through the real ARM SDKs, with an injectable endpoint (tests point it at a local stub).

import { BatchManagementClient } from "@azure/arm-batch";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { CommonClientOptions } from "@azure/core-client";
import { ARM_SCOPE, type AzureCredentialSource, toTokenCredential } from "./azureCredentials";

export interface SubscriptionInfo {
  readonly subscriptionId: string;
  readonly displayName: string;
}

export interface AzureBatchAccountInfo {
  /** the ARM resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Batch/batchAccounts/…) */
  readonly resourceId: string;
  readonly name: string;
  readonly location?: string;
  /** host name of the data plane, without scheme ("acct.westeurope.batch.azure.com") */
  readonly accountEndpoint: string;
}

/** What the Azure branch needs from Azure Resource Manager. */
export interface AzureArm {
  listSubscriptions(signal?: AbortSignal): Promise<SubscriptionInfo[]>;
  listBatchAccounts(subscriptionId: string, signal?: AbortSignal): Promise<AzureBatchAccountInfo[]>;
}

export interface AzureArmOptions {
  /** ARM endpoint; default https://management.azure.com */
  readonly endpoint?: string;
  /** extra pipeline policies and similar client options (tests trust their stub's certificate this way) */
  readonly clientOptions?: CommonClientOptions;
}

async function collect<T, R>(items: AsyncIterable<T>, map: (item: T) => R | undefined): Promise<R[]> {
  const result: R[] = [];
  for await (const item of items) {
    const mapped = map(item);
    if (mapped !== undefined) result.push(mapped);
  }
  return result;
}

export function createAzureArm(source: AzureCredentialSource, options: AzureArmOptions = {}): AzureArm {
  const credential = toTokenCredential(source);
  // credentialScopes: the SDKs would otherwise derive the scope from the (possibly overridden) endpoint
  const clientOptions = { ...options.clientOptions, endpoint: options.endpoint, credentialScopes: [ARM_SCOPE] };
  return {
    listSubscriptions: (abortSignal) =>
      collect(new SubscriptionClient(credential, clientOptions).subscriptions.list({ abortSignal }), (s) =>
        s.subscriptionId ? { subscriptionId: s.subscriptionId, displayName: s.displayName ?? s.subscriptionId } : undefined,
      ),
    listBatchAccounts: (subscriptionId, abortSignal) =>
      collect(new BatchManagementClient(credential, subscriptionId, clientOptions).batchAccountOperations.list({ abortSignal }), (a) =>
        a.id && a.name && a.accountEndpoint ? { resourceId: a.id, name: a.name, location: a.location, accountEndpoint: a.accountEndpoint } : undefined,
      ),
  };
}

/** The Azure portal page of an ARM resource. */
export function portalUrl(resourceId: string): string {
  return `https://portal.azure.com/#resource${resourceId}/overview`;
}
