// Why: the local pool a debug run's tasks go to: the named one, or the debug pool created on demand; waits until a node can take tasks.
import type { BatchServiceClient } from "@azure/batch";
import { setTimeout as delay } from "node:timers/promises";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../local/common/defaults";
import { UserCancelledError } from "../cancellation";
import { DebugConfigurationError } from "./launchArguments";

/** The pool the adapter creates when the configuration names none. */
export const DEBUG_POOL_ID = "batch-debug";
/** A job manager, its tasks and the FinalizeTask run side by side on the debug pool's one node. */
const DEBUG_POOL_SLOTS = 4;
const READY_STATES = new Set(["idle", "running"]);

export interface PoolReady {
  readonly poolId: string;
  readonly created: boolean;
  readonly nodeIds: readonly string[];
}

export async function ensureDebugPool(client: BatchServiceClient, poolId: string | undefined, signal: AbortSignal, timeoutMs = 60_000): Promise<PoolReady> {
  const id = poolId ?? DEBUG_POOL_ID;
  const exists = (await client.pool.exists(id)).body;
  let created = false;
  if (!exists) {
    if (poolId !== undefined)
      throw new DebugConfigurationError(
        "pool",
        `the local service has no pool "${poolId}": create it, or remove "pool" to use the debug pool "${DEBUG_POOL_ID}"`,
      );
    await client.pool.add({
      id,
      displayName: "Batch Manager debug pool",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
      targetDedicatedNodes: 1,
      taskSlotsPerNode: DEBUG_POOL_SLOTS,
    });
    created = true;
  } else if (poolId === undefined) {
    const pool = await client.pool.get(id);
    if ((pool.targetDedicatedNodes ?? 0) + (pool.targetLowPriorityNodes ?? 0) === 0 && pool.allocationState === "steady")
      await client.pool.resize(id, { targetDedicatedNodes: 1 });
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal.aborted) throw new UserCancelledError("pool");
    const nodes = await client.computeNode.list(id);
    const ready = nodes.filter((n) => READY_STATES.has(String(n.state)) && n.schedulingState !== "disabled").map((n) => n.id!);
    if (ready.length > 0) return { poolId: id, created, nodeIds: ready };
    if (Date.now() > deadline) {
      const pool = await client.pool.get(id);
      const why = pool.resizeErrors?.map((e) => e.message).join("; ");
      throw new DebugConfigurationError(
        "pool",
        `pool "${id}" has no node that can take tasks after ${timeoutMs / 1000} s${why ? ` (${why})` : ""}: resize it, or remove "pool" to use the debug pool`,
      );
    }
    await delay(200);
  }
}
