// Why: what every group of REST handlers is given: state, dispatcher, account settings and logger.
import type { PoolAutoscaler } from "../autoscale/poolAutoscaler";
import type { NodeDispatcher } from "../dispatcher/nodeDispatcher";
import type { Logger } from "../logger";
import type { BatchState } from "../store/batchState";

export interface AccountSettings {
  accountName: string;
  /** the URL tasks see as AZ_BATCH_ACCOUNT_URL */
  batchUrl: string;
  /** the service's data folder: state, node roots, application store, logs */
  dataDir: string;
  /** the auto-storage account (Azurite by default) */
  storage: { blobEndpoint: string; accountName: string; accountKey: string };
}

export interface HandlerDeps {
  state: BatchState;
  dispatcher: NodeDispatcher;
  account: AccountSettings;
  logger: Logger;
  /** evaluates autoscale formulas; absent, the autoscale operations answer 501 */
  autoscaler?: PoolAutoscaler;
}
