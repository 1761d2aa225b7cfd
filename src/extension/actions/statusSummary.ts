// Why: what the status bar item says (local service state, active jobs) and how the active jobs are counted; vscode-free.

import type { LocalServiceState } from "../../core/localService/localServiceController";
import type { BatchClientLike } from "../common/batchClientLike";

export const ACTIVE_JOBS_FILTER = "state eq 'active'";
const MAX_COUNTED = 1000;

/** Active jobs of the account (first 1000; shown as "1000+" beyond). */
export async function countActiveJobs(client: BatchClientLike, signal?: AbortSignal): Promise<number> {
  const page = await client.job.list({ jobListOptions: { filter: ACTIVE_JOBS_FILTER, select: "id", maxResults: MAX_COUNTED }, abortSignal: signal });
  return page.odatanextLink ? MAX_COUNTED + 1 : page.length;
}

/** `$(vm-running) Batch: 2 active jobs`, `$(debug-stop) Batch: stopped`, … (codicons in `$()`). */
export function statusText(state: LocalServiceState, activeJobs: number | undefined): string {
  switch (state) {
    case "running": {
      if (activeJobs === undefined) return "$(vm-running) Batch: running";
      const count = activeJobs > MAX_COUNTED ? `${MAX_COUNTED}+` : String(activeJobs);
      return `$(vm-running) Batch: ${count} active job${activeJobs === 1 ? "" : "s"}`;
    }
    case "starting":
      return "$(loading~spin) Batch: starting";
    case "failed":
      return "$(error) Batch: failed";
    default:
      return "$(debug-stop) Batch: stopped";
  }
}

export function statusTooltip(state: LocalServiceState, endpoint: string | undefined): string {
  return state === "running"
    ? `Local Batch service running at ${endpoint ?? "?"}. Click to show the Batch Explorer.`
    : `Local Batch service ${state}. Click to start it.`;
}
