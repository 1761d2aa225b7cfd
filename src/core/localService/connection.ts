// Why: what a client needs to talk to a local service (its URL, account, key, blob endpoint), and how it is derived from `local status`
// or the `local start` line: neither shows the key, they say where it is (the data folder's key file, the well-known account, the environment).

import { type AccountKeySource, keyFileOf, readAccountKey } from "../../local/common/accountKey";
import { AZURITE_ACCOUNT_NAME, LOCAL_ACCOUNT_KEY, LOCAL_ACCOUNT_NAME } from "../../local/common/defaults";

/** The JSON line `local start` prints once the service accepts requests. */
export interface LocalConnection {
  readonly batchUrl: string;
  readonly accountName: string;
  readonly accountKey: string;
  readonly blobEndpoint: string;
  readonly storageAccountName: string;
  readonly dataDir: string;
}

/** What `batch-manager local status --data <dir>` prints (the key only with --show-key), and its service.json holds. */
export interface LocalStatus {
  readonly running: boolean;
  readonly pid?: number;
  readonly batchUrl?: string;
  readonly accountName?: string;
  /** where the service's key is; absent for a service started before keys were private (it uses the well-known key) */
  readonly accountKeySource?: AccountKeySource;
  /** only when asked for (`--show-key`) */
  readonly accountKey?: string;
  readonly blobEndpoint?: string;
  readonly dataDir?: string;
}

/**
 * The key a service answers to, from where its status says it is: the data folder's key file (`<data>/key`, mode 0600),
 * the documented well-known key, or BATCH_MANAGER_LOCAL_ACCOUNT_KEY (a service started with --account-name and that variable).
 */
export function accountKeyOf(source: AccountKeySource | undefined, dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  switch (source) {
    case undefined:
    case "wellKnown":
      return LOCAL_ACCOUNT_KEY;
    case "keyFile": {
      const key = readAccountKey(dataDir);
      if (!key) throw new Error(`the local Batch service of ${dataDir} has no key file ${keyFileOf(dataDir)}; stop it and start it again`);
      return key;
    }
    case "environment": {
      const key = env.BATCH_MANAGER_LOCAL_ACCOUNT_KEY;
      if (!key)
        throw new Error(
          `the local Batch service of ${dataDir} was started with its key in BATCH_MANAGER_LOCAL_ACCOUNT_KEY; set that variable here too, or stop the service`,
        );
      return key;
    }
  }
}

/** The connection to a running service found by its status, its service.json or its `local start` line. */
export function connectionOf(status: LocalStatus, dataDir: string): LocalConnection {
  const where = `the local Batch service already running for ${dataDir}${status.pid ? ` (pid ${status.pid})` : ""}`;
  if (typeof status.batchUrl !== "string" || !status.batchUrl) throw new Error(`${where} did not report its URL; stop it or use another data folder`);
  const accountName = status.accountName ?? LOCAL_ACCOUNT_NAME;
  const folder = status.dataDir ?? dataDir;
  const blobEndpoint = status.blobEndpoint ?? "";
  return {
    batchUrl: status.batchUrl,
    accountName,
    accountKey: status.accountKey ?? accountKeyOf(status.accountKeySource, folder),
    blobEndpoint,
    storageAccountName: blobEndpoint.replace(/\/+$/, "").split("/").pop() || AZURITE_ACCOUNT_NAME,
    dataDir: folder,
  };
}
