// Why: the job view webview panel: task pages fetched as the page asks (search, state filter, scrolling), task-count samples drawn while visible, rows opening their task's stdout.

import * as vscode from "vscode";
import { errorMessage } from "../common/errors";
import { addSample, type ProgressSample, progressSvg, sampleOf } from "../views/jobProgress";
import { jobViewHtml } from "../views/jobViewPage";
import { makeNonce } from "../views/pageShell";
import { VisiblePoller } from "../views/poller";
import { ALL_TASKS, isStateFilter, TaskPager, type TaskQuery } from "../views/taskTable";
import type { ViewClient } from "../views/viewClient";
import type { JobPageMessage, JobViewMessage } from "../views/viewMessages";
import { pageMessages, type PageMessages } from "../views/pageMessages";

export const JOB_VIEW_TYPE = "batchManager.jobView";

export interface JobViewOptions {
  readonly jobId: string;
  /** the account as the explorer shows it */
  readonly account: string;
  readonly client: ViewClient;
  /** opens a task's stdout (the batch: file command); rejects with a plain-text reason */
  readonly openTask: (taskId: string) => Promise<unknown>;
  readonly refreshMs: number;
}

/** One open job view: what was posted to the page and what it answered (tests read both), its samples and its poller. */
export interface JobView extends PageMessages<JobPageMessage> {
  readonly panel: vscode.WebviewPanel;
  readonly jobId: string;
  readonly posted: JobViewMessage[];
  readonly samples: ProgressSample[];
  readonly poller: VisiblePoller;
  /** the query the table shows */
  readonly query: () => TaskQuery;
  /** handles a page message, as the webview's own messages are handled */
  receive(message: JobPageMessage): Promise<void>;
}

export function openJobViewPanel(options: JobViewOptions): JobView {
  const { jobId, client } = options;
  const panel = vscode.window.createWebviewPanel(
    JOB_VIEW_TYPE,
    `Job ${jobId}`,
    { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
    { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
  );
  const posted: JobViewMessage[] = [];
  const samples: ProgressSample[] = [];
  const messages = pageMessages<JobPageMessage>();
  const post = (message: JobViewMessage) => {
    posted.push(message);
    void panel.webview.postMessage(message);
  };

  let queryId = 0;
  let query: TaskQuery = ALL_TASKS;
  let pager = new TaskPager(client, jobId);
  let controller = new AbortController();
  let fetchingMore = false;

  const runQuery = async (next: TaskQuery) => {
    controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const id = ++queryId;
    query = next;
    pager = new TaskPager(client, jobId);
    const mine = pager;
    fetchingMore = false;
    try {
      const page = await mine.first(next, signal);
      if (id === queryId) post({ type: "rows", queryId: id, rows: page.rows, append: false, more: page.more, filter: page.filter });
    } catch (error) {
      if (id === queryId && !signal.aborted) post({ type: "error", where: "rows", message: errorMessage(error) });
    }
  };

  const nextPage = async (forQuery: number) => {
    if (forQuery !== queryId || fetchingMore || !pager.hasMore) return;
    fetchingMore = true;
    const mine = pager;
    const signal = controller.signal;
    try {
      const page = await mine.next(signal);
      if (mine === pager) post({ type: "rows", queryId: forQuery, rows: page.rows, append: true, more: page.more, filter: page.filter });
    } catch (error) {
      if (mine === pager && !signal.aborted) post({ type: "error", where: "rows", message: errorMessage(error) });
    } finally {
      if (mine === pager) fetchingMore = false;
    }
  };

  const poller = new VisiblePoller(async (signal) => {
    try {
      const counts = await client.job.getTaskCounts(jobId, { abortSignal: signal });
      if (signal.aborted) return;
      addSample(samples, sampleOf(counts, Date.now()));
      post({ type: "progress", samples: samples.length, latest: samples[samples.length - 1], svg: progressSvg(samples) });
    } catch (error) {
      if (!signal.aborted) post({ type: "error", where: "progress", message: errorMessage(error) });
    }
  }, options.refreshMs);

  const receive = async (message: JobPageMessage) => {
    messages.received(message);
    switch (message?.type) {
      case "ready":
        post({ type: "init", title: `Job ${jobId} (${options.account})`, jobId, query });
        if (panel.visible) poller.start();
        await runQuery(query);
        break;
      case "query":
        await runQuery({ state: isStateFilter(message.state) ? message.state : "all", idPrefix: String(message.idPrefix ?? "") });
        break;
      case "more":
        await nextPage(message.queryId);
        break;
      case "open":
        try {
          await options.openTask(String(message.taskId));
        } catch (error) {
          post({ type: "error", where: "open", message: errorMessage(error) });
        }
        break;
    }
  };

  const subscriptions = [
    panel.webview.onDidReceiveMessage((message: JobPageMessage) => void receive(message)),
    panel.onDidChangeViewState(() => (panel.visible ? poller.start() : poller.stop())),
  ];
  panel.onDidDispose(() => {
    poller.stop();
    controller.abort();
    for (const s of subscriptions) s.dispose();
  });
  panel.webview.html = jobViewHtml(panel.webview.cspSource, makeNonce());
  return { panel, jobId, posted, samples, poller, query: () => query, receive, ...messages.api };
}
