// Why: the one default data folder of the local service, shared by the CLI, the extension, deploy and the debug adapter.

import * as os from "node:os";
import * as path from "node:path";

/** `$BATCH_MANAGER_LOCAL_DATA`, else `~/.batch-manager/local`: what `batch-manager local …` and the explorer use unless told otherwise. */
export function defaultLocalDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.BATCH_MANAGER_LOCAL_DATA?.trim();
  return fromEnv ? path.resolve(expandHome(fromEnv)) : path.join(os.homedir(), ".batch-manager", "local");
}

/** The `batchManager.local.dataDir` setting (`~` expanded), else the shared default. */
export function resolveLocalDataDir(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const value = setting?.trim();
  if (!value) return defaultLocalDataDir(env);
  return path.resolve(expandHome(value));
}

function expandHome(value: string): string {
  return value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value;
}
