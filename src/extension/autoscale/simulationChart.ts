// Why: draws a simulation as inline SVG (node counts above, task counts below, over time) with theme classes instead of colours, vscode-free and deterministic.

import type { SimulationPoint, SimulationResult } from "../../autoscale";

export interface ChartSeries {
  readonly key: keyof SimulationPoint;
  readonly label: string;
  /** CSS class: the webview colours it with theme variables */
  readonly className: string;
}

export const NODE_SERIES: readonly ChartSeries[] = [
  { key: "targetDedicatedNodes", label: "target dedicated nodes", className: "series-target" },
  { key: "dedicatedNodes", label: "dedicated nodes", className: "series-nodes" },
  { key: "readyNodes", label: "ready nodes", className: "series-ready" },
];
export const TASK_SERIES: readonly ChartSeries[] = [
  { key: "pendingTasks", label: "pending tasks", className: "series-pending" },
  { key: "runningTasks", label: "running tasks", className: "series-running" },
];

const WIDTH = 800;
const PANEL_HEIGHT = 200;
const LEFT = 56;
const RIGHT = 16;
const TOP = 24;
const GAP = 56;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A "nice" axis maximum and step (1, 2 or 5 × 10^n, at least `minStep`) at or above `max`, with about four ticks. */
export function niceScale(max: number, minStep = 1): { max: number; step: number } {
  if (!(max > 0)) return { max: minStep, step: minStep };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(minStep, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  return { max: Math.ceil(max / step) * step, step };
}

const minutes = (ms: number) => (ms / 60_000 >= 120 ? `${(ms / 3_600_000).toFixed(ms % 3_600_000 === 0 ? 0 : 1)}h` : `${Math.round(ms / 60_000)}m`);

/** `points` x/y of a step chart: each value holds until the next point. */
function stepPath(points: readonly SimulationPoint[], key: keyof SimulationPoint, x: (t: number) => number, y: (v: number) => number): string {
  const parts: string[] = [];
  points.forEach((p, i) => {
    const px = x(p.timeMs).toFixed(1);
    const py = y(p[key]).toFixed(1);
    if (i === 0) parts.push(`M${px},${py}`);
    else parts.push(`H${px}`, `V${py}`);
  });
  return parts.join(" ");
}

function panel(
  title: string,
  series: readonly ChartSeries[],
  points: readonly SimulationPoint[],
  top: number,
  x: (t: number) => number,
  endMs: number,
): string {
  const scale = niceScale(Math.max(0, ...points.flatMap((p) => series.map((s) => p[s.key]))));
  const y = (v: number) => top + PANEL_HEIGHT - (v / scale.max) * PANEL_HEIGHT;
  const out = [`<g class="panel" data-panel="${escapeXml(title)}">`, `<text class="title" x="${LEFT}" y="${top - 8}">${escapeXml(title)}</text>`];
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    out.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`);
    out.push(`<text class="tick" x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toFixed(6))}</text>`);
  }
  const tickMs = niceScale(endMs / 60_000).step * 60_000;
  for (let t = 0; t <= endMs && tickMs > 0; t += tickMs) {
    out.push(`<text class="tick" x="${x(t).toFixed(1)}" y="${top + PANEL_HEIGHT + 16}" text-anchor="middle">${minutes(t)}</text>`);
  }
  for (const s of series) {
    out.push(`<path class="series ${s.className}" data-series="${s.key}" d="${stepPath(points, s.key, x, y)}"><title>${escapeXml(s.label)}</title></path>`);
  }
  out.push(legend(series, top - 12), "</g>");
  return out.join("");
}

function legend(series: readonly ChartSeries[], y: number): string {
  return series
    .map((s, i) => {
      const x = LEFT + 80 + i * 190;
      return `<g class="legend"><line class="series ${s.className}" x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}"/><text class="tick" x="${x + 30}" y="${y + 4}">${escapeXml(s.label)}</text></g>`;
    })
    .join("");
}

/** The whole chart as one `<svg>` element (no scripts, no styles: the page's stylesheet colours the classes). */
export function simulationSvg(result: SimulationResult): string {
  const points = result.points;
  const endMs = Math.max(1, points.at(-1)?.timeMs ?? 1);
  const x = (t: number) => LEFT + (t / endMs) * (WIDTH - LEFT - RIGHT);
  const secondTop = TOP + PANEL_HEIGHT + GAP;
  const height = secondTop + PANEL_HEIGHT + 28;
  return [
    `<svg class="simulation-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Autoscale simulation: nodes and tasks over time">`,
    panel("Nodes", NODE_SERIES, points, TOP, x, endMs),
    panel("Tasks", TASK_SERIES, points, secondTop, x, endMs),
    "</svg>",
  ].join("");
}
