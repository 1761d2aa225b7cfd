// Why: builds @azure/storage-blob container clients with the right credential (SAS in the URL, or the auto-storage key) and extra request headers.
import { BlobClient, ContainerClient, newPipeline, StorageSharedKeyCredential, type Pipeline, type RequestPolicyFactory } from "@azure/storage-blob";
import { stripSas } from "./secrets";
import type { AutoStorageAccount, ComputeNodeIdentityReference } from "./types";

const RETRY = { maxTries: 3, retryDelayInMs: 300, maxRetryDelayInMs: 3000 };

/** Adds headers to every PUT (Put Blob / Put Block List) so arbitrary `uploadHeaders` reach the service. */
function extraPutHeaders(headers: [string, string][]): RequestPolicyFactory {
  return {
    create: (next) => ({
      sendRequest: (request) => {
        if (request.method === "PUT") for (const [name, value] of headers) request.headers.set(name, value);
        return next.sendRequest(request);
      },
    }),
  };
}

function endpointOwns(account: AutoStorageAccount, url: string): boolean {
  return stripSas(url)
    .toLowerCase()
    .startsWith(`${account.blobEndpoint.replace(/\/+$/, "").toLowerCase()}/`);
}

export interface ClientRequest {
  url: string;
  identityReference?: ComputeNodeIdentityReference;
  autoStorage?: AutoStorageAccount;
  extraHeaders?: [string, string][];
  /** sign with the auto-storage key even without an identityReference (autoStorageContainerName) */
  alwaysSign?: boolean;
}

/**
 * The URL to call and its pipeline. With an identityReference the request is signed with the auto-storage account key
 * when the URL belongs to that account: Azurite has no managed identities, so the key stands in for the identity's
 * RBAC grant. Otherwise the URL is used as given (SAS or public access).
 */
function resolve(request: ClientRequest): { url: string; pipeline: Pipeline } {
  const account = usesAccountKey(request) ? request.autoStorage : undefined;
  const credential = account ? new StorageSharedKeyCredential(account.accountName, account.accountKey) : undefined;
  const pipeline = newPipeline(credential, { retryOptions: RETRY });
  if (request.extraHeaders && request.extraHeaders.length > 0) pipeline.factories.push(extraPutHeaders(request.extraHeaders));
  return { url: account ? stripSas(request.url) : request.url, pipeline };
}

/** True when the request will be signed with the account key instead of relying on the URL. */
export function usesAccountKey(request: ClientRequest): boolean {
  const wantsKey = request.alwaysSign === true || request.identityReference !== undefined;
  return wantsKey && request.autoStorage !== undefined && endpointOwns(request.autoStorage, request.url);
}

export function containerClient(request: ClientRequest): ContainerClient {
  const { url, pipeline } = resolve(request);
  return new ContainerClient(url, pipeline);
}

export function blobClient(request: ClientRequest): BlobClient {
  const { url, pipeline } = resolve(request);
  return new BlobClient(url, pipeline);
}

/** The auto-storage container `name`, signed with the account key. */
export function autoStorageContainerClient(account: AutoStorageAccount, name: string): ContainerClient {
  return containerClient({ url: `${account.blobEndpoint.replace(/\/+$/, "")}/${name}`, autoStorage: account, alwaysSign: true });
}
