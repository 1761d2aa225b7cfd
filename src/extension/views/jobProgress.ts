// Why: the job view's progress chart, vscode-free: task-count samples taken while the view is open, drawn as inline SVG (theme classes, no colours).

import type { TaskCountsLike } from "../common/batchClientLike";
import { escapeXml, niceScale } from "../autoscale/simulationChart";

/** One `job.getTaskCounts` reading: completed tasks split into succeeded and failed. */
export interface ProgressSample {
  readonly timeMs: number;
  readonly active: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
}

export const PROGRESS_SERIES = [
  { key: "active", label: "active", className: "series-active" },
  { key: "running", label: "running", className: "series-running" },
  { key: "succeeded", label: "completed · succeeded", className: "series-succeeded" },
  { key: "failed", label: "completed · failed", className: "series-failed" },
] as const;
type SeriesKey = (typeof PROGRESS_SERIES)[number]["key"];

/** At most this many samples are kept (an hour at one every 5 s); older ones are dropped. */
export const MAX_SAMPLES = 720;

export function sampleOf(counts: TaskCountsLike, timeMs: number): ProgressSample {
  const c = counts.taskCounts;
  return { timeMs, active: c.active, running: c.running, succeeded: c.succeeded, failed: c.failed };
}

/** Appends a sample, keeping the newest MAX_SAMPLES. */
export function addSample(samples: ProgressSample[], sample: ProgressSample, max = MAX_SAMPLES): ProgressSample[] {
  samples.push(sample);
  if (samples.length > max) samples.splice(0, samples.length - max);
  return samples;
}

const WIDTH = 800;
const HEIGHT = 220;
const LEFT = 56;
const RIGHT = 16;
const TOP = 28;
const BOTTOM = 24;

const elapsed = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 1000)}s`);

/** The chart as one `<svg>`: a line per state over the time the view has been open. */
export function progressSvg(samples: readonly ProgressSample[]): string {
  const t0 = samples[0]?.timeMs ?? 0;
  const span = Math.max(1000, (samples.at(-1)?.timeMs ?? t0) - t0);
  const plotH = HEIGHT - TOP - BOTTOM;
  const scale = niceScale(Math.max(0, ...samples.flatMap((s) => PROGRESS_SERIES.map((series) => s[series.key]))));
  const x = (t: number) => LEFT + ((t - t0) / span) * (WIDTH - LEFT - RIGHT);
  const y = (v: number) => TOP + plotH - (v / scale.max) * plotH;
  const out = [
    `<svg class="progress-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Task states over time">`,
  ];
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    out.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`);
    out.push(`<text class="tick" x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toFixed(6))}</text>`);
  }
  const tickMs = niceScale(span / 1000).step * 1000;
  for (let t = 0; t <= span; t += tickMs) {
    out.push(`<text class="tick" x="${x(t0 + t).toFixed(1)}" y="${HEIGHT - 6}" text-anchor="middle">${elapsed(t)}</text>`);
  }
  for (const series of PROGRESS_SERIES) {
    const d = samples.map((s, i) => `${i === 0 ? "M" : "L"}${x(s.timeMs).toFixed(1)},${y(s[series.key as SeriesKey]).toFixed(1)}`).join(" ");
    const dots =
      samples.length === 1 ? `<circle class="dot ${series.className}" cx="${x(t0).toFixed(1)}" cy="${y(samples[0][series.key]).toFixed(1)}" r="3"/>` : "";
    out.push(`<path class="series ${series.className}" data-series="${series.key}" d="${d}"><title>${escapeXml(series.label)}</title></path>${dots}`);
  }
  PROGRESS_SERIES.forEach((series, i) => {
    const lx = LEFT + i * 180;
    out.push(
      `<g class="legend"><line class="series ${series.className}" x1="${lx}" x2="${lx + 24}" y1="12" y2="12"/><text class="tick" x="${lx + 30}" y="16">${escapeXml(series.label)}</text></g>`,
    );
  });
  out.push("</svg>");
  return out.join("");
}
