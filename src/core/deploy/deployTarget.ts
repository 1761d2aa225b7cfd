// Why: one description of where deploy/run/promote act — the local service (no settings, or target "local") or an Azure Batch account — with real ARM and Batch clients for it.

import { BatchManagementClient } from "@azure/arm-batch";
import { BatchServiceClient } from "@azure/batch";
import type { TokenCredential } from "@azure/core-auth";
import { LOCAL_RESOURCE_GROUP, LOCAL_SUBSCRIPTION_ID } from "../../local/arm/armIds";
import { createBatchClient } from "../localService/batchClient";
import type { LocalConnection } from "../localService/localServiceController";
import { acquireLocalService } from "../localService/localServiceLease";
import type { DeploymentSettings } from "./deploySettings";
import { LocalArmCredential, localArmEndpoint, loopbackHttpPolicy } from "./localArmCredential";

export const ARM_SCOPE = "https://management.azure.com/.default";
const BATCH_SCOPE = "https://batch.core.windows.net//.default";

export interface DeployTarget {
  readonly kind: "local" | "azure";
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly accountName: string;
  readonly arm: BatchManagementClient;
  readonly batch: BatchServiceClient;
  /** https://… (Azure) or http://127.0.0.1:… (local) */
  readonly batchUrl: string;
  /** set for the local target */
  readonly local?: LocalConnection;
  /** a line for plans and logs: "local service http://127.0.0.1:1234 (account localbatch)" */
  readonly description: string;
}

export interface TargetOptions {
  readonly settings?: DeploymentSettings;
  readonly cliPath: string;
  readonly dataDir?: string;
  /** the Azure credential; default @azure/identity's DefaultAzureCredential (environment, workload identity, managed identity, developer sign-ins) */
  readonly credential?: TokenCredential;
  readonly signal?: AbortSignal;
}

/** The account's data-plane endpoint, read through ARM (`Microsoft.Batch/batchAccounts` get): the same lookup for both targets. */
async function lookupAccountEndpoint(arm: BatchManagementClient, resourceGroup: string, accountName: string, signal?: AbortSignal): Promise<string> {
  const account = await arm.batchAccountOperations.get(resourceGroup, accountName, { abortSignal: signal }).catch((error: unknown) => {
    throw new Error(
      `the Batch account '${accountName}' in resource group '${resourceGroup}' (settings accountName/resourceGroup/subscriptionId) could not be read: ${(error as Error).message}`,
    );
  });
  if (!account.accountEndpoint) throw new Error(`the Batch account '${accountName}' has no accountEndpoint yet (is it still being created?)`);
  return account.accountEndpoint;
}

/** The local target: joins the service running for the data folder or starts it detached (it keeps running for `run`). */
async function localTarget(options: TargetOptions): Promise<DeployTarget> {
  const lease = await acquireLocalService({ cliPath: options.cliPath, dataDir: options.dataDir, keepRunning: true, signal: options.signal });
  const connection = lease.connection;
  const credential = new LocalArmCredential(connection.batchUrl, connection.accountName, connection.accountKey);
  const arm = new BatchManagementClient(credential, LOCAL_SUBSCRIPTION_ID, {
    endpoint: localArmEndpoint(connection.batchUrl),
    credentialScopes: [ARM_SCOPE],
    additionalPolicies: [loopbackHttpPolicy],
    retryOptions: { maxRetries: 0 },
  });
  // the local account's endpoint is plain HTTP on loopback; its data plane takes the well-known shared key
  const batchUrl = `http://${await lookupAccountEndpoint(arm, LOCAL_RESOURCE_GROUP, connection.accountName, options.signal)}`;
  return {
    kind: "local",
    subscriptionId: LOCAL_SUBSCRIPTION_ID,
    resourceGroup: LOCAL_RESOURCE_GROUP,
    accountName: connection.accountName,
    arm,
    batch: createBatchClient({ ...connection, batchUrl }),
    batchUrl,
    local: connection,
    description: `the local Batch service at ${batchUrl} (account ${connection.accountName}, data folder ${connection.dataDir}${lease.started ? ", started now and left running" : ""})`,
  };
}

async function azureTarget(settings: DeploymentSettings, options: TargetOptions): Promise<DeployTarget> {
  const credential = options.credential ?? new (await import("@azure/identity")).DefaultAzureCredential();
  const subscriptionId = settings.subscriptionId!;
  const arm = new BatchManagementClient(credential, subscriptionId, { endpoint: settings.armEndpoint, credentialScopes: [ARM_SCOPE] });
  const batchUrl = `https://${await lookupAccountEndpoint(arm, settings.resourceGroup!, settings.accountName!, options.signal)}`;
  const batch = new BatchServiceClient(
    {
      async signRequest(request) {
        const token = await credential.getToken(BATCH_SCOPE);
        if (!token)
          throw new Error(
            "no Microsoft Entra token for Azure Batch: sign in (VS Code) or configure @azure/identity (environment, workload identity, az login)",
          );
        request.headers.set("authorization", `Bearer ${token.token}`);
        return request;
      },
    },
    batchUrl,
  );
  return {
    kind: "azure",
    subscriptionId,
    resourceGroup: settings.resourceGroup!,
    accountName: settings.accountName!,
    arm,
    batch,
    batchUrl,
    description: `the Azure Batch account ${settings.accountName} (${batchUrl})`,
  };
}

export function resolveTarget(options: TargetOptions): Promise<DeployTarget> {
  if (!options.settings || options.settings.target === "local") return localTarget(options);
  return azureTarget(options.settings, options);
}
