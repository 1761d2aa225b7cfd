// Why: the pool view's heat map, vscode-free: every node of a pool (all pages) as a cell coloured by state with its running-task count, drawn as inline SVG.

import type { AbortSignalish } from "../common/batchClientLike";
import { escapeXml } from "../autoscale/simulationChart";
import type { ViewClient, ViewNodeLike } from "./viewClient";

export const HEAT_MAP_SELECT = "id,state,runningTasksCount,runningTaskSlotsCount";

export interface HeatMapCell {
  readonly id: string;
  readonly state: string;
  readonly runningTasks: number;
}

/** Legend order: the states Batch Explorer's heat map shows, then anything else the service reports. */
export const NODE_STATES = [
  "idle",
  "running",
  "starting",
  "waitingforstarttask",
  "creating",
  "rebooting",
  "reimaging",
  "leavingpool",
  "preempted",
  "offline",
  "starttaskfailed",
  "unusable",
  "unknown",
] as const;

export function heatMapCell(node: ViewNodeLike): HeatMapCell {
  return { id: node.id ?? "?", state: node.state ?? "unknown", runningTasks: node.runningTasksCount ?? 0 };
}

/** Every node of the pool, page after page (pools have at most a few thousand nodes), in the service's order. */
export async function listPoolNodes(client: ViewClient, poolId: string, abortSignal?: AbortSignalish): Promise<HeatMapCell[]> {
  let page = await client.computeNode.list(poolId, { computeNodeListOptions: { select: HEAT_MAP_SELECT, maxResults: 1000 }, abortSignal });
  const cells = page.map(heatMapCell);
  while (page.odatanextLink) {
    page = await client.computeNode.listNext(page.odatanextLink, { abortSignal });
    cells.push(...page.map(heatMapCell));
  }
  return cells;
}

/** How many nodes are in each state, in legend order (states with none left out). */
export function stateCounts(cells: readonly HeatMapCell[]): { state: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const cell of cells) counts.set(cell.state, (counts.get(cell.state) ?? 0) + 1);
  const known = NODE_STATES.filter((s) => counts.has(s)).map((state) => ({ state, count: counts.get(state)! }));
  const other = [...counts.keys()].filter((s) => !(NODE_STATES as readonly string[]).includes(s)).sort();
  return [...known, ...other.map((state) => ({ state, count: counts.get(state)! }))];
}

const cssState = (state: string) => state.replace(/[^a-z0-9-]/gi, "");

const CELL = 44;
const GAP = 4;
const LEGEND = 28;

/** Columns of the grid: one row for a few nodes, else a block about twice as wide as high, at most 25 wide. */
export function heatMapColumns(count: number): number {
  return Math.max(1, Math.min(25, Math.max(Math.min(count, 8), Math.ceil(Math.sqrt(count * 2)))));
}

/** The heat map as one `<svg>`: a legend line, then a cell per node (state class, running-task count, the node id as tooltip). */
export function heatMapSvg(cells: readonly HeatMapCell[]): string {
  const columns = heatMapColumns(cells.length);
  const rows = Math.max(1, Math.ceil(cells.length / columns));
  const width = Math.max(columns * (CELL + GAP), 420);
  const height = LEGEND + rows * (CELL + GAP);
  const out = [
    `<svg class="heat-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Nodes by state">`,
  ];
  let lx = 0;
  for (const { state, count } of stateCounts(cells)) {
    const text = `${state} ${count}`;
    out.push(
      `<g class="legend"><rect class="cell node-${cssState(state)}" x="${lx}" y="4" width="14" height="14"/><text class="tick" x="${lx + 18}" y="16">${escapeXml(text)}</text></g>`,
    );
    lx += 30 + text.length * 7;
  }
  cells.forEach((cell, i) => {
    const x = (i % columns) * (CELL + GAP);
    const y = LEGEND + Math.floor(i / columns) * (CELL + GAP);
    out.push(
      `<g class="node" data-node="${escapeXml(cell.id)}" data-state="${escapeXml(cell.state)}" data-running="${cell.runningTasks}"><title>${escapeXml(`${cell.id}: ${cell.state}, ${cell.runningTasks} running task${cell.runningTasks === 1 ? "" : "s"}`)}</title>`,
      `<rect class="cell node-${cssState(cell.state)}" x="${x}" y="${y}" width="${CELL}" height="${CELL}" rx="3"/>`,
      cell.runningTasks ? `<text class="count" x="${x + CELL / 2}" y="${y + CELL / 2 + 5}" text-anchor="middle">${cell.runningTasks}</text>` : "",
      "</g>",
    );
  });
  if (cells.length === 0) out.push(`<text class="tick" x="0" y="${LEGEND + 16}">This pool has no nodes.</text>`);
  out.push("</svg>");
  return out.join("");
}
