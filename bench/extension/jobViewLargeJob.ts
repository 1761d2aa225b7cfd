// Why: issue 13's benchmark, run inside the real extension host: Open Job View on a job with 100,000 tasks, time until the webview has drawn its first rows (and its chart's first sample).
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import * as vscode from "vscode";
import { CommandId, EXTENSION_ID } from "../../src/extension/common/ids";
import type { BatchManagerApi } from "../../src/extension/extension";
import type { JobView } from "../../src/extension/host/jobViewPanel";
import { addLargeJob, childNamed } from "./largeJob";

const TASKS = Number(process.env.BENCH_JOB_VIEW_TASKS ?? 100_000);
const JOB_ID = "job-view-bench";

export async function run(): Promise<void> {
  const api = (await vscode.extensions.getExtension<BatchManagerApi>(EXTENSION_ID)!.activate()) as BatchManagerApi;
  await vscode.commands.executeCommand(CommandId.localStart);
  const connection = api.localService.connection!;
  const client = new BatchServiceClient(new BatchSharedKeyCredentials(connection.accountName, connection.accountKey), connection.batchUrl);
  const added = Date.now();
  await addLargeJob(client, "job-view-empty", JOB_ID, TASKS);
  console.log(`added ${TASKS} tasks in ${((Date.now() - added) / 1000).toFixed(1)} s`);
  const job = await childNamed(api, await childNamed(api, await childNamed(api, await childNamed(api, undefined, "Accounts"), "Local"), "Jobs"), JOB_ID);

  const started = performance.now();
  const view = (await vscode.commands.executeCommand<JobView>(CommandId.openJobView, job))!;
  const rows = await view.waitFor((m) => m.type === "rendered" && m.what === "rows", 120_000);
  const firstRowsMs = performance.now() - started;
  await view.waitFor((m) => m.type === "rendered" && m.what === "chart", 120_000);
  const chartMs = performance.now() - started;
  if (rows.type !== "rendered" || rows.what !== "rows") throw new Error("no rows");
  console.log(
    `first rows: ${rows.loaded} loaded (of ${TASKS}), ${rows.domRows} in the DOM, drawn ${firstRowsMs.toFixed(0)} ms after the command; first chart sample ${chartMs.toFixed(0)} ms`,
  );
  const scrolled = performance.now();
  const from = view.posted.length;
  await view.receive({ type: "more", queryId: rows.queryId });
  await view.waitFor((m) => m.type === "rendered" && m.what === "rows" && m.loaded > rows.loaded, 120_000, 0);
  console.log(`next page appended and drawn in ${(performance.now() - scrolled).toFixed(0)} ms (${view.posted.length - from} message)`);
  view.panel.dispose();
  await vscode.commands.executeCommand(CommandId.localStop);
  console.log(`job_view_first_rows_ms_${TASKS}_tasks: ${firstRowsMs.toFixed(0)}`);
}
