// Why: what a dependent task learns about its parents when it starts (their results, for `context.parents`), and the rule that by default it runs only if every parent succeeded.
import type { BatchServiceClient } from "@azure/batch";
import { listAllTasks } from "../batch/listTasks";
import { dependencyIds } from "../submission/taskDependencies";
import type { ParentTaskResult } from "../workload/workloadTask";

export class UpstreamTaskFailedError extends Error {
  constructor(readonly failedParents: string[]) {
    super(
      `Not running: task(s) this task depends on failed: ${failedParents.slice(0, 20).join(", ")}${failedParents.length > 20 ? ", …" : ""} (add the task with { after: "completion" } to run it anyway)`,
    );
    this.name = "UpstreamTaskFailedError";
  }
}

/** The parents of the task (its dependsOn) with their outcome; [] when it has none. */
export async function readParents(client: BatchServiceClient, jobId: string, taskId: string): Promise<ParentTaskResult[]> {
  const task = await client.task.get(jobId, taskId, { taskGetOptions: { select: "id,dependsOn" } });
  const parents = new Set(dependencyIds(task.dependsOn));
  if (parents.size === 0) return [];
  const tasks = await listAllTasks(client, jobId, { select: "id,displayName,state,executionInfo" });
  return tasks
    .filter((candidate) => parents.has(candidate.id!))
    .map((parent) => {
      const info = parent.executionInfo;
      return {
        id: parent.id!,
        ...(parent.displayName ? { displayName: parent.displayName } : {}),
        state: parent.state ?? "unknown",
        ...(info?.result ? { result: info.result } : {}),
        ...(info?.exitCode !== undefined ? { exitCode: info.exitCode } : {}),
        ...(info?.failureInfo ? { failureInfo: { code: info.failureInfo.code, message: info.failureInfo.message } } : {}),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
}

/** Throws UpstreamTaskFailedError naming the parents whose result is failure. */
export function checkParentsSucceeded(parents: readonly ParentTaskResult[]): void {
  const failed = parents.filter((parent) => parent.result === "failure").map((parent) => parent.id);
  if (failed.length > 0) throw new UpstreamTaskFailedError(failed);
}
