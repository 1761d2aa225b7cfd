// Why: applications and application package versions as the management plane sees them (pending → uploaded → active), on top of the local application store.

import * as fs from "node:fs";
import * as path from "node:path";
import { ApplicationStore } from "../applications/applicationStore";
import { type ApplicationManifest, readApplicationManifest, writeApplicationManifest } from "./applicationManifest";
import { ArmError, checkApplicationId, checkVersion } from "./armIds";
import { PackageUploads, type StorageAccount } from "./packageUploads";

const UPLOAD_URL_LIFETIME_MS = 4 * 3600_000;

export interface ApplicationRecord {
  id: string;
  displayName?: string;
  allowUpdates: boolean;
  defaultVersion?: string;
}

export interface PackageRecord {
  applicationId: string;
  version: string;
  state: "Pending" | "Active";
  format?: string;
  storageUrl?: string;
  storageUrlExpiry?: string;
  lastActivationTime?: string;
}

interface PendingRecord {
  blobName: string;
  storageUrlExpiry: string;
}

export class ArmPackages {
  private readonly store: ApplicationStore;
  private readonly uploads: PackageUploads;

  constructor(dataDir: string, storage: StorageAccount) {
    this.store = new ApplicationStore(dataDir);
    this.uploads = new PackageUploads(storage);
  }

  listApplications(): ApplicationRecord[] {
    return this.store.list().map((info) => this.applicationRecord(info.id));
  }

  getApplication(applicationId: string): ApplicationRecord {
    return this.applicationRecord(this.folderName(applicationId));
  }

  createApplication(applicationId: string, properties: { displayName?: string; allowUpdates?: boolean }): ApplicationRecord {
    const id = this.store.get(checkApplicationId(applicationId))?.id ?? applicationId;
    const manifest = this.readManifest(id);
    this.writeManifest(id, {
      ...manifest,
      displayName: properties.displayName ?? manifest.displayName,
      allowUpdates: properties.allowUpdates ?? manifest.allowUpdates ?? true,
    });
    return this.applicationRecord(id);
  }

  updateApplication(applicationId: string, properties: { displayName?: string; allowUpdates?: boolean; defaultVersion?: string }): ApplicationRecord {
    const id = this.folderName(applicationId);
    const manifest = this.readManifest(id);
    if (properties.defaultVersion !== undefined) {
      const active = this.store.resolve(id, checkVersion(properties.defaultVersion));
      if (!active)
        throw new ArmError(
          409,
          "ApplicationPackageNotActive",
          `The default version must be an active package of '${id}'; '${properties.defaultVersion}' is not. Activate it first.`,
          "defaultVersion",
        );
      manifest.defaultVersion = active.version;
    }
    if (properties.displayName !== undefined) manifest.displayName = properties.displayName;
    if (properties.allowUpdates !== undefined) manifest.allowUpdates = properties.allowUpdates;
    this.writeManifest(id, manifest);
    return this.applicationRecord(id);
  }

  deleteApplication(applicationId: string): void {
    const id = this.folderName(applicationId);
    if (this.listPackages(id).length) throw new ArmError(409, "ApplicationPackagesNotEmpty", `The application '${id}' still has packages; delete them first.`);
    fs.rmSync(path.join(this.store.root, id), { recursive: true, force: true });
  }

  listPackages(applicationId: string): PackageRecord[] {
    const id = this.folderName(applicationId);
    const active = this.store.get(id)?.versions ?? [];
    const pendingDir = this.pendingDir(id);
    const pending = fs.existsSync(pendingDir)
      ? fs
          .readdirSync(pendingDir)
          .filter((n) => n.endsWith(".json"))
          .map((n) => n.slice(0, -5))
      : [];
    return [...new Set([...active, ...pending])].sort().map((version) => this.getPackage(id, version));
  }

  getPackage(applicationId: string, version: string): PackageRecord {
    const id = this.folderName(applicationId);
    checkVersion(version);
    const pending = this.readPending(id, version);
    if (pending)
      return {
        applicationId: id,
        version,
        state: "Pending",
        storageUrl: this.uploads.url(pending.blobName, pending.storageUrlExpiry),
        storageUrlExpiry: pending.storageUrlExpiry,
      };
    const active = this.store.resolve(id, version);
    if (!active) throw new ArmError(404, "ApplicationPackageNotFound", `The application '${id}' has no package version '${version}'.`);
    const activated = fs.statSync(active.zipPath).mtime.toISOString();
    return { applicationId: id, version: active.version, state: "Active", format: "zip", lastActivationTime: activated };
  }

  /** A pending version with a fresh upload URL; an active one is replaced only when the application allows updates. */
  createPackage(applicationId: string, version: string): PackageRecord {
    const id = this.store.get(checkApplicationId(applicationId))?.id ?? this.createApplication(applicationId, {}).id;
    checkVersion(version);
    if (this.store.resolve(id, version) && this.readManifest(id).allowUpdates === false) {
      throw new ArmError(
        409,
        "ApplicationPackageAlreadyExists",
        `The application '${id}' already has version '${version}' and does not allow updates.`,
        "versionName",
      );
    }
    const record: PendingRecord = {
      blobName: `${id.toLowerCase()}/${version}.zip`,
      storageUrlExpiry: new Date(Date.now() + UPLOAD_URL_LIFETIME_MS).toISOString(),
    };
    fs.mkdirSync(this.pendingDir(id), { recursive: true });
    fs.writeFileSync(this.pendingFile(id, version), `${JSON.stringify(record)}\n`);
    return this.getPackage(id, version);
  }

  /** Copies the uploaded zip into the store (nodes see it at once) and ends the pending state. */
  async activatePackage(applicationId: string, version: string, format: string): Promise<PackageRecord> {
    const id = this.folderName(applicationId);
    checkVersion(version);
    if (format.toLowerCase() !== "zip")
      throw new ArmError(400, "InvalidApplicationPackageFormat", `The package format '${format}' is not supported; use 'zip'.`, "format");
    const pending = this.readPending(id, version);
    if (!pending) return this.getPackage(id, version);
    const content = await this.uploads.readZip(pending.blobName, `'${id}' version '${version}'`);
    const staging = path.join(this.pendingDir(id), `${version}.upload`);
    fs.writeFileSync(staging, content);
    this.store.add(id, version, staging);
    fs.rmSync(staging, { force: true });
    fs.rmSync(this.pendingFile(id, version), { force: true });
    await this.uploads.delete(pending.blobName);
    return this.getPackage(id, version);
  }

  async deletePackage(applicationId: string, version: string): Promise<void> {
    const id = this.folderName(applicationId);
    const found = this.getPackage(id, version);
    const pending = this.readPending(id, found.version);
    if (pending) await this.uploads.delete(pending.blobName);
    fs.rmSync(this.pendingFile(id, found.version), { force: true });
    fs.rmSync(path.join(this.store.root, id, `${found.version}.zip`), { force: true });
    const manifest = this.readManifest(id);
    if (manifest.defaultVersion?.toLowerCase() === found.version.toLowerCase()) this.writeManifest(id, { ...manifest, defaultVersion: undefined });
  }

  ensureUploadContainer(): Promise<void> {
    return this.uploads.ensureContainer();
  }

  private folderName(applicationId: string): string {
    const info = this.store.get(checkApplicationId(applicationId));
    if (!info) throw new ArmError(404, "ApplicationNotFound", `The application '${applicationId}' does not exist in this account.`);
    return info.id;
  }

  private applicationRecord(id: string): ApplicationRecord {
    const manifest = this.readManifest(id);
    return { id, displayName: manifest.displayName, allowUpdates: manifest.allowUpdates ?? true, defaultVersion: manifest.defaultVersion };
  }

  private readManifest(id: string): ApplicationManifest {
    return readApplicationManifest(path.join(this.store.root, id));
  }

  private writeManifest(id: string, manifest: ApplicationManifest): void {
    writeApplicationManifest(path.join(this.store.root, id), manifest);
  }

  private pendingDir(id: string): string {
    return path.join(this.store.root, id, ".pending");
  }

  private pendingFile(id: string, version: string): string {
    return path.join(this.pendingDir(id), `${version}.json`);
  }

  private readPending(id: string, version: string): PendingRecord | undefined {
    const dir = this.pendingDir(id);
    const name = fs.existsSync(dir) ? fs.readdirSync(dir).find((n) => n.toLowerCase() === `${version.toLowerCase()}.json`) : undefined;
    return name ? (JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as PendingRecord) : undefined;
  }
}
