// Why: the pool view's page: the heat map of the pool's nodes the extension draws, refreshed while the view is visible.

import { pageHtml } from "./pageShell";

const STYLE = `
#map svg { max-width: 100%; height: auto; }
.cell { stroke: var(--vscode-panel-border); stroke-width: 1; fill: var(--vscode-disabledForeground); }
.count { fill: var(--vscode-editor-background); font-size: 13px; font-weight: 600; }
.node-idle { fill: var(--vscode-charts-green); }
.node-running { fill: var(--vscode-charts-blue); }
.node-starting, .node-creating, .node-waitingforstarttask, .node-rebooting, .node-reimaging { fill: var(--vscode-charts-yellow); }
.node-leavingpool, .node-preempted, .node-offline { fill: var(--vscode-charts-purple); }
.node-starttaskfailed, .node-unusable, .node-unknown { fill: var(--vscode-charts-red); }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
const $ = (id) => document.getElementById(id);
window.addEventListener("message", (event) => {
  const m = event.data;
  if (!m) return;
  if (m.type === "init") { $("title").textContent = m.title; }
  else if (m.type === "nodes") {
    $("error").textContent = "";
    const running = m.cells.reduce((sum, c) => sum + c.runningTasks, 0);
    $("summary").textContent = m.cells.length + " node" + (m.cells.length === 1 ? "" : "s") + ", " + running + " running task" + (running === 1 ? "" : "s") + "; read at " + new Date(m.readAt).toLocaleTimeString() + ", refreshed while this view is visible.";
    $("map").innerHTML = m.svg;
    const nodes = [...document.querySelectorAll("#map g.node")].map((g) => ({ id: g.getAttribute("data-node"), state: g.getAttribute("data-state"), running: Number(g.getAttribute("data-running")) }));
    vscode.postMessage({ type: "rendered", what: "heatmap", nodes });
  } else if (m.type === "error") { $("error").textContent = m.message; }
});
vscode.postMessage({ type: "ready" });
`;

export function poolViewHtml(cspSource: string, nonce: string): string {
  return pageHtml({
    cspSource,
    nonce,
    title: "Pool view",
    style: STYLE,
    script: SCRIPT,
    body: `<h1 id="title">Pool</h1>
<div id="summary" class="summary">Reading the pool's nodes…</div>
<div id="map"></div>
<div id="error" class="error"></div>`,
  });
}
