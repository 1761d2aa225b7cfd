// Why: the Simulate webview's page and messages: a CSP-locked shell (nonce'd script and style, no remote content, theme colours) that draws what the extension posts.

import { pageHtml } from "../common/webviewPage";
import type { SimulationOptions, SimulationPoint, SimulationResult } from "../../autoscale";
import { simulationSvg } from "./simulationChart";

/** extension → webview: the simulation to show, with its chart already drawn. */
export interface SimulationMessage {
  readonly type: "simulation";
  readonly title: string;
  readonly options: Omit<SimulationOptions, "startTime" | "sampling">;
  readonly result: SimulationResult;
  readonly svg: string;
}

/** webview → extension: "ready" when the script runs, "rendered" once the chart is in the page (what it drew, and the last point it got). */
export type WebviewMessage =
  | { readonly type: "ready" }
  | { readonly type: "rendered"; readonly series: string[]; readonly points: number; readonly evaluations: number; readonly last: SimulationPoint | undefined };

export function simulationMessage(title: string, options: SimulationOptions, result: SimulationResult): SimulationMessage {
  const { startTime: _start, sampling: _sampling, ...shown } = options;
  return { type: "simulation", title, options: shown, result, svg: simulationSvg(result) };
}

export { contentSecurityPolicy, makeNonce } from "../common/webviewPage";

const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px; }
h1 { font-size: 1.2em; font-weight: 600; }
#summary { color: var(--vscode-descriptionForeground); margin-bottom: 8px; }
svg.simulation-plot { width: 100%; max-width: 1000px; height: auto; }
.grid { stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border)); stroke-width: 0.5; }
.tick, .title { fill: var(--vscode-foreground); font-size: 11px; }
.title { font-weight: 600; font-size: 12px; }
.series { fill: none; stroke-width: 2; }
.series-target { stroke: var(--vscode-charts-purple); stroke-dasharray: 5 3; }
.series-nodes { stroke: var(--vscode-charts-blue); }
.series-ready { stroke: var(--vscode-charts-green); stroke-width: 1.5; }
.series-pending { stroke: var(--vscode-charts-orange); }
.series-running { stroke: var(--vscode-charts-green); stroke-width: 1.5; }
table { border-collapse: collapse; margin-top: 12px; width: 100%; max-width: 1000px; }
td, th { border-bottom: 1px solid var(--vscode-panel-border); padding: 2px 8px; text-align: left; vertical-align: top; font-family: var(--vscode-editor-font-family); font-size: 12px; }
td:first-child { white-space: nowrap; }
td:last-child { overflow-wrap: anywhere; }
.error { color: var(--vscode-errorForeground); }
`;

/**
 * The page: the script asks for the data ("ready"), puts the posted chart in the page (our own markup: every text in it
 * is escaped), lists the evaluations, and answers "rendered" with what it drew.
 */
const SCRIPT = `
const vscode = acquireVsCodeApi();
window.addEventListener("message", (event) => {
  const message = event.data;
  if (!message || message.type !== "simulation") return;
  document.getElementById("title").textContent = message.title;
  const last = message.result.points[message.result.points.length - 1];
  const peak = Math.max(0, ...message.result.points.map((p) => p.dedicatedNodes));
  document.getElementById("summary").textContent = message.result.points.length + " steps, " + message.result.evaluations.length + " evaluations; peak " + peak + " dedicated nodes; at the end " + (last ? last.succeededTasks : 0) + " tasks succeeded, " + (last ? last.pendingTasks : 0) + " pending.";
  document.getElementById("chart").innerHTML = message.svg;
  const rows = document.getElementById("evaluations");
  rows.replaceChildren();
  for (const evaluation of message.result.evaluations) {
    const row = document.createElement("tr");
    const time = document.createElement("td");
    time.textContent = Math.round(evaluation.timeMs / 60000) + " min";
    const results = document.createElement("td");
    results.textContent = evaluation.run.error ? evaluation.run.error.code + ": " + evaluation.run.error.values.map((v) => v.value).join(" ") : evaluation.run.results;
    if (evaluation.run.error) results.className = "error";
    row.append(time, results);
    rows.append(row);
  }
  const series = [...document.querySelectorAll("svg.simulation-plot path.series")].map((p) => p.getAttribute("data-series"));
  vscode.postMessage({ type: "rendered", series, points: message.result.points.length, evaluations: rows.children.length, last });
});
vscode.postMessage({ type: "ready" });
`;

export function simulationPageHtml(cspSource: string, nonce: string): string {
  const body = `<h1 id="title">Autoscale simulation</h1>
<div id="summary">Simulating…</div>
<div id="chart"></div>
<table><thead><tr><th>evaluation</th><th>results</th></tr></thead><tbody id="evaluations"></tbody></table>`;
  return pageHtml({ cspSource, nonce, title: "Autoscale simulation", style: STYLE, body, script: SCRIPT });
}
