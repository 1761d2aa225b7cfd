// Why: lets tests add application packages (zips built from a name → content map) to a data folder's store without the CLI.
import AdmZip from "adm-zip";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ApplicationStore, type ApplicationPackage } from "../../../src/local/applications/applicationStore";

export function addApplicationPackage(
  dataDir: string,
  applicationId: string,
  version: string,
  files: Record<string, string>,
  options: { displayName?: string; makeDefault?: boolean } = {},
): ApplicationPackage {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(files)) zip.addFile(name, Buffer.from(content));
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "app-package-"));
  try {
    const file = path.join(folder, `${version}.zip`);
    zip.writeZip(file);
    return new ApplicationStore(dataDir).add(applicationId, version, file, options);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
