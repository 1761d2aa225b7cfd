// Why: shared steps of the job and task tests: a pool with idle nodes, shell command lines, waiting for states, raw signed requests.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { waitFor } from "../../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

export const vm = LOCAL_POOL_VM_CONFIGURATION;

/** A command line running `script` under /bin/sh (the command line itself is not run by a shell). */
export const sh = (script: string): string => `/bin/sh -c "${script}"`;

/** Adds a pool and waits until all its nodes are idle. */
export async function poolWithIdleNodes(client: BatchServiceClient, poolId: string, nodes: number, taskSlotsPerNode = 1): Promise<void> {
  await client.pool.add({ id: poolId, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: nodes, taskSlotsPerNode });
  await waitFor(
    async () => {
      const list = await client.computeNode.list(poolId);
      return list.length === nodes && list.every((node) => node.state === "idle") ? true : undefined;
    },
    `${nodes} idle nodes in pool ${poolId}`,
    30_000,
  );
}

export async function waitForTask(
  client: BatchServiceClient,
  jobId: string,
  taskId: string,
  accept: (task: BatchServiceModels.CloudTask) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<BatchServiceModels.CloudTask> {
  let last: BatchServiceModels.CloudTask | undefined;
  try {
    return await waitFor(
      async () => {
        last = await client.task.get(jobId, taskId);
        return accept(last) ? last : undefined;
      },
      `${jobId}/${taskId} ${what}`,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify({ state: last?.state, executionInfo: last?.executionInfo })}`);
  }
}

export const waitForTaskState = (client: BatchServiceClient, jobId: string, taskId: string, state: string, timeoutMs?: number) =>
  waitForTask(client, jobId, taskId, (task) => task.state === state, `to be ${state}`, timeoutMs);

export async function waitForJobState(client: BatchServiceClient, jobId: string, state: string, timeoutMs = 20_000): Promise<BatchServiceModels.CloudJob> {
  return waitFor(
    async () => {
      const job = await client.job.get(jobId);
      return job.state === state ? job : undefined;
    },
    `job ${jobId} to be ${state}`,
    timeoutMs,
  );
}

export async function waitForJobGone(client: BatchServiceClient, jobId: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => {
      try {
        await client.job.get(jobId);
        return undefined;
      } catch (error) {
        return (error as { statusCode?: number }).statusCode === 404 ? true : undefined;
      }
    },
    `job ${jobId} to be deleted`,
    timeoutMs,
  );
}

/** Sends a signed request the SDK would refuse to build (e.g. more than 100 tasks); the response is still spec-checked. */
export async function rawRequest(
  client: BatchServiceClient,
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await client.sendRequest({
    method,
    url: `${client.batchUrl}${path}`,
    queryParameters: { "api-version": client.apiVersion },
    headers: { "Content-Type": "application/json; odata=minimalmetadata; charset=utf-8" },
    body,
  });
  return { status: response.status, body: response.parsedBody ?? (response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined) };
}
