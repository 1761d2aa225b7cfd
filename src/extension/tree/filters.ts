// Why: the explorer's job and task filters (OData `$filter` for the list calls) and the choices the filter commands offer.

import type { ListFilter } from "./paging";

export interface FilterChoice extends ListFilter {
  readonly description?: string;
}

const stateEq = (state: string): FilterChoice => ({ label: state, odata: `state eq '${state}'` });

/** The job filters batchManager.filterJobs offers. */
export const JOB_FILTERS: readonly FilterChoice[] = ["active", "disabled", "terminating", "completed"].map(stateEq);

/** The task filters batchManager.filterTasks offers ("failed" is what "reactivate all failed" lists too). */
export const FAILED_TASKS_FILTER = "executionInfo/result eq 'failure'";
export const TASK_FILTERS: readonly FilterChoice[] = [
  ...["active", "running", "completed"].map(stateEq),
  { label: "failed", odata: FAILED_TASKS_FILTER, description: "completed with a failure" },
  { label: "succeeded", odata: "executionInfo/result eq 'success'", description: "completed with exit code 0" },
];

/** Key for the task filter that applies to every job without its own. */
export const ALL_JOBS = "*";

/** Holds the filters; the Jobs and job nodes read them on every load. */
export class FilterStore {
  private jobFilter: ListFilter | undefined;
  private readonly taskFilters = new Map<string, ListFilter>();

  jobs(): ListFilter | undefined {
    return this.jobFilter;
  }

  /** The task filter of one job: its own, else the one set for all jobs. */
  tasks(jobId: string): ListFilter | undefined {
    return this.taskFilters.get(jobId) ?? this.taskFilters.get(ALL_JOBS);
  }

  /** undefined clears. */
  setJobs(filter: ListFilter | undefined): void {
    this.jobFilter = filter;
  }

  /** undefined clears; ALL_JOBS sets (or clears) the filter of every job and drops the per-job ones. */
  setTasks(jobId: string, filter: ListFilter | undefined): void {
    if (jobId === ALL_JOBS) this.taskFilters.clear();
    if (filter) this.taskFilters.set(jobId, filter);
    else this.taskFilters.delete(jobId);
  }
}
