// Why: a dependent task runs only if every parent succeeded (parents satisfy dependents even on failure so the FinalizeTask always runs).
import type { BatchServiceClient } from "@azure/batch";
import { listAllTasks } from "../batch/listTasks";
import { dependencyIds } from "../submission/taskDependencies";

export class UpstreamTaskFailedError extends Error {
  constructor(readonly failedParents: string[]) {
    super(`Not running: task(s) this task depends on failed: ${failedParents.slice(0, 20).join(", ")}${failedParents.length > 20 ? ", …" : ""}`);
    this.name = "UpstreamTaskFailedError";
  }
}

export async function checkParentsSucceeded(client: BatchServiceClient, jobId: string, taskId: string): Promise<void> {
  const task = await client.task.get(jobId, taskId, { taskGetOptions: { select: "id,dependsOn" } });
  const parents = new Set(dependencyIds(task.dependsOn));
  if (parents.size === 0) return;
  const failed = await listAllTasks(client, jobId, { filter: "executionInfo/result eq 'failure'", select: "id" });
  const failedParents = failed.map((t) => t.id!).filter((id) => parents.has(id));
  if (failedParents.length > 0) throw new UpstreamTaskFailedError(failedParents);
}
