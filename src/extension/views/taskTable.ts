// Why: the job view's task table, vscode-free: the `$filter` a search and a state filter become, table rows from tasks, and paging through the Batch task list one page at a time.

import type { AbortSignalish, ListPage } from "../common/batchClientLike";
import type { ViewClient, ViewTaskLike } from "./viewClient";

/** Only the fields the table shows (`$select` takes top-level properties). */
export const TASK_TABLE_SELECT = "id,state,executionInfo,nodeInfo";
/** Tasks per page: small enough for a quick first page, large enough that scrolling rarely waits. */
export const TASK_PAGE_SIZE = 250;

/** The state filter's choices: the Batch task states, plus "completed" split by result (`executionInfo/result`). */
export const STATE_FILTERS = ["all", "active", "preparing", "running", "completed", "succeeded", "failed"] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface TaskQuery {
  readonly state: StateFilter;
  /** tasks whose id starts with this (server-side `startswith(id,'…')`); empty = all */
  readonly idPrefix: string;
}

export const ALL_TASKS: TaskQuery = { state: "all", idPrefix: "" };

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The OData `$filter` of a query (undefined = no filter): both go to the service, which applies them before paging. */
export function taskFilter(query: TaskQuery): string | undefined {
  const parts: string[] = [];
  if (query.state === "succeeded") parts.push("state eq 'completed'", "executionInfo/result eq 'success'");
  else if (query.state === "failed") parts.push("state eq 'completed'", "executionInfo/result eq 'failure'");
  else if (query.state !== "all") parts.push(`state eq ${quote(query.state)}`);
  const prefix = query.idPrefix.trim();
  if (prefix) parts.push(`startswith(id,${quote(prefix)})`);
  return parts.length ? parts.join(" and ") : undefined;
}

export function isStateFilter(value: unknown): value is StateFilter {
  return typeof value === "string" && (STATE_FILTERS as readonly string[]).includes(value);
}

/** One table row: what the page shows and sorts by (times as ISO strings, so they survive postMessage). */
export interface TaskRow {
  readonly id: string;
  readonly state: string;
  readonly exitCode?: number;
  readonly failed: boolean;
  readonly nodeId?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly durationMs?: number;
}

const iso = (value: Date | string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

export function taskRow(task: ViewTaskLike, now = Date.now()): TaskRow {
  const info = task.executionInfo;
  const startTime = iso(info?.startTime);
  const endTime = iso(info?.endTime);
  const end = endTime ? Date.parse(endTime) : task.state === "running" ? now : undefined;
  return {
    id: task.id ?? "?",
    state: task.state ?? "unknown",
    exitCode: info?.exitCode,
    failed: info?.result === "failure" || info?.failureInfo !== undefined,
    nodeId: task.nodeInfo?.nodeId,
    startTime,
    endTime,
    durationMs: startTime && end !== undefined ? Math.max(0, end - Date.parse(startTime)) : undefined,
  };
}

export interface TaskPage {
  readonly rows: TaskRow[];
  /** true while the service has more pages for this query */
  readonly more: boolean;
  /** the `$filter` sent (undefined: none) */
  readonly filter?: string;
}

/**
 * Pages through one query's tasks as the table asks for them: `first` sends the query, each `next` follows the
 * service's next link. Nothing is read ahead, so a job of 100,000 tasks costs one page until the user scrolls.
 */
export class TaskPager {
  private nextLink: string | undefined;
  private filter: string | undefined;

  constructor(
    private readonly client: ViewClient,
    readonly jobId: string,
    private readonly pageSize = TASK_PAGE_SIZE,
  ) {}

  async first(query: TaskQuery, abortSignal?: AbortSignalish): Promise<TaskPage> {
    this.filter = taskFilter(query);
    this.nextLink = undefined;
    const page = await this.client.task.list(this.jobId, {
      taskListOptions: { select: TASK_TABLE_SELECT, maxResults: this.pageSize, ...(this.filter ? { filter: this.filter } : {}) },
      abortSignal,
    });
    return this.take(page);
  }

  get hasMore(): boolean {
    return this.nextLink !== undefined;
  }

  async next(abortSignal?: AbortSignalish): Promise<TaskPage> {
    if (!this.nextLink) return { rows: [], more: false, filter: this.filter };
    return this.take(await this.client.task.listNext(this.nextLink, { abortSignal }));
  }

  private take(page: ListPage<ViewTaskLike>): TaskPage {
    this.nextLink = page.odatanextLink || undefined;
    const now = Date.now();
    return { rows: page.map((task) => taskRow(task, now)), more: this.hasMore, filter: this.filter };
  }
}
