// Why: the slice of @azure/batch's BatchServiceClient the create and manage actions call (the real client fits), and how to tell a client has it.

import type { RequestOptions } from "../common/batchClientLike";

type Call = (options?: RequestOptions) => Promise<unknown>;

export interface ManageClient {
  readonly pool: {
    add(pool: object, options?: RequestOptions): Promise<unknown>;
    get(
      poolId: string,
      options?: RequestOptions,
    ): Promise<
      object & {
        id?: string;
        startTask?: object;
        enableAutoScale?: boolean;
        autoScaleFormula?: string;
        autoScaleEvaluationInterval?: string;
        targetDedicatedNodes?: number;
        targetLowPriorityNodes?: number;
      }
    >;
    list(options?: RequestOptions & { poolListOptions?: { select?: string } }): Promise<readonly { id?: string }[]>;
    deleteMethod(poolId: string, options?: RequestOptions): Promise<unknown>;
    resize(poolId: string, parameter: { targetDedicatedNodes?: number; targetLowPriorityNodes?: number }, options?: RequestOptions): Promise<unknown>;
    enableAutoScale(poolId: string, parameter: { autoScaleFormula?: string; autoScaleEvaluationInterval?: string }, options?: RequestOptions): Promise<unknown>;
    disableAutoScale(poolId: string, options?: RequestOptions): Promise<unknown>;
    patch(poolId: string, parameter: { startTask?: object }, options?: RequestOptions): Promise<unknown>;
    removeNodes(poolId: string, parameter: { nodeList: string[]; nodeDeallocationOption?: string }, options?: RequestOptions): Promise<unknown>;
  };
  readonly job: {
    add(job: object, options?: RequestOptions): Promise<unknown>;
    get(jobId: string, options?: RequestOptions): Promise<object>;
  };
  readonly task: {
    add(jobId: string, task: object, options?: RequestOptions): Promise<unknown>;
    get(jobId: string, taskId: string, options?: RequestOptions): Promise<object>;
  };
  readonly computeNode: {
    reboot(poolId: string, nodeId: string, options?: RequestOptions & { nodeRebootOption?: string }): Promise<unknown>;
    reimage(poolId: string, nodeId: string, options?: RequestOptions & { nodeReimageOption?: string }): Promise<unknown>;
    disableScheduling(poolId: string, nodeId: string, options?: RequestOptions & { nodeDisableSchedulingOption?: string }): Promise<unknown>;
    enableScheduling: (poolId: string, nodeId: string, options?: RequestOptions) => ReturnType<Call>;
  };
}

export function isManageClient(client: unknown): client is ManageClient {
  const c = client as Partial<ManageClient> | undefined;
  return (
    typeof c?.pool?.add === "function" &&
    typeof c.pool.removeNodes === "function" &&
    typeof c.job?.add === "function" &&
    typeof c.task?.add === "function" &&
    typeof c.computeNode?.reboot === "function"
  );
}
