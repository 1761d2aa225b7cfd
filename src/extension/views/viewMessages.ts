// Why: the messages between the extension and the job and pool view pages (postMessage both ways), in one typed place.

import type { HeatMapCell } from "./poolHeatMap";
import type { ProgressSample } from "./jobProgress";
import type { StateFilter, TaskQuery, TaskRow } from "./taskTable";

/** extension → job page */
export type JobViewMessage =
  /** the title, and the query the table shows (a page loaded again after being hidden puts it back in its search box and state filter) */
  | { readonly type: "init"; readonly title: string; readonly jobId: string; readonly query: TaskQuery }
  | {
      readonly type: "rows";
      readonly queryId: number;
      readonly rows: TaskRow[];
      /** false: the first page of a (new) query, replacing the table; true: the next page, appended */
      readonly append: boolean;
      readonly more: boolean;
      readonly filter?: string;
    }
  | { readonly type: "progress"; readonly samples: number; readonly latest: ProgressSample; readonly svg: string }
  | { readonly type: "error"; readonly where: "rows" | "progress" | "open"; readonly message: string };

/** extension → pool page */
export type PoolViewMessage =
  | { readonly type: "init"; readonly title: string; readonly poolId: string }
  | { readonly type: "nodes"; readonly cells: HeatMapCell[]; readonly svg: string; readonly readAt: string }
  | { readonly type: "error"; readonly where: "nodes"; readonly message: string };

/** job page → extension */
export type JobPageMessage =
  | { readonly type: "ready" }
  | { readonly type: "query"; readonly state: StateFilter; readonly idPrefix: string }
  | { readonly type: "more"; readonly queryId: number }
  | { readonly type: "open"; readonly taskId: string }
  | {
      readonly type: "rendered";
      readonly what: "rows";
      readonly queryId: number;
      /** rows the page holds, and the ids of the rows in its DOM (the virtualised window), in display order */
      readonly loaded: number;
      readonly domIds: string[];
      readonly domRows: number;
    }
  | { readonly type: "rendered"; readonly what: "chart"; readonly samples: number; readonly series: string[] };

/** pool page → extension */
export type PoolPageMessage =
  | { readonly type: "ready" }
  | { readonly type: "rendered"; readonly what: "heatmap"; readonly nodes: { id: string; state: string; running: number }[] };
