// Why: the settings a developer sets to run a workload against the local service (README: BATCH_AUTH_MODE=local + endpoints).
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { StartInfo } from "../../support/localService";

export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export function localWorkloadSettings(info: StartInfo, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BATCH_ACCOUNT_URL: info.batchUrl,
    BATCH_AUTH_MODE: "local",
    BATCH_STORAGE_BLOB_ENDPOINT: info.blobEndpoint,
    // nodes inherit only a system PATH; name this very node binary so any install layout works
    BATCH_NODE_EXECUTABLE: process.execPath,
    ...extra,
  };
}

/** Azurite with its documented development key. */
export function azuriteBlobService(info: StartInfo): BlobServiceClient {
  return new BlobServiceClient(info.blobEndpoint, new StorageSharedKeyCredential(info.storageAccountName, AZURITE_KEY));
}

export async function readBlob(service: BlobServiceClient, container: string, blobPath: string): Promise<string> {
  return (await service.getContainerClient(container).getBlobClient(blobPath).downloadToBuffer()).toString("utf8");
}

export async function uploadTexts(service: BlobServiceClient, container: string, files: Record<string, string>): Promise<void> {
  const client = service.getContainerClient(container);
  await client.createIfNotExists();
  for (const [name, text] of Object.entries(files)) await client.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
}
