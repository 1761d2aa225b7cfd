// Why: the explorer's job and task actions as plain calls on a Batch client (vscode-free, unit-tested against the real local service).

import { UserCancelledError } from "../common/errors";
import type { ListPage, ListQuery, RequestOptions, TaskLike } from "../common/batchClientLike";
import { FAILED_TASKS_FILTER } from "../tree/filters";
import { mapBounded } from "../common/bounded";
import type { JobTarget, ScheduleTarget, TaskTarget } from "./targets";

/** What to do with a job's running tasks when it is disabled (the REST `disableTasks`). */
export type DisableTasks = "requeue" | "terminate" | "wait";
export const DISABLE_CHOICES: readonly { readonly value: DisableTasks; readonly detail: string }[] = [
  { value: "requeue", detail: "stop running tasks and requeue them; they run again once the job is enabled" },
  { value: "terminate", detail: "stop running tasks; they complete with a failure and do not run again" },
  { value: "wait", detail: "let running tasks finish; start no new ones" },
];

/** The slice of the @azure/batch BatchServiceClient the actions call (the real client fits). */
export interface ActionClient {
  readonly job: {
    terminate(jobId: string, options?: RequestOptions): Promise<unknown>;
    deleteMethod(jobId: string, options?: RequestOptions): Promise<unknown>;
    disable(jobId: string, disableTasks: DisableTasks, options?: RequestOptions): Promise<unknown>;
    enable(jobId: string, options?: RequestOptions): Promise<unknown>;
  };
  readonly task: {
    terminate(jobId: string, taskId: string, options?: RequestOptions): Promise<unknown>;
    reactivate(jobId: string, taskId: string, options?: RequestOptions): Promise<unknown>;
    deleteMethod(jobId: string, taskId: string, options?: RequestOptions): Promise<unknown>;
    list(jobId: string, options?: RequestOptions & { taskListOptions?: ListQuery }): Promise<ListPage<TaskLike>>;
    listNext(nextPageLink: string, options?: RequestOptions): Promise<ListPage<TaskLike>>;
  };
}

/** The job schedule calls (a real BatchServiceClient has them). */
export interface ScheduleActionClient {
  readonly jobSchedule: {
    enable(jobScheduleId: string, options?: RequestOptions): Promise<unknown>;
    disable(jobScheduleId: string, options?: RequestOptions): Promise<unknown>;
    terminate(jobScheduleId: string, options?: RequestOptions): Promise<unknown>;
  };
}

export const isScheduleActionClient = (client: unknown): client is ScheduleActionClient => {
  const schedules = (client as Partial<ScheduleActionClient> | undefined)?.jobSchedule;
  return typeof schedules?.enable === "function" && typeof schedules.disable === "function" && typeof schedules.terminate === "function";
};

export const scheduleActions = {
  enable: (client: ScheduleActionClient, { jobScheduleId }: ScheduleTarget, signal?: AbortSignal) =>
    client.jobSchedule.enable(jobScheduleId, { abortSignal: signal }),
  disable: (client: ScheduleActionClient, { jobScheduleId }: ScheduleTarget, signal?: AbortSignal) =>
    client.jobSchedule.disable(jobScheduleId, { abortSignal: signal }),
  terminate: (client: ScheduleActionClient, { jobScheduleId }: ScheduleTarget, signal?: AbortSignal) =>
    client.jobSchedule.terminate(jobScheduleId, { abortSignal: signal }),
};

/** True when `client` has the calls the actions make (a real BatchServiceClient does). */
export function isActionClient(client: unknown): client is ActionClient {
  const c = client as Partial<ActionClient> | undefined;
  return (
    typeof c?.job?.terminate === "function" &&
    typeof c.job.disable === "function" &&
    typeof c.task?.reactivate === "function" &&
    typeof c.task.deleteMethod === "function"
  );
}

export const jobActions = {
  terminate: (client: ActionClient, { jobId }: JobTarget, signal?: AbortSignal) => client.job.terminate(jobId, { abortSignal: signal }),
  delete: (client: ActionClient, { jobId }: JobTarget, signal?: AbortSignal) => client.job.deleteMethod(jobId, { abortSignal: signal }),
  disable: (client: ActionClient, { jobId }: JobTarget, disableTasks: DisableTasks, signal?: AbortSignal) =>
    client.job.disable(jobId, disableTasks, { abortSignal: signal }),
  enable: (client: ActionClient, { jobId }: JobTarget, signal?: AbortSignal) => client.job.enable(jobId, { abortSignal: signal }),
};

export const taskActions = {
  terminate: (client: ActionClient, { jobId, taskId }: TaskTarget, signal?: AbortSignal) => client.task.terminate(jobId, taskId, { abortSignal: signal }),
  reactivate: (client: ActionClient, { jobId, taskId }: TaskTarget, signal?: AbortSignal) => client.task.reactivate(jobId, taskId, { abortSignal: signal }),
  delete: (client: ActionClient, { jobId, taskId }: TaskTarget, signal?: AbortSignal) => client.task.deleteMethod(jobId, taskId, { abortSignal: signal }),
};

/** How many reactivate calls "reactivate all failed" keeps in flight. */
export const REACTIVATE_CONCURRENCY = 8;

export interface ReactivateAllResult {
  readonly total: number;
  readonly reactivated: number;
  readonly failures: readonly { readonly taskId: string; readonly message: string }[];
}

/** Every task id of a job matching `filter`, following next links. */
export async function listTaskIds(client: ActionClient, jobId: string, filter: string, signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  let page = await client.task.list(jobId, { taskListOptions: { filter, select: "id", maxResults: 1000 }, abortSignal: signal });
  for (;;) {
    ids.push(...page.map((t) => t.id ?? "").filter(Boolean));
    if (!page.odatanextLink) return ids;
    page = await client.task.listNext(page.odatanextLink, { abortSignal: signal });
  }
}

/**
 * Reactivates every failed task of a job (`executionInfo/result eq 'failure'`), REACTIVATE_CONCURRENCY at a time,
 * reporting "done of total" after each. Aborting stops starting new calls and rejects with UserCancelledError.
 */
export async function reactivateFailedTasks(
  client: ActionClient,
  { jobId }: JobTarget,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; concurrency?: number } = {},
): Promise<ReactivateAllResult> {
  const { signal, onProgress } = options;
  const ids = await abortAware(signal, () => listTaskIds(client, jobId, FAILED_TASKS_FILTER, signal));
  onProgress?.(0, ids.length);
  let done = 0;
  const results = await mapBounded(
    ids,
    options.concurrency ?? REACTIVATE_CONCURRENCY,
    async (taskId) => {
      try {
        await client.task.reactivate(jobId, taskId, { abortSignal: signal });
      } finally {
        onProgress?.(++done, ids.length);
      }
    },
    signal,
  );
  if (signal?.aborted) throw new UserCancelledError("reactivate failed tasks");
  const failures = results.flatMap((r, i) => (r?.status === "rejected" ? [{ taskId: ids[i], message: errorText(r.reason) }] : []));
  return { total: ids.length, reactivated: results.filter((r) => r?.status === "fulfilled").length, failures };
}

/** The SDK rejects an aborted call with a plain RestError; make it the silent UserCancelledError. */
export async function abortAware<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted) throw new UserCancelledError();
    throw error;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
