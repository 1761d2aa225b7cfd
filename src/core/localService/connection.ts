// Why: what a client needs to talk to a local service (its URL, account, key, blob endpoint), and how it is derived from `local status`.

import { AZURITE_ACCOUNT_NAME, LOCAL_ACCOUNT_KEY, LOCAL_ACCOUNT_NAME } from "../../local/defaults";

/** The JSON line `local start` prints once the service accepts requests. */
export interface LocalConnection {
  readonly batchUrl: string;
  readonly accountName: string;
  readonly accountKey: string;
  readonly blobEndpoint: string;
  readonly storageAccountName: string;
  readonly dataDir: string;
}

/** What `batch-manager local status --data <dir>` prints (no key). */
export interface LocalStatus {
  readonly running: boolean;
  readonly pid?: number;
  readonly batchUrl?: string;
  readonly accountName?: string;
  readonly blobEndpoint?: string;
  readonly dataDir?: string;
}

/** The connection to a running service found by its status (the key is the well-known local account key). */
export function connectionOf(status: LocalStatus, dataDir: string): LocalConnection {
  const where = `the local Batch service already running for ${dataDir}${status.pid ? ` (pid ${status.pid})` : ""}`;
  if (typeof status.batchUrl !== "string" || !status.batchUrl) throw new Error(`${where} did not report its URL; stop it or use another data folder`);
  const accountName = status.accountName ?? LOCAL_ACCOUNT_NAME;
  if (accountName !== LOCAL_ACCOUNT_NAME) {
    throw new Error(
      `${where} uses the account '${accountName}', whose key this process does not know (only the default '${LOCAL_ACCOUNT_NAME}' can be joined); stop it or use another data folder`,
    );
  }
  const blobEndpoint = status.blobEndpoint ?? "";
  return {
    batchUrl: status.batchUrl,
    accountName,
    accountKey: LOCAL_ACCOUNT_KEY,
    blobEndpoint,
    storageAccountName: blobEndpoint.replace(/\/+$/, "").split("/").pop() || AZURITE_ACCOUNT_NAME,
    dataDir: status.dataDir ?? dataDir,
  };
}
