// Why: which job or task an explorer item stands for, read from its stable id (`…/job:<id>` and `…/job:<id>/task:<id>`).

import type { TreeNode } from "../tree/treeNode";

export interface JobTarget {
  readonly jobId: string;
}
export interface TaskTarget extends JobTarget {
  readonly taskId: string;
}

export interface ScheduleTarget {
  readonly jobScheduleId: string;
}

const JOB = /\/job:([^/]+)$/;
const SCHEDULE = /\/schedule:([^/]+)$/;
const TASK = /\/job:([^/]+)\/task:([^/]+)$/;

/** The job of a job item (undefined for anything else). */
export function jobOf(node: TreeNode | undefined): JobTarget | undefined {
  const match = node ? JOB.exec(node.id) : null;
  return match ? { jobId: match[1] } : undefined;
}

/** The task of a task item (undefined for anything else). */
export function taskOf(node: TreeNode | undefined): TaskTarget | undefined {
  const match = node ? TASK.exec(node.id) : null;
  return match ? { jobId: match[1], taskId: match[2] } : undefined;
}

/** The job schedule of a job schedule item (undefined for anything else). */
export function scheduleOf(node: TreeNode | undefined): ScheduleTarget | undefined {
  const match = node ? SCHEDULE.exec(node.id) : null;
  return match ? { jobScheduleId: match[1] } : undefined;
}

/** The Jobs container an item belongs to (itself, or an ancestor). */
export function jobsContainerOf(node: TreeNode | undefined): TreeNode | undefined {
  for (let n = node; n; n = n.parent) if (n.contextValue === "jobs") return n;
  return undefined;
}

/** The client of the account an item belongs to (the Jobs container carries it), if any. */
export function treeClientOf(node: TreeNode | undefined): unknown {
  for (let n = node; n; n = n.parent) {
    const client = (n as { batchClient?: unknown }).batchClient;
    if (client) return client;
  }
  return undefined;
}

/** The Azure portal page of the account an item belongs to (only Azure account items carry one). */
export function portalUrlOf(node: TreeNode | undefined): string | undefined {
  for (let n = node; n; n = n.parent) {
    const url = (n as { portalUrl?: unknown }).portalUrl;
    if (typeof url === "string") return url;
  }
  return undefined;
}
