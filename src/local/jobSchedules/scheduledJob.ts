// Why: the jobs of a job schedule: their ids (`<scheduleId>:job-<n>`) and URLs.
import type { BatchState } from "../store/batchState";
import type { JobRecord } from "../store/model";

export function jobUrlOf(baseUrl: string, jobId: string): string {
  return `${baseUrl}/jobs/${encodeURIComponent(jobId)}`;
}

/** The jobs a schedule created that still exist, in creation order (their ids start with `<scheduleId>:job-`). */
export function scheduleJobs(state: BatchState, scheduleId: string): JobRecord[] {
  const prefix = `${scheduleId.toLowerCase()}:job-`;
  return [...state.jobs.allValues()].filter((job) => job.wire.id.toLowerCase().startsWith(prefix));
}
