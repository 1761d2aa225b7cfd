// Why: the job view's page: the progress chart the extension draws, and a virtualised task table (only the visible rows are in the DOM) that asks for the next page as the user scrolls.

import { pageHtml } from "./pageShell";
import { STATE_FILTERS } from "./taskTable";

/** Pixel height of a table row: the page positions rows by it, so it is fixed. */
export const ROW_HEIGHT = 22;

const STYLE = `
#chart svg { width: 100%; max-width: 900px; height: auto; }
.series { fill: none; stroke-width: 2; }
.dot { stroke: none; }
.series-active { stroke: var(--vscode-charts-blue); fill: none; }
.series-running { stroke: var(--vscode-charts-orange); fill: none; }
.series-succeeded { stroke: var(--vscode-charts-green); fill: none; }
.series-failed { stroke: var(--vscode-charts-red); fill: none; }
circle.series-active { fill: var(--vscode-charts-blue); } circle.series-running { fill: var(--vscode-charts-orange); }
circle.series-succeeded { fill: var(--vscode-charts-green); } circle.series-failed { fill: var(--vscode-charts-red); }
.controls { display: flex; gap: 8px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
input, select { background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 3px 6px; font-family: inherit; font-size: inherit; }
.cols { display: grid; grid-template-columns: minmax(140px, 2fr) 100px 90px minmax(120px, 1.5fr) 150px 150px 90px; }
.cols > span { padding: 0 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; line-height: ${ROW_HEIGHT}px; }
#header { font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); user-select: none; }
#header span { cursor: pointer; }
#header span[data-dir="asc"]::after { content: " ▲"; } #header span[data-dir="desc"]::after { content: " ▼"; }
#scroller { position: relative; overflow-y: auto; height: calc(100vh - 420px); min-height: 180px; border-bottom: 1px solid var(--vscode-panel-border); }
#window { position: absolute; left: 0; right: 0; top: 0; }
.row { height: ${ROW_HEIGHT}px; cursor: pointer; font-family: var(--vscode-editor-font-family); font-size: 12px; }
.row:hover { background: var(--vscode-list-hoverBackground); }
.row.failed .state { color: var(--vscode-errorForeground); }
.row.succeeded .state { color: var(--vscode-charts-green); }
.row.running .state { color: var(--vscode-charts-orange); }
#status { color: var(--vscode-descriptionForeground); margin: 4px 0; }
`;

const COLUMNS: [key: string, label: string][] = [
  ["id", "task"],
  ["state", "state"],
  ["exitCode", "exit code"],
  ["nodeId", "node"],
  ["startTime", "start"],
  ["endTime", "end"],
  ["durationMs", "duration"],
];

/**
 * The page script. Rows arrive a page at a time ("rows"); the page keeps them in the service's order and, when a
 * column header is clicked, sorts what it has loaded (the Batch task list has no $orderby). Only the rows in view
 * (plus a margin) are in the DOM; nearing the end of the loaded rows asks for the next page ("more").
 */
const SCRIPT = `
const vscode = acquireVsCodeApi();
const ROW = ${ROW_HEIGHT};
const $ = (id) => document.getElementById(id);
const scroller = $("scroller"), spacer = $("spacer"), win = $("window");
let queryId = 0, rows = [], shown = [], more = false, waiting = false, sort = undefined, filterText = "";
const pad = (n) => String(n).padStart(2, "0");
const time = (iso) => { if (!iso) return ""; const d = new Date(iso); return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); };
const duration = (ms) => { if (ms === undefined || ms === null) return ""; if (ms < 1000) return ms + " ms"; const s = ms / 1000; if (s < 60) return s.toFixed(1) + " s"; const m = Math.floor(s / 60); return m + " m " + Math.round(s % 60) + " s"; };
const stateText = (r) => r.state === "completed" ? (r.failed || (r.exitCode !== undefined && r.exitCode !== 0) ? "failed" : "succeeded") : r.state;
function compare(a, b) {
  const x = a[sort.key], y = b[sort.key];
  const missing = (v) => v === undefined || v === null || v === "";
  if (missing(x) && missing(y)) return 0;
  if (missing(x)) return 1;
  if (missing(y)) return -1;
  const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
  return sort.dir === "asc" ? order : -order;
}
function resort() {
  shown = sort ? rows.slice().sort(compare) : rows;
  for (const h of document.querySelectorAll("#header span")) {
    if (sort && h.dataset.key === sort.key) h.dataset.dir = sort.dir; else delete h.dataset.dir;
  }
}
function rowElement(r) {
  const el = document.createElement("div");
  el.className = "row cols " + stateText(r);
  el.dataset.id = r.id;
  const values = [r.id, stateText(r), r.exitCode === undefined ? "" : String(r.exitCode), r.nodeId || "", time(r.startTime), time(r.endTime), duration(r.durationMs)];
  values.forEach((v, i) => { const s = document.createElement("span"); s.textContent = v; s.title = v; if (i === 1) s.className = "state"; el.append(s); });
  return el;
}
function status() {
  const sorted = sort ? "; sorted by " + sort.key + " within the loaded tasks (the Batch task list has no $orderby)" : "";
  $("status").textContent = rows.length + " task" + (rows.length === 1 ? "" : "s") + " loaded" + (more ? ", more as you scroll" : "") + (filterText ? "; $filter=" + filterText : "") + sorted + ".";
}
function render() {
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - 10);
  const count = Math.ceil((scroller.clientHeight || 400) / ROW) + 20;
  spacer.style.height = (shown.length + (more ? 1 : 0)) * ROW + "px";
  win.style.transform = "translateY(" + first * ROW + "px)";
  win.replaceChildren(...shown.slice(first, first + count).map(rowElement));
  if (more && !waiting && first + count >= shown.length - 20) { waiting = true; vscode.postMessage({ type: "more", queryId }); }
  status();
  return [...win.children].map((c) => c.dataset.id);
}
function renderAndReport() {
  const domIds = render();
  vscode.postMessage({ type: "rendered", what: "rows", queryId, loaded: rows.length, domIds, domRows: domIds.length });
}
let scheduled = false;
scroller.addEventListener("scroll", () => { if (scheduled) return; scheduled = true; requestAnimationFrame(() => { scheduled = false; render(); }); });
win.addEventListener("click", (event) => { const row = event.target.closest(".row"); if (row) vscode.postMessage({ type: "open", taskId: row.dataset.id }); });
for (const h of document.querySelectorAll("#header span")) {
  h.addEventListener("click", () => {
    const key = h.dataset.key;
    sort = sort && sort.key === key ? (sort.dir === "asc" ? { key, dir: "desc" } : undefined) : { key, dir: "asc" };
    resort(); scroller.scrollTop = 0; renderAndReport();
  });
}
let debounce;
const query = () => { vscode.postMessage({ type: "query", state: $("state").value, idPrefix: $("search").value }); };
$("search").addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(query, 300); });
$("state").addEventListener("change", query);
window.addEventListener("message", (event) => {
  const m = event.data;
  if (!m) return;
  if (m.type === "init") { $("title").textContent = m.title; $("search").value = m.query.idPrefix; $("state").value = m.query.state; }
  else if (m.type === "rows") {
    if (m.queryId < queryId) return;
    $("rows-error").textContent = "";
    if (!m.append || m.queryId !== queryId) { rows = []; scroller.scrollTop = 0; }
    queryId = m.queryId; rows = rows.concat(m.rows); more = m.more; waiting = false; filterText = m.filter || "";
    resort(); renderAndReport();
  } else if (m.type === "progress") {
    const l = m.latest;
    $("counts").textContent = (l.active + l.running + l.succeeded + l.failed) + " tasks: " + l.active + " active · " + l.running + " running · " + l.succeeded + " succeeded · " + l.failed + " failed (" + m.samples + " sample" + (m.samples === 1 ? "" : "s") + " since the view opened)";
    $("chart").innerHTML = m.svg;
    const series = [...document.querySelectorAll("#chart path.series")].map((p) => p.getAttribute("data-series"));
    vscode.postMessage({ type: "rendered", what: "chart", samples: m.samples, series });
  } else if (m.type === "error") {
    $(m.where === "progress" ? "chart-error" : "rows-error").textContent = m.message;
    if (m.where === "rows") waiting = false;
  }
});
vscode.postMessage({ type: "ready" });
`;

export function jobViewHtml(cspSource: string, nonce: string): string {
  const options = STATE_FILTERS.map((s) => `<option value="${s}">${s === "all" ? "all states" : s}</option>`).join("");
  const header = COLUMNS.map(([key, label]) => `<span data-key="${key}">${label}</span>`).join("");
  return pageHtml({
    cspSource,
    nonce,
    title: "Job view",
    style: STYLE,
    script: SCRIPT,
    body: `<h1 id="title">Job</h1>
<div id="counts" class="summary">Reading task counts…</div>
<div id="chart"></div>
<div id="chart-error" class="error"></div>
<div class="controls">
<input id="search" type="search" placeholder="Task id starts with…" aria-label="Task id starts with">
<select id="state" aria-label="State">${options}</select>
</div>
<div id="header" class="cols">${header}</div>
<div id="scroller"><div id="spacer"></div><div id="window"></div></div>
<div id="status">Loading tasks…</div>
<div id="rows-error" class="error"></div>`,
  });
}
