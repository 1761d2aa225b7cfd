// Why: the local application-package store: `<data>/applications/<applicationId>/<version>.zip`, plus an optional application.json.
import * as fs from "node:fs";
import * as path from "node:path";

export interface ApplicationPackage {
  applicationId: string;
  version: string;
  zipPath: string;
}

export interface ApplicationInfo {
  id: string;
  displayName: string;
  versions: string[];
  defaultVersion?: string;
}

/** `application.json` beside the zips: `{ "displayName": "...", "defaultVersion": "1.0" }` (both optional). */
interface ApplicationManifest {
  displayName?: string;
  defaultVersion?: string;
}

export class ApplicationStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, "applications");
  }

  list(): ApplicationInfo[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => this.read(entry.name))
      .filter((info): info is ApplicationInfo => info !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Application ids are case-insensitive. */
  get(applicationId: string): ApplicationInfo | undefined {
    if (!fs.existsSync(this.root)) return undefined;
    const folder = fs.readdirSync(this.root).find((name) => name.toLowerCase() === applicationId.toLowerCase());
    return folder === undefined ? undefined : this.read(folder);
  }

  /** The package a reference names (its version, or the application's default version); undefined if there is none. */
  resolve(applicationId: string, version?: string): ApplicationPackage | undefined {
    const info = this.get(applicationId);
    if (!info) return undefined;
    const wanted = version ?? info.defaultVersion;
    if (wanted === undefined) return undefined;
    const found = info.versions.find((candidate) => candidate.toLowerCase() === wanted.toLowerCase());
    return found === undefined ? undefined : { applicationId: info.id, version: found, zipPath: path.join(this.root, info.id, `${found}.zip`) };
  }

  /** Adds (or replaces) a package version by copying its zip into the store. */
  add(applicationId: string, version: string, zipFile: string, options: { displayName?: string; makeDefault?: boolean } = {}): ApplicationPackage {
    const folder = path.join(this.root, this.get(applicationId)?.id ?? applicationId);
    fs.mkdirSync(folder, { recursive: true });
    const zipPath = path.join(folder, `${version}.zip`);
    fs.copyFileSync(zipFile, zipPath);
    const manifestFile = path.join(folder, "application.json");
    const manifest: ApplicationManifest = fs.existsSync(manifestFile) ? (JSON.parse(fs.readFileSync(manifestFile, "utf8")) as ApplicationManifest) : {};
    if (options.displayName !== undefined) manifest.displayName = options.displayName;
    if (options.makeDefault) manifest.defaultVersion = version;
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    return { applicationId: path.basename(folder), version, zipPath };
  }

  private read(folder: string): ApplicationInfo | undefined {
    const dir = path.join(this.root, folder);
    const versions = fs
      .readdirSync(dir)
      .filter((name) => name.toLowerCase().endsWith(".zip"))
      .map((name) => name.slice(0, -4))
      .sort();
    let manifest: ApplicationManifest = {};
    const manifestFile = path.join(dir, "application.json");
    if (fs.existsSync(manifestFile)) {
      try {
        manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as ApplicationManifest;
      } catch {
        manifest = {};
      }
    }
    return { id: folder, displayName: manifest.displayName ?? folder, versions, defaultVersion: manifest.defaultVersion };
  }
}
