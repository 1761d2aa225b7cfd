// Why: the slice of the @azure/batch BatchServiceClient the explorer reads, as plain types, so the tree is testable with the real client or a fake.

/** One page of a list operation: the SDK's `*ListResult` arrays carry the next link as `odatanextLink`. */
export interface ListPage<T> extends ReadonlyArray<T> {
  readonly odatanextLink?: string;
}

/** The OData options the explorer sends (the SDK's `*ListOptions` subset). */
export interface ListQuery {
  maxResults?: number;
  select?: string;
  /** OData `$filter` (the explorer's job/task filters) */
  filter?: string;
}

/** Structural: both Node's AbortSignal and ms-rest-js's AbortSignalLike fit (the SDK listens for "abort"). */
export interface AbortSignalish {
  readonly aborted: boolean;
}

export interface RequestOptions {
  abortSignal?: AbortSignalish;
}

export interface PoolLike {
  id?: string;
  state?: string;
  allocationState?: string;
  vmSize?: string;
  currentDedicatedNodes?: number;
  currentLowPriorityNodes?: number;
  targetDedicatedNodes?: number;
}

export interface ComputeNodeLike {
  id?: string;
  state?: string;
  runningTasksCount?: number;
}

export interface JobLike {
  id?: string;
  state?: string;
  poolInfo?: { poolId?: string };
}

export interface TaskLike {
  id?: string;
  state?: string;
  executionInfo?: { exitCode?: number; result?: string; failureInfo?: { message?: string; code?: string } };
}

export interface JobScheduleLike {
  id?: string;
  state?: string;
  executionInfo?: { nextRunTime?: Date; recentJob?: { id?: string }; endTime?: Date };
  jobSpecification?: { poolInfo?: { poolId?: string } };
}

/** `job.getTaskCounts` (the SDK's TaskCountsResult subset). */
export interface TaskCountsLike {
  taskCounts: { active: number; running: number; completed: number; succeeded: number; failed: number };
}

/** `file.getFromTask` in Node: the body as a stream. */
export interface FileContentLike {
  readableStreamBody?: NodeJS.ReadableStream;
}

/** A real `BatchServiceClient` is assignable to this (the unit tests pass one). */
export interface BatchClientLike {
  readonly pool: {
    list(options?: RequestOptions & { poolListOptions?: ListQuery }): Promise<ListPage<PoolLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<PoolLike>>;
  };
  readonly computeNode: {
    list(poolId: string, options?: RequestOptions & { computeNodeListOptions?: ListQuery }): Promise<ListPage<ComputeNodeLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<ComputeNodeLike>>;
  };
  readonly job: {
    list(options?: RequestOptions & { jobListOptions?: ListQuery }): Promise<ListPage<JobLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<JobLike>>;
    /** optional: job descriptions show task counts when present */
    getTaskCounts?(jobId: string, options?: RequestOptions): Promise<TaskCountsLike>;
    /** optional: a job schedule's jobs (with `jobSchedule`) */
    listFromJobSchedule?(jobScheduleId: string, options?: RequestOptions & { jobListFromJobScheduleOptions?: ListQuery }): Promise<ListPage<JobLike>>;
    listFromJobScheduleNext?(nextPageLink: string, options?: RequestOptions): Promise<ListPage<JobLike>>;
  };
  /** optional: accounts whose client lists job schedules show a "Job Schedules" branch */
  readonly jobSchedule?: {
    list(options?: RequestOptions & { jobScheduleListOptions?: ListQuery }): Promise<ListPage<JobScheduleLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<JobScheduleLike>>;
  };
  readonly task: {
    list(jobId: string, options?: RequestOptions & { taskListOptions?: ListQuery }): Promise<ListPage<TaskLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<TaskLike>>;
  };
  /** optional: running tasks show the workload's progress file when present */
  readonly file?: {
    getFromTask(jobId: string, taskId: string, filePath: string, options?: RequestOptions): Promise<FileContentLike>;
  };
}
