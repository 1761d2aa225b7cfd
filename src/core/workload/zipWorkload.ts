// Why: zips a built workload reproducibly (yazl; sorted entries, fixed times and modes): the same sources give a byte-identical application package.

import * as fs from "node:fs";
import * as path from "node:path";
import * as yazl from "yazl";
import { listFiles } from "./buildWorkload";

/** The DOS epoch zip entries are stamped with, so an archive does not depend on when it was built. */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** Zips every file under `dir` (paths relative to it, `main.js` at the root) into a Buffer. */
export function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const file of listFiles(dir)) {
    const full = path.join(dir, ...file.split("/"));
    const executable = (fs.statSync(full).mode & 0o111) !== 0;
    zip.addBuffer(fs.readFileSync(full), file, { mtime: FIXED_TIME, mode: executable ? 0o100755 : 0o100644, compress: true });
  }
  zip.end();
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}
