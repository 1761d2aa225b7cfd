// Why: builds and packs @batch-manager/runtime once per test process (scripts/pack-runtime.sh), as the extension ships it.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/localService";

let tarball: string | undefined;

export function packedRuntimeTarball(): string {
  if (!tarball) {
    const printed = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pack-runtime.sh")], { cwd: REPO_ROOT, encoding: "utf8" });
    tarball = path.join(REPO_ROOT, printed.trim().split("\n").pop()!);
  }
  return tarball;
}
