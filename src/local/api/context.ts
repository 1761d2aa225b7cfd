// Why: what every group of REST handlers is given: state, dispatcher, account settings and logger.
import type { UsageSampler } from "./usageMetrics";
import type { AccountSettings } from "../common/account";
import type { PoolAutoscaler } from "../autoscale/poolAutoscaler";
import type { NodeDispatcher } from "../dispatcher/nodeDispatcher";
import type { Logger } from "../common/logger";
import type { BatchState } from "../store/batchState";

export interface HandlerDeps {
  state: BatchState;
  dispatcher: NodeDispatcher;
  account: AccountSettings;
  logger: Logger;
  /** evaluates autoscale formulas; absent, the autoscale operations answer 501 */
  autoscaler?: PoolAutoscaler;
  /** samples node time and host figures; the usage and pool statistics operations take a sample first, so they count up to now */
  usage?: Pick<UsageSampler, "sample">;
}
