// Why: the generated .vscode/launch.json: a `batch-task` configuration per task (F5 runs it locally with its arguments) and one for the whole job.

import type { TemplateTaskLaunch } from "./templates";

/** The debug type of the F5 issue (the extension's ids.ts DEBUG_TYPE); core does not depend on the extension. */
export const BATCH_TASK_DEBUG_TYPE = "batch-task";

export interface BatchTaskLaunchConfiguration {
  readonly type: typeof BATCH_TASK_DEBUG_TYPE;
  readonly request: "launch";
  readonly name: string;
  readonly workload: string;
  readonly entryPoint?: string;
  readonly args?: Record<string, unknown>;
  readonly jobManager?: true;
  /** the job's arguments (what `run --args` passes) */
  readonly jobArgs?: Record<string, unknown>;
  readonly debugTasks?: "all";
}

export function taskLaunchConfiguration(task: TemplateTaskLaunch): BatchTaskLaunchConfiguration {
  return {
    type: BATCH_TASK_DEBUG_TYPE,
    request: "launch",
    name: `Debug ${task.entryPoint}`,
    workload: "${workspaceFolder}",
    entryPoint: task.entryPoint,
    args: task.args,
  };
}

export function jobLaunchConfiguration(jobArgs: Record<string, unknown>): BatchTaskLaunchConfiguration {
  return { type: BATCH_TASK_DEBUG_TYPE, request: "launch", name: "Debug job", workload: "${workspaceFolder}", jobManager: true, jobArgs, debugTasks: "all" };
}

export function launchJson(tasks: readonly TemplateTaskLaunch[], jobArgs: Record<string, unknown>): string {
  const configurations = [...tasks.map(taskLaunchConfiguration), jobLaunchConfiguration(jobArgs)];
  return `${JSON.stringify({ version: "0.2.0", configurations }, null, 2)}\n`;
}
