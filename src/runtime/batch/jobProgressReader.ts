// Why: gathers what the job-level progress figure needs from Batch — the job's tasks and its running tasks' progress files — for the guard's reports and `run --wait`.
import type { BatchServiceClient } from "@azure/batch";
import { JOB_MANAGER_TASK_ID, RESERVED_TASK_IDS } from "../contract/roles";
import { computeJobProgress, type JobProgress, type TaskProgressState } from "../progress/jobProgress";
import { listAllTasks, mapLimited } from "./listTasks";
import { readTaskProgress } from "./taskFiles";

/** Reads the job's tasks (one paged list) and the progress files of its running workload tasks (8 at a time), then computes the figure. */
export async function readJobProgress(client: BatchServiceClient, jobId: string, jobCreatedAt: Date | undefined, now = () => new Date()): Promise<JobProgress> {
  const tasks = await listAllTasks(client, jobId, { select: "id,displayName,state,executionInfo" });
  const manager = tasks.find((task) => task.id === JOB_MANAGER_TASK_ID);
  const workload = tasks.filter((task) => !RESERVED_TASK_IDS.includes(task.id!));
  const states = await mapLimited(workload, 8, async (task): Promise<TaskProgressState> => {
    const state: TaskProgressState = {
      id: task.id!,
      ...(task.displayName ? { displayName: task.displayName } : {}),
      state: task.state ?? "active",
      ...(task.executionInfo?.result ? { result: task.executionInfo.result } : {}),
    };
    if (task.state !== "running") return state;
    // a task that has not reported yet (or whose node is gone) counts as 0% of itself
    const report = await readTaskProgress(client, jobId, task.id!).catch(() => undefined);
    return report ? { ...state, percent: report.percent, message: report.message } : state;
  });
  return computeJobProgress(states, manager !== undefined && manager.state !== "completed", jobCreatedAt, now());
}
