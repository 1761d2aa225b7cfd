// Why: the wire form of a job's per-node preparation and release task status (JobPreparationAndReleaseTaskExecutionInformation).
import { nodeUrl } from "../dispatcher/agentCalls";
import type { JobRecord } from "../store/model";
import type { HandlerDeps } from "./context";

type Entry = Record<string, unknown> & { poolId?: string; taskRootDirectory?: string; state: string };

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function executionInfo(entry: Entry, url: string, keys: string[]): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const key of keys) info[key] = entry[key];
  if (entry.taskRootDirectory !== undefined) {
    info.taskRootDirectory = entry.taskRootDirectory;
    info.taskRootDirectoryUrl = `${url}/files/${entry.taskRootDirectory.split("/").map(encodeURIComponent).join("/")}`;
  }
  return withoutUndefined(info);
}

/** One item per node where the job's preparation or release task ran, in the order nodes were first used. */
export function preparationStatusList(deps: HandlerDeps, job: JobRecord): Record<string, unknown>[] {
  const defaultPool = (job.wire.poolInfo as { poolId?: string } | undefined)?.poolId ?? "";
  const nodeIds = [...new Set([...Object.keys(job.local.preparation), ...Object.keys(job.local.release)])];
  return nodeIds.map((nodeId) => {
    const preparation = job.local.preparation[nodeId] as Entry | undefined;
    const release = job.local.release[nodeId] as Entry | undefined;
    const poolId = preparation?.poolId ?? release?.poolId ?? defaultPool;
    const url = nodeUrl(deps.account.batchUrl, poolId, nodeId);
    const item: Record<string, unknown> = { poolId, nodeId, nodeUrl: url };
    if (preparation) {
      item.jobPreparationTaskExecutionInfo = executionInfo(preparation, url, [
        "startTime",
        "endTime",
        "state",
        "exitCode",
        "failureInfo",
        "retryCount",
        "lastRetryTime",
        "result",
      ]);
    }
    if (release) item.jobReleaseTaskExecutionInfo = executionInfo(release, url, ["startTime", "endTime", "state", "exitCode", "failureInfo", "result"]);
    return item;
  });
}
