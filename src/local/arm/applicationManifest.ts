// Why: an application's `application.json` in the local store: the store's displayName and defaultVersion, plus the management plane's allowUpdates.

import * as fs from "node:fs";
import * as path from "node:path";

export interface ApplicationManifest {
  displayName?: string;
  defaultVersion?: string;
  allowUpdates?: boolean;
}

/** `folder` is `<data>/applications/<id>`; a missing or unreadable file is an empty manifest. */
export function readApplicationManifest(folder: string): ApplicationManifest {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, "application.json"), "utf8")) as ApplicationManifest;
  } catch {
    return {};
  }
}

export function writeApplicationManifest(folder: string, manifest: ApplicationManifest): void {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "application.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}
