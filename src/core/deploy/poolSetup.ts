// Why: the pool a workload runs on: the existing one, or one created from the settings' pool definition — with Node.js provided and checked against engines.node.

import { execFile } from "node:child_process";
import type { Pool } from "@azure/arm-batch";
import * as semver from "semver";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../local/common/defaults";
import { applicationPackageVariable } from "../../runtime/contract/nodeCommandLine";
import type { DeploymentSettings, PoolDefinition } from "./deploySettings";
import type { DeployTarget } from "./deployTarget";

/** The pool deploy creates on the local service when the settings name none (shared by every local workload: the local node quota is small). */
export const DEFAULT_LOCAL_POOL_ID = "batch-manager-local";
/** The PATH of a local node's tasks (src/local/node/taskEnvironment.ts): its first `node` is the one tasks run. */
const LOCAL_NODE_SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function poolIdOf(settings: DeploymentSettings | undefined): string {
  return settings?.pool?.id ?? DEFAULT_LOCAL_POOL_ID;
}

/** The Node.js version local nodes run (`node --version` on the task PATH), or undefined when they have none. */
export function localNodeVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("node", ["--version"], { env: { PATH: LOCAL_NODE_SYSTEM_PATH } }, (error, stdout) =>
      resolve(error ? undefined : (semver.valid(String(stdout).trim()) ?? undefined)),
    );
  });
}

/** Throws unless `nodeVersion` satisfies the workload's engines.node. */
export function checkNodeVersion(nodeVersion: string | undefined, nodeRange: string | undefined, where: string): void {
  if (!nodeRange) return;
  if (!nodeVersion) throw new Error(`${where} has no Node.js, and the workload needs ${nodeRange} (engines.node): install Node.js on this machine's PATH`);
  if (!semver.satisfies(nodeVersion, nodeRange))
    throw new Error(
      `${where} runs Node.js ${nodeVersion}, which does not satisfy the workload's engines.node '${nodeRange}': ${where.startsWith("the pool") ? "use a pool.create.nodeRuntime with a matching Node.js" : "install a matching Node.js"} or change engines.node`,
    );
}

export interface PoolPlan {
  readonly poolId: string;
  readonly exists: boolean;
}

async function poolExists(target: DeployTarget, poolId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await target.arm.poolOperations.get(target.resourceGroup, target.accountName, poolId, { abortSignal: signal });
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

export async function inspectPool(target: DeployTarget, settings: DeploymentSettings | undefined, signal?: AbortSignal): Promise<PoolPlan> {
  const poolId = poolIdOf(settings);
  return { poolId, exists: await poolExists(target, poolId, signal) };
}

/**
 * The Node.js the pool's tasks will run, checked against engines.node. Local nodes put the system PATH before the
 * shared folder, so there this machine's `node` wins and the nodeRuntime package only matters when it has none.
 */
async function checkPoolNode(target: DeployTarget, definition: PoolDefinition | undefined, nodeRange: string | undefined): Promise<void> {
  const runtime = definition?.nodeRuntime;
  if (target.kind === "local") {
    const system = await localNodeVersion();
    if (system || !runtime) return checkNodeVersion(system, nodeRange, "the local nodes (node on the task PATH)");
  }
  if (runtime) checkNodeVersion(runtime.nodeVersion, nodeRange, "the pool definition's nodeRuntime (pool.create.nodeRuntime.nodeVersion)");
}

/**
 * Creates the pool through ARM (the same call for the local service and Azure) when it does not exist. Without a
 * pool definition, locally: two nodes of four slots on this machine. From `pool.create`: Batch images have no
 * Node.js, so the pool references the nodeRuntime application package and a start task copies its `bin/node` into
 * the node's shared folder, which is on every task's PATH; a user-assigned identity from the settings is assigned.
 */
export async function ensurePool(
  target: DeployTarget,
  settings: DeploymentSettings | undefined,
  nodeRange: string | undefined,
  signal?: AbortSignal,
): Promise<PoolPlan> {
  const plan = await inspectPool(target, settings, signal);
  const definition = settings?.pool?.create;
  await checkPoolNode(target, plan.exists ? undefined : definition, nodeRange);
  if (plan.exists) return plan;
  if (!definition && target.kind === "azure")
    throw new Error(`the pool '${plan.poolId}' does not exist in ${target.description}: create it, or add a pool.create definition to the deployment settings`);
  const pool = definition ? poolFromDefinition(target, settings!, definition) : localDefaultPool();
  await target.arm.poolOperations
    .create(target.resourceGroup, target.accountName, plan.poolId, pool, { ifNoneMatch: "*", abortSignal: signal })
    .catch((error: unknown) => {
      throw new Error(`creating the pool '${plan.poolId}' (settings pool.create) failed: ${(error as Error).message}`);
    });
  return plan;
}

/** The pool deploy creates on the local service when the settings define none. */
function localDefaultPool(): Pool {
  const { nodeAgentSKUId, ...vm } = LOCAL_POOL_VM_CONFIGURATION;
  return {
    vmSize: "standard_d2s_v3",
    taskSlotsPerNode: 4,
    deploymentConfiguration: { virtualMachineConfiguration: { ...vm, nodeAgentSkuId: nodeAgentSKUId } },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 2, targetLowPriorityNodes: 0 } },
  };
}

function poolFromDefinition(target: DeployTarget, settings: DeploymentSettings, definition: PoolDefinition): Pool {
  const runtime = definition.nodeRuntime;
  const image = definition.image ?? {
    publisher: "canonical",
    offer: "0001-com-ubuntu-server-jammy",
    sku: "22_04-lts",
    nodeAgentSkuId: "batch.node.ubuntu 22.04",
  };
  const accountId = `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.Batch/batchAccounts/${target.accountName}`;
  return {
    vmSize: definition.vmSize,
    taskSlotsPerNode: definition.taskSlotsPerNode ?? 1,
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version ?? "latest" },
        nodeAgentSkuId: image.nodeAgentSkuId,
      },
    },
    scaleSettings: {
      fixedScale: { targetDedicatedNodes: definition.targetDedicatedNodes ?? 1, targetLowPriorityNodes: definition.targetLowPriorityNodes ?? 0 },
    },
    applicationPackages: [{ id: `${accountId}/applications/${runtime.applicationId}`, version: runtime.version }],
    startTask: {
      commandLine: `/bin/sh -c "cp $${applicationPackageVariable(runtime.applicationId, runtime.version)}/bin/node $AZ_BATCH_NODE_SHARED_DIR/node && chmod 755 $AZ_BATCH_NODE_SHARED_DIR/node"`,
      waitForSuccess: true,
      maxTaskRetryCount: 2,
      userIdentity: { autoUser: { scope: "Pool", elevationLevel: "NonAdmin" } },
    },
    ...(settings.identity ? { identity: { type: "UserAssigned", userAssignedIdentities: { [settings.identity.resourceId]: {} } } } : {}),
  };
}
