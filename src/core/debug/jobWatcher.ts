// Why: follows every task of a debug job (job manager, the tasks it adds, the FinalizeTask) until the job completes, one watcher per task.
import type { BatchServiceClient } from "@azure/batch";
import { setTimeout as delay } from "node:timers/promises";
import { watchTask, type TaskOutcome } from "./taskWatcher";

export interface JobWatchListener {
  phase(text: string): void;
  output(category: "stdout" | "stderr", text: string): void;
  inspector(taskId: string, websocketAddress: string): void;
}

export interface JobOutcome {
  /** 0 when every task succeeded; else the exit code of the first failed task (the job manager first) */
  readonly exitCode: number;
  readonly tasks: ReadonlyMap<string, TaskOutcome>;
}

export async function watchJob(options: {
  client: BatchServiceClient;
  dataDir: string;
  jobId: string;
  listener: JobWatchListener;
  pollMs?: number;
}): Promise<JobOutcome> {
  const { client, jobId, listener } = options;
  const watchers = new Map<string, Promise<TaskOutcome>>();
  const outcomes = new Map<string, TaskOutcome>();
  for (;;) {
    // the job first: when it was already completed, the list below holds every task it will ever have
    const job = await client.job.get(jobId);
    for (const task of await client.task.list(jobId)) {
      const taskId = task.id!;
      if (watchers.has(taskId)) continue;
      listener.phase(`Task ${taskId} (${task.displayName ?? "no display name"}) added to job ${jobId}`);
      const watcher = watchTask({
        client,
        dataDir: options.dataDir,
        jobId,
        taskId,
        label: taskId,
        listener: { phase: listener.phase, output: listener.output, inspector: (address) => listener.inspector(taskId, address) },
      });
      watchers.set(
        taskId,
        watcher.then((outcome) => {
          outcomes.set(taskId, outcome);
          return outcome;
        }),
      );
    }
    if (job.state === "completed" && outcomes.size === watchers.size) break;
    await delay(options.pollMs ?? 250);
  }
  await Promise.all(watchers.values());
  const failed = [...outcomes.entries()].filter(([, o]) => o.result !== "success").sort(([a], [b]) => (a === "job-manager" ? -1 : b === "job-manager" ? 1 : 0));
  listener.phase(
    `Job ${jobId} completed: ${outcomes.size - failed.length} of ${outcomes.size} task(s) succeeded${failed.length ? `; failed: ${failed.map(([id]) => id).join(", ")}` : ""}`,
  );
  return { exitCode: failed.length ? failed[0][1].exitCode || 1 : 0, tasks: outcomes };
}
