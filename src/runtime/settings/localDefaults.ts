// Why: the local Batch service's accounts for BATCH_AUTH_MODE=local: the documented well-known ones (README; not secrets), and
// the key a running service actually answers to, read from its data folder (keys are private to a data folder by default).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const LOCAL_BATCH_ACCOUNT_NAME = "localbatch";
/** The documented well-known key: what a service started with `--well-known-account` answers to. */
export const LOCAL_BATCH_ACCOUNT_KEY = "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ==";
export const AZURITE_ACCOUNT_NAME = "devstoreaccount1";
export const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
export const AZURITE_DEFAULT_BLOB_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1";

/**
 * The local service's data folder: `$BATCH_MANAGER_LOCAL_DATA`, else `~/.batch-manager/local` (the CLI's and the
 * extension's default, src/core/localService/dataDir.ts; repeated here because the runtime imports nothing of src/core).
 */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.BATCH_MANAGER_LOCAL_DATA?.trim();
  if (!fromEnv) return path.join(os.homedir(), ".batch-manager", "local");
  return path.resolve(fromEnv === "~" || fromEnv.startsWith("~/") ? path.join(os.homedir(), fromEnv.slice(1)) : fromEnv);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The key of the local service of the data folder, for BATCH_AUTH_MODE=local without BATCH_ACCOUNT_KEY: where its
 * service.json says (`accountKeySource`): the folder's key file (`<data>/key`), BATCH_MANAGER_LOCAL_ACCOUNT_KEY, or the
 * well-known key; with no service.json, the key file if there is one, else the well-known key. Tasks on local nodes need
 * none of this: the node gives them BATCH_ACCOUNT_KEY (docs/local-batch.md, "Keys and binding").
 */
export function localAccountKey(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = localDataDir(env);
  const keyFile = () => readText(path.join(dataDir, "key"))?.trim() || undefined;
  let source: unknown;
  try {
    source = (JSON.parse(readText(path.join(dataDir, "service.json")) ?? "null") as { accountKeySource?: unknown } | null)?.accountKeySource;
  } catch {
    source = undefined;
  }
  if (source === "wellKnown") return LOCAL_BATCH_ACCOUNT_KEY;
  if (source === "environment") return env.BATCH_MANAGER_LOCAL_ACCOUNT_KEY || LOCAL_BATCH_ACCOUNT_KEY;
  return keyFile() ?? LOCAL_BATCH_ACCOUNT_KEY;
}
