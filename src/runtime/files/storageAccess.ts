// Why: knows each storage account's blob endpoint and how to sign short-lived SAS for it (account key, or an Entra ID user-delegation key).
import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  ContainerSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
  type BlobSASSignatureValues,
  type UserDelegationKey,
} from "@azure/storage-blob";
import type { TokenCredentialLike } from "../client/identityModule";
import type { BatchClientSettings } from "../settings/batchClientSettings";

/** SAS permissions the runtime grants: read a blob, read+list a container, create+write blobs in a container. */
export type SasPermission = "r" | "rl" | "cw";

const CLOCK_SKEW_MS = 5 * 60_000;
/** A signed SAS is reused for this long (a job manager signs the same container SAS for thousands of tasks). */
const SAS_REUSE_MS = 60_000;

export const encodeBlobPath = (blobPath: string): string => blobPath.split("/").map(encodeURIComponent).join("/");

export class StorageAccess {
  private readonly delegationKeys = new Map<string, Promise<UserDelegationKey>>();
  private readonly recentSas = new Map<string, { signedAt: number; sas: Promise<string> }>();

  constructor(
    private readonly settings: BatchClientSettings,
    private readonly tokenCredential?: TokenCredentialLike,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The settings' account uses BATCH_STORAGE_BLOB_ENDPOINT (Azurite locally); any other account its public endpoint. */
  blobEndpoint(accountName: string): string {
    if (accountName === this.settings.storageAccountName && this.settings.storageBlobEndpoint) return this.settings.storageBlobEndpoint;
    return `https://${accountName}.blob.core.windows.net`;
  }

  containerUrl(accountName: string, containerName: string): string {
    return `${this.blobEndpoint(accountName)}/${containerName}`;
  }

  blobUrl(accountName: string, containerName: string, blobPath: string): string {
    return `${this.containerUrl(accountName, containerName)}/${encodeBlobPath(blobPath)}`;
  }

  /** A container client with the account key, or the Entra ID credential, of the account. */
  containerClient(accountName: string, containerName: string): ContainerClient {
    const url = this.containerUrl(accountName, containerName);
    const key = this.accountKey(accountName);
    if (key) return new ContainerClient(url, new StorageSharedKeyCredential(accountName, key));
    if (this.tokenCredential) return new ContainerClient(url, this.tokenCredential);
    throw this.noCredential(accountName);
  }

  /** `url?<sas>` valid from a few minutes ago until BATCH_SAS_LIFETIME_MINUTES from now. */
  async withSas(accountName: string, containerName: string, blobPath: string | undefined, permission: SasPermission): Promise<string> {
    const base = blobPath === undefined ? this.containerUrl(accountName, containerName) : this.blobUrl(accountName, containerName, blobPath);
    return `${base}?${await this.reusableSas(accountName, containerName, blobPath, permission)}`;
  }

  private reusableSas(accountName: string, containerName: string, blobPath: string | undefined, permission: SasPermission): Promise<string> {
    const key = JSON.stringify([accountName, containerName, blobPath, permission]);
    const now = this.now().getTime();
    const recent = this.recentSas.get(key);
    if (recent && now - recent.signedAt < SAS_REUSE_MS) return recent.sas;
    const sas = this.sas(accountName, containerName, blobPath, permission);
    if (this.recentSas.size > 10_000) this.recentSas.clear();
    this.recentSas.set(key, { signedAt: now, sas });
    sas.catch(() => this.recentSas.delete(key));
    return sas;
  }

  private async sas(accountName: string, containerName: string, blobPath: string | undefined, permission: SasPermission): Promise<string> {
    const now = this.now().getTime();
    const values: BlobSASSignatureValues = {
      containerName,
      blobName: blobPath,
      permissions: blobPath === undefined ? ContainerSASPermissions.parse(permission) : BlobSASPermissions.parse(permission),
      startsOn: new Date(now - CLOCK_SKEW_MS),
      expiresOn: new Date(now + this.settings.sasLifetimeMinutes * 60_000),
      protocol: this.blobEndpoint(accountName).startsWith("https:") ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    };
    const key = this.accountKey(accountName);
    if (key) return generateBlobSASQueryParameters(values, new StorageSharedKeyCredential(accountName, key)).toString();
    if (this.tokenCredential)
      return generateBlobSASQueryParameters(values, await this.delegationKey(accountName, values.startsOn!, values.expiresOn!), accountName).toString();
    throw this.noCredential(accountName);
  }

  private accountKey(accountName: string): string | undefined {
    return accountName === this.settings.storageAccountName ? this.settings.storageAccountKey : undefined;
  }

  private delegationKey(accountName: string, startsOn: Date, expiresOn: Date): Promise<UserDelegationKey> {
    let key = this.delegationKeys.get(accountName);
    if (!key) {
      const service = new BlobServiceClient(this.blobEndpoint(accountName), this.tokenCredential);
      key = service.getUserDelegationKey(startsOn, expiresOn).then((response) => response as UserDelegationKey);
      this.delegationKeys.set(accountName, key);
    }
    return key;
  }

  private noCredential(accountName: string): Error {
    return new Error(
      `No way to sign a SAS for storage account "${accountName}": give the file an identityReference, set BATCH_STORAGE_ACCOUNT_KEY (for BATCH_STORAGE_ACCOUNT_NAME), or use BATCH_AUTH_MODE=entraId (user-delegation SAS)`,
    );
  }
}
