// Why: the figures an autoscale formula reads ($PendingTasks, $CurrentDedicatedNodes, …), taken from the local service's real task and node state of one pool.
import type { MetricFigures } from "../../autoscale";
import type { BatchState } from "../store/batchState";
import type { PoolRecord } from "../store/model";

const USABLE_NODE_STATES = new Set(["idle", "running"]);

function jobRunsOnPool(jobWire: Record<string, unknown>, poolId: string): boolean {
  if (jobWire.state === "completed" || jobWire.state === "deleting") return false;
  const poolInfo = jobWire.poolInfo as { poolId?: string } | undefined;
  const executionPool = (jobWire.executionInfo as { poolId?: string } | undefined)?.poolId;
  const target = poolInfo?.poolId ?? executionPool;
  return typeof target === "string" && target.toLowerCase() === poolId.toLowerCase();
}

/**
 * Task metrics across the jobs on the pool (Choice: `$ActiveTasks` counts every active task; the local service
 * does not subtract tasks still waiting on dependencies), node metrics from the pool's node records. Resource
 * metrics the local service does not measure ($CPUPercent, $MemoryBytes, disk and network) read 0.
 */
export function poolFigures(state: BatchState, pool: PoolRecord): MetricFigures {
  const poolId = pool.wire.id;
  let active = 0;
  let running = 0;
  let succeeded = 0;
  let failed = 0;
  for (const job of state.jobs.values()) {
    if (!jobRunsOnPool(job.wire, poolId)) continue;
    const counts = state.taskIndex(job.wire.id).counts;
    active += counts.active;
    running += counts.running;
    succeeded += counts.succeeded;
    failed += counts.failed;
  }
  let nodes = 0;
  let usable = 0;
  for (const node of state.nodesOf(poolId)) {
    nodes += 1;
    if (USABLE_NODE_STATES.has(String(node.wire.state))) usable += 1;
  }
  return {
    $ActiveTasks: active,
    $RunningTasks: running,
    $PendingTasks: active + running,
    $SucceededTasks: succeeded,
    $FailedTasks: failed,
    $TaskSlotsPerNode: typeof pool.wire.taskSlotsPerNode === "number" ? pool.wire.taskSlotsPerNode : 1,
    $CurrentDedicatedNodes: typeof pool.wire.currentDedicatedNodes === "number" ? pool.wire.currentDedicatedNodes : nodes,
    $CurrentLowPriorityNodes: 0,
    $PreemptedNodeCount: 0,
    $UsableNodeCount: usable,
    $SampleNodeCount: nodes,
  };
}
