// Why: end-to-end steps the node and file tests share: a pool whose nodes are idle, a task reaching a state.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { waitFor } from "../../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

/** The image every test pool uses. */
export const vm = LOCAL_POOL_VM_CONFIGURATION;

/** Adds a pool and waits until it has `count` idle nodes. */
export async function poolWithIdleNodes(
  client: BatchServiceClient,
  poolId: string,
  count: number,
  extra: Partial<BatchServiceModels.PoolAddParameter> = {},
): Promise<BatchServiceModels.ComputeNode[]> {
  await client.pool.add({ id: poolId, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: count, ...extra });
  return waitFor(
    async () => {
      const nodes = await client.computeNode.list(poolId);
      return nodes.length === count && nodes.every((node) => node.state === "idle") ? [...nodes] : undefined;
    },
    `${count} idle node(s) in pool ${poolId}`,
    60_000,
    200,
  );
}

export async function waitForTask(client: BatchServiceClient, jobId: string, taskId: string, state: string): Promise<BatchServiceModels.CloudTask> {
  return waitFor(
    async () => {
      const task = await client.task.get(jobId, taskId);
      return task.state === state ? task : undefined;
    },
    `task ${taskId} to be ${state}`,
    30_000,
    100,
  );
}
