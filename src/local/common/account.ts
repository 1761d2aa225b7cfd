// Why: the account a local service answers for, as every part of it (handlers, scheduler, node agent) sees it.

export interface AccountSettings {
  accountName: string;
  /** the key requests are signed with; never in a response or a log. Tasks that ask for the local auth mode get it (node/taskEnvironment.ts) */
  accountKey: string;
  /** the URL tasks see as AZ_BATCH_ACCOUNT_URL */
  batchUrl: string;
  /** the service's data folder: state, node roots, application store, logs */
  dataDir: string;
  /** the auto-storage account (Azurite by default) */
  storage: { blobEndpoint: string; accountName: string; accountKey: string };
}
