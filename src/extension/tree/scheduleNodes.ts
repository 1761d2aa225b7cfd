// Why: the "Job Schedules" branch of an account: schedules (paged) with their state and next run, and under each the jobs it created (paged, with tasks).

import type { BatchClientLike, JobLike, JobScheduleLike } from "../common/batchClientLike";
import type { FilterStore } from "./filters";
import { withTaskCounts } from "./jobDecorations";
import { isActiveState, itemContext, jobNode } from "./jobNodes";
import { PagedNode } from "./paging";
import type { TreeNode } from "./treeNode";

export const SCHEDULE_SELECT = "id,state,executionInfo,jobSpecification";
export const SCHEDULES_CONTEXT = "jobSchedules";
export const JOB_SCHEDULES_LABEL = "Job Schedules";

type ScheduleClient = BatchClientLike & Required<Pick<BatchClientLike, "jobSchedule">>;

/** True when the client can list job schedules and their jobs (the real BatchServiceClient can). */
export function listsSchedules(client: BatchClientLike): client is ScheduleClient {
  return typeof client.jobSchedule?.list === "function" && typeof client.job.listFromJobSchedule === "function";
}

/** The Job Schedules container; like Jobs it carries its account's client, so actions on its items go to that account. */
export function jobSchedulesNode(
  parent: TreeNode,
  client: ScheduleClient,
  pageSize: () => number,
  filters?: FilterStore,
): PagedNode<JobScheduleLike> & { readonly batchClient: BatchClientLike } {
  const schedules = new PagedNode<JobScheduleLike>(parent, "schedules", JOB_SCHEDULES_LABEL, "calendar", SCHEDULES_CONTEXT, {
    select: SCHEDULE_SELECT,
    pageSize,
    itemsName: "job schedules",
    source: {
      first: (query, abortSignal) => client.jobSchedule.list({ jobScheduleListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.jobSchedule.listNext(link, { abortSignal }),
    },
    toNode: (schedule, container) => scheduleNode(container, client, schedule, pageSize, filters),
  });
  return Object.assign(schedules, { batchClient: client as BatchClientLike });
}

function scheduleNode(parent: TreeNode, client: BatchClientLike, schedule: JobScheduleLike, pageSize: () => number, filters?: FilterStore): PagedNode<JobLike> {
  const scheduleId = schedule.id ?? "?";
  const state = schedule.state ?? "?";
  const next = schedule.executionInfo?.nextRunTime;
  const recent = schedule.executionInfo?.recentJob?.id;
  const pool = schedule.jobSpecification?.poolInfo?.poolId;
  return new PagedNode<JobLike>(parent, `schedule:${scheduleId}`, scheduleId, scheduleIcon(state), itemContext("jobSchedule", state, parent), {
    description: [state, next ? `next ${formatTime(next)}` : undefined, pool].filter(Boolean).join(" · "),
    tooltip: [
      `Job schedule ${scheduleId}: ${state}`,
      next ? `next run: ${new Date(next).toISOString()}` : "no next run",
      recent ? `most recent job: ${recent}` : "",
      pool ? `pool: ${pool}` : "",
    ]
      .filter(Boolean)
      .join("\n"),
    active: isActiveState(state),
    select: "id,state,poolInfo",
    pageSize,
    itemsName: "jobs",
    decorate: (jobs, signal) => withTaskCounts(client, jobs, signal),
    source: {
      first: (query, abortSignal) => client.job.listFromJobSchedule!(scheduleId, { jobListFromJobScheduleOptions: query, abortSignal }),
      next: (link, abortSignal) => client.job.listFromJobScheduleNext!(link, { abortSignal }),
    },
    toNode: (job, container) => jobNode(container, client, job, pageSize, filters),
  });
}

export function scheduleIcon(state: string): string {
  switch (state) {
    case "active":
      return "calendar";
    case "disabled":
      return "circle-slash";
    case "completed":
      return "pass";
    case "terminating":
    case "deleting":
      return "loading~spin";
    default:
      return "calendar";
  }
}

/** `14:05:00` today, else `2026-12-01 14:05` (local time). */
function formatTime(value: Date | string): string {
  const date = new Date(value);
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time.slice(0, 5)}`;
}
