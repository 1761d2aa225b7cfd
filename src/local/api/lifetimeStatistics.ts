// Why: the account-wide statistics operations: lifetime job and pool statistics, pool usage metrics, and the node log upload.
import type { Router } from "../server/router";
import { jobTotals, poolTotals } from "../store/lifetimeTotals";
import type { HandlerDeps } from "./context";
import { GIB, isoDuration, jobFigureProperties } from "./jobStatistics";
import { uploadBatchServiceLogs } from "./uploadLogs";
import { listUsageMetrics } from "./usageMetrics";

/** JobStatistics over every task attempt that finished since the data folder's statistics began. */
export function lifetimeJobStatistics(deps: HandlerDeps, baseUrl: string): Record<string, unknown> {
  const totals = jobTotals(deps.state);
  return {
    url: `${baseUrl}/lifetimejobstats`,
    startTime: totals.since,
    lastUpdateTime: totals.lastUpdate,
    ...jobFigureProperties(totals.figures),
    numSucceededTasks: totals.succeeded,
    numFailedTasks: totals.failed,
    numTaskRetries: totals.retries,
    waitTime: isoDuration(totals.waitMs),
  };
}

/** PoolStatistics: core time of dedicated nodes, and the host's figures averaged over the time any node existed. */
export function lifetimePoolStatistics(deps: HandlerDeps, baseUrl: string): Record<string, unknown> {
  const totals = poolTotals(deps.state);
  const average = (sum: number) => (totals.sampledMs > 0 ? sum / totals.sampledMs : 0);
  const span = { startTime: totals.since, lastUpdateTime: totals.lastUpdate };
  return {
    url: `${baseUrl}/lifetimepoolstats`,
    ...span,
    usageStats: { ...span, dedicatedCoreTime: isoDuration(totals.dedicatedCoreMs) },
    resourceStats: {
      ...span,
      avgCPUPercentage: average(totals.cpuPercentMs),
      avgMemoryGiB: average(totals.memoryGiBMs),
      peakMemoryGiB: totals.peakMemoryGiB,
      avgDiskGiB: average(totals.diskGiBMs),
      peakDiskGiB: totals.peakDiskGiB,
      diskReadIOps: Math.round(totals.diskReads),
      diskWriteIOps: Math.round(totals.diskWrites),
      diskReadGiB: totals.diskReadBytes / GIB,
      diskWriteGiB: totals.diskWriteBytes / GIB,
      networkReadGiB: totals.networkReadBytes / GIB,
      networkWriteGiB: totals.networkWriteBytes / GIB,
    },
  };
}

export function registerStatisticsRoutes(router: Router, deps: HandlerDeps): void {
  router.on("Job_GetAllLifetimeStatistics", (context) => ({ status: 200, body: lifetimeJobStatistics(deps, context.baseUrl) }));
  router.on("Pool_GetAllLifetimeStatistics", (context) => {
    deps.usage?.sample();
    return { status: 200, body: lifetimePoolStatistics(deps, context.baseUrl) };
  });
  router.on("Pool_ListUsageMetrics", (context) => {
    deps.usage?.sample();
    return listUsageMetrics(deps.state, context);
  });
  router.on("ComputeNode_UploadBatchServiceLogs", (context) => uploadBatchServiceLogs(deps, context));
}
