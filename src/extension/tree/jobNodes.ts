// Why: the "Jobs" branch of an account: jobs (paged) and each job's tasks (paged) with state and exit code, from a BatchClientLike.

import type { BatchClientLike, JobLike, TaskLike } from "../common/batchClientLike";
import type { FilterStore } from "./filters";
import { countsDetail, countsText, progressText, withProgress, withTaskCounts, type JobWithCounts, type TaskWithProgress } from "./jobDecorations";
import { type FileChildren, fileChildrenFor, FileOwnerItem, type FileOwnerNode } from "./fileNodes";
import { PagedNode } from "./paging";
import type { TreeNode } from "./treeNode";

export const JOB_SELECT = "id,state,poolInfo";
export const TASK_SELECT = "id,state,executionInfo";

/** contextValue tokens: the kind first, then the state and the account kind (`job active local`), for `viewItem =~` menus. */
export const itemContext = (kind: string, state: string | undefined, under: TreeNode) => `${kind} ${state ?? "unknown"} ${accountKind(under)}`;

/** "local", "sharedKey" or "azure": from the account item (`account.<kind>`) above `node`. */
export function accountKind(node: TreeNode | undefined): string {
  for (let n = node; n; n = n.parent) if (n.contextValue.startsWith("account.")) return n.contextValue.slice("account.".length);
  return "unknown";
}

/** States in which a job or task may still change (auto-refresh watches them). */
const ACTIVE_STATES = new Set(["active", "running", "preparing", "terminating", "disabling", "enabling", "deleting"]);
export const isActiveState = (state: string | undefined) => state !== undefined && ACTIVE_STATES.has(state);

/** The Jobs container carries its account's client, so actions on its jobs and tasks go to that account (actions/targets.ts). */
export function jobsNode(
  parent: TreeNode,
  client: BatchClientLike,
  pageSize: () => number,
  filters?: FilterStore,
): PagedNode<JobLike> & { readonly batchClient: BatchClientLike } {
  const jobs = new PagedNode<JobLike>(parent, "jobs", "Jobs", "briefcase", "jobs", {
    select: JOB_SELECT,
    pageSize,
    filter: () => filters?.jobs(),
    itemsName: "jobs",
    decorate: (jobs, signal) => withTaskCounts(client, jobs, signal),
    source: {
      first: (query, abortSignal) => client.job.list({ jobListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.job.listNext(link, { abortSignal }),
    },
    toNode: (job, container) => jobNode(container, client, job, pageSize, filters),
  });
  return Object.assign(jobs, { batchClient: client });
}

/** A job with its tasks (paged): under Jobs, and under a job schedule (tree/scheduleNodes.ts). */
export function jobNode(parent: TreeNode, client: BatchClientLike, job: JobWithCounts, pageSize: () => number, filters?: FilterStore): PagedNode<TaskLike> {
  const jobId = job.id ?? "?";
  const pool = job.poolInfo?.poolId;
  const counts = countsText(job.counts);
  return new PagedNode<TaskLike>(parent, `job:${jobId}`, jobId, jobIcon(job.state), itemContext("job", job.state, parent), {
    description: [job.state ?? "?", counts, pool].filter(Boolean).join(" · "),
    tooltip: `Job ${jobId}: ${job.state ?? "?"}${pool ? `\npool: ${pool}` : ""}${job.counts ? `\ntasks: ${countsDetail(job.counts)}` : ""}`,
    active: isActiveState(job.state) || (job.counts?.running ?? 0) > 0,
    select: TASK_SELECT,
    pageSize,
    filter: () => filters?.tasks(jobId),
    itemsName: "tasks",
    decorate: (tasks, signal) => withProgress(client, jobId, tasks, signal),
    source: {
      first: (query, abortSignal) => client.task.list(jobId, { taskListOptions: query, abortSignal }),
      next: (link, abortSignal) => client.task.listNext(link, { abortSignal }),
    },
    toNode: (task, container) => new TaskNode(container, task, fileChildrenFor(client, { kind: "task", jobId, taskId: task.id ?? "?" }, pageSize)),
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

/** A task: state, exit code and progress; update() (FileOwnerItem) takes over a fresh read of it in place. */
export class TaskNode extends FileOwnerItem {
  contextValue: string;
  active: boolean;
  description: string;
  icon: string;
  tooltip: string;
  constructor(parent: TreeNode, task: TaskWithProgress, files?: (node: FileOwnerNode) => FileChildren | undefined) {
    super(parent, "task", task.id ?? "?", files);
    const state = task.state ?? "unknown";
    const exitCode = task.executionInfo?.exitCode;
    const failure = task.executionInfo?.failureInfo;
    const failed = failure !== undefined || task.executionInfo?.result === "failure";
    this.contextValue = itemContext("task", failed ? `${state} failed` : state, parent);
    this.active = isActiveState(state);
    const progress = state === "running" ? progressText(task.progress) : undefined;
    this.description = [state, exitCode === undefined ? undefined : `exit ${exitCode}`, progress].filter(Boolean).join(" · ");
    this.icon = taskIcon(state, exitCode, failed);
    this.tooltip = [
      `Task ${this.label}: ${state}`,
      exitCode === undefined ? "" : `exit code ${exitCode}`,
      progress ? `progress: ${progress}` : "",
      failure?.message ?? "",
    ]
      .filter(Boolean)
      .join("\n");
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
