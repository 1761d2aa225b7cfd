// Why: where the local service keeps its state: the `batchManager.local.dataDir` setting, else <globalStorage>/local.

import * as os from "node:os";
import * as path from "node:path";

export function resolveLocalDataDir(setting: string | undefined, globalStoragePath: string): string {
  const value = setting?.trim();
  if (!value) return path.join(globalStoragePath, "local");
  const expanded = value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value;
  return path.resolve(expanded);
}
