// Why: issue 4's benchmark, run inside the real extension host: a job with 100,000 tasks, time to its first page of tasks and the host's added memory.
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../src/extension/extension";
import { EXTENSION_ID } from "../../src/extension/common/ids";
import { addLargeJob, childNamed } from "./largeJob";

const TASKS = Number(process.env.BENCH_EXPLORER_TASKS ?? 100_000);
const JOB_ID = "explorer-bench";

const mib = (bytes: number) => bytes / (1024 * 1024);

export async function run(): Promise<void> {
  const api = (await vscode.extensions.getExtension<BatchManagerApi>(EXTENSION_ID)!.activate()) as BatchManagerApi;
  await vscode.commands.executeCommand("batchManager.local.start");
  const connection = api.localService.connection!;
  const client = new BatchServiceClient(new BatchSharedKeyCredentials(connection.accountName, connection.accountKey), connection.batchUrl);
  const added = Date.now();
  await addLargeJob(client, "bench-empty", JOB_ID, TASKS);
  console.log(`added ${TASKS} tasks in ${((Date.now() - added) / 1000).toFixed(1)} s`);

  const jobs = await childNamed(api, await childNamed(api, await childNamed(api, undefined, "Accounts"), "Local"), "Jobs");
  const job = await childNamed(api, jobs, JOB_ID);
  const before = process.memoryUsage();
  const started = performance.now();
  // what the view does when the job is expanded: the provider's children, then a TreeItem for each
  const page = await api.treeProvider.getChildren(job);
  for (const node of page) api.treeProvider.getTreeItem(node);
  const firstPageMs = performance.now() - started;
  const after = process.memoryUsage();
  console.log(`first page: ${page.length} items (of ${TASKS} tasks) in ${firstPageMs.toFixed(1)} ms`);
  console.log(
    `extension host RSS ${mib(before.rss).toFixed(1)} → ${mib(after.rss).toFixed(1)} MiB, JS heap ${mib(before.heapUsed).toFixed(1)} → ${mib(after.heapUsed).toFixed(1)} MiB`,
  );
  console.log(`explorer_memory_added_mib_${TASKS}_tasks: ${mib(Math.max(after.rss - before.rss, after.heapUsed - before.heapUsed)).toFixed(1)}`);
  console.log(`explorer_first_page_ms_${TASKS}_tasks: ${firstPageMs.toFixed(1)}`);
  await vscode.commands.executeCommand("batchManager.local.stop");
}
