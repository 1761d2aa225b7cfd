// Why: the pool view webview panel: the heat map of the pool's nodes, read again every refresh interval while the view is visible.

import * as vscode from "vscode";
import { errorMessage } from "../common/errors";
import { type PageMessages, pageMessages } from "../views/pageMessages";
import { makeNonce } from "../views/pageShell";
import { type HeatMapCell, heatMapSvg, listPoolNodes } from "../views/poolHeatMap";
import { poolViewHtml } from "../views/poolViewPage";
import { VisiblePoller } from "../views/poller";
import type { ViewClient } from "../views/viewClient";
import type { PoolPageMessage, PoolViewMessage } from "../views/viewMessages";

export const POOL_VIEW_TYPE = "batchManager.poolView";

export interface PoolViewOptions {
  readonly poolId: string;
  readonly account: string;
  readonly client: ViewClient;
  readonly refreshMs: number;
}

export interface PoolView extends PageMessages<PoolPageMessage> {
  readonly panel: vscode.WebviewPanel;
  readonly poolId: string;
  readonly posted: PoolViewMessage[];
  readonly poller: VisiblePoller;
  /** the nodes of the last read */
  readonly cells: () => readonly HeatMapCell[];
}

export function openPoolViewPanel(options: PoolViewOptions): PoolView {
  const { poolId, client } = options;
  const panel = vscode.window.createWebviewPanel(
    POOL_VIEW_TYPE,
    `Pool ${poolId}`,
    { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
    { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
  );
  const posted: PoolViewMessage[] = [];
  const messages = pageMessages<PoolPageMessage>();
  let cells: readonly HeatMapCell[] = [];
  const post = (message: PoolViewMessage) => {
    posted.push(message);
    void panel.webview.postMessage(message);
  };
  const poller = new VisiblePoller(async (signal) => {
    try {
      const read = await listPoolNodes(client, poolId, signal);
      if (signal.aborted) return;
      cells = read;
      post({ type: "nodes", cells: read, svg: heatMapSvg(read), readAt: new Date().toISOString() });
    } catch (error) {
      if (!signal.aborted) post({ type: "error", where: "nodes", message: errorMessage(error) });
    }
  }, options.refreshMs);

  const subscriptions = [
    panel.webview.onDidReceiveMessage((message: PoolPageMessage) => {
      messages.received(message);
      if (message?.type === "ready") {
        post({ type: "init", title: `Pool ${poolId} (${options.account})`, poolId });
        if (panel.visible) poller.start();
      }
    }),
    panel.onDidChangeViewState(() => (panel.visible ? poller.start() : poller.stop())),
  ];
  panel.onDidDispose(() => {
    poller.stop();
    for (const s of subscriptions) s.dispose();
  });
  panel.webview.html = poolViewHtml(panel.webview.cspSource, makeNonce());
  return { panel, poolId, posted, poller, cells: () => cells, ...messages.api };
}
