// Why: lists every task of a job across result pages (the SDK returns one page per call).
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";

export async function listAllTasks(
  client: BatchServiceClient,
  jobId: string,
  options: BatchServiceModels.TaskListOptions = {},
): Promise<BatchServiceModels.CloudTask[]> {
  const tasks: BatchServiceModels.CloudTask[] = [];
  let page = await client.task.list(jobId, { taskListOptions: options });
  tasks.push(...page);
  while (page.odatanextLink) {
    page = await client.task.listNext(page.odatanextLink);
    tasks.push(...page);
  }
  return tasks;
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
