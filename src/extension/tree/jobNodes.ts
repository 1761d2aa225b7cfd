// Why: the "Jobs" branch of an account: jobs (paged) and each job's tasks (paged) with state and exit code, from a BatchClientLike.

import type { BatchClientLike, JobLike, TaskLike } from "./batchClientLike";
import { PagedNode } from "./paging";
import type { TreeNode } from "./treeNode";

export const JOB_SELECT = "id,state,poolInfo";
export const TASK_SELECT = "id,state,executionInfo";

export function jobsNode(parent: TreeNode, client: BatchClientLike, pageSize: () => number): PagedNode<JobLike> {
  return new PagedNode<JobLike>(parent, "jobs", "Jobs", "briefcase", "jobs", {
    select: JOB_SELECT,
    pageSize,
    source: {
      first: (query, abortSignal) => client.job.list({ jobListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.job.listNext(link, { abortSignal }),
    },
    toNode: (job, container) => jobNode(container, client, job, pageSize),
  });
}

function jobNode(parent: TreeNode, client: BatchClientLike, job: JobLike, pageSize: () => number): PagedNode<TaskLike> {
  const jobId = job.id ?? "?";
  const pool = job.poolInfo?.poolId;
  return new PagedNode<TaskLike>(parent, `job:${jobId}`, jobId, jobIcon(job.state), "job", {
    description: pool ? `${job.state ?? "?"} · ${pool}` : (job.state ?? "?"),
    tooltip: `Job ${jobId}: ${job.state ?? "?"}${pool ? `\npool: ${pool}` : ""}`,
    select: TASK_SELECT,
    pageSize,
    source: {
      first: (query, abortSignal) => client.task.list(jobId, { taskListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.task.listNext(link, { abortSignal }),
    },
    toNode: (task, container) => new TaskNode(container, task),
  });
}

export function jobIcon(state: string | undefined): string {
  switch (state) {
    case "completed":
      return "pass";
    case "disabled":
    case "disabling":
      return "circle-slash";
    case "terminating":
    case "deleting":
    case "enabling":
      return "loading~spin";
    default:
      return "briefcase";
  }
}

export class TaskNode implements TreeNode {
  readonly contextValue = "task";
  readonly collapsible = "none" as const;
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly icon: string;
  readonly tooltip: string;
  constructor(
    readonly parent: TreeNode,
    task: TaskLike,
  ) {
    this.label = task.id ?? "?";
    this.id = `${parent.id}/task:${this.label}`;
    const state = task.state ?? "unknown";
    const exitCode = task.executionInfo?.exitCode;
    const failure = task.executionInfo?.failureInfo;
    this.description = exitCode === undefined ? state : `${state} · exit ${exitCode}`;
    this.icon = taskIcon(state, exitCode, failure !== undefined);
    this.tooltip = [`Task ${this.label}: ${state}`, exitCode === undefined ? "" : `exit code ${exitCode}`, failure?.message ?? ""].filter(Boolean).join("\n");
  }
}

/** Codicon per task state: "pass" (green) for exit 0, "error" (red) for a failure, a spinner while running. */
export function taskIcon(state: string, exitCode: number | undefined, failed: boolean): string {
  switch (state) {
    case "active":
      return "clock";
    case "preparing":
    case "running":
      return "loading~spin";
    case "completed":
      return failed || (exitCode !== undefined && exitCode !== 0) ? "error" : "pass";
    default:
      return "circle-outline";
  }
}
