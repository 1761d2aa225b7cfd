// Why: where local application package versions are uploaded before activation: SAS URLs of blobs in the service's blob storage (Azurite), as Azure's auto-storage URLs are.

import { BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, StorageSharedKeyCredential } from "@azure/storage-blob";
import { ArmError } from "./armIds";

/** The container pending package uploads go to. */
export const PACKAGE_UPLOAD_CONTAINER = "batch-application-packages";

export interface StorageAccount {
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
}

export class PackageUploads {
  constructor(private readonly storage: StorageAccount) {}

  async ensureContainer(): Promise<void> {
    await this.container().createIfNotExists();
  }

  /** A read/create/write SAS URL of the blob, valid until `expiry`. */
  url(blobName: string, expiry: string): string {
    const sas = generateBlobSASQueryParameters(
      { containerName: PACKAGE_UPLOAD_CONTAINER, blobName, permissions: BlobSASPermissions.parse("rcw"), expiresOn: new Date(expiry) },
      this.credential(),
    ).toString();
    return `${this.storage.blobEndpoint.replace(/\/+$/, "")}/${PACKAGE_UPLOAD_CONTAINER}/${blobName.split("/").map(encodeURIComponent).join("/")}?${sas}`;
  }

  /** The uploaded zip; a 409 naming the package when nothing (or no zip) was uploaded. */
  async readZip(blobName: string, what: string): Promise<Buffer> {
    const content = await this.container()
      .getBlobClient(blobName)
      .downloadToBuffer()
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
        throw new ArmError(
          409,
          "ApplicationPackageBlobNotFound",
          `Nothing was uploaded for ${what}: upload the zip to the package's storageUrl, then activate it.`,
        );
      });
    if (content.length < 22 || content.readUInt32LE(0) !== 0x04034b50) {
      throw new ArmError(409, "ApplicationPackageInvalidZip", `The upload for ${what} is not a zip archive; upload the zip again, then activate it.`);
    }
    return content;
  }

  async delete(blobName: string): Promise<void> {
    await this.container().getBlobClient(blobName).deleteIfExists();
  }

  private credential(): StorageSharedKeyCredential {
    return new StorageSharedKeyCredential(this.storage.accountName, this.storage.accountKey);
  }

  private container() {
    return new BlobServiceClient(this.storage.blobEndpoint, this.credential()).getContainerClient(PACKAGE_UPLOAD_CONTAINER);
  }
}
