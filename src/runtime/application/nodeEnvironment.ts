// Why: what the Batch node tells a task about itself (AZ_BATCH_* variables), with working-directory fallbacks when run on a developer machine.
import type { TaskDirectories } from "../workload/workloadTask";

export interface NodeEnvironment {
  jobId?: string;
  taskId?: string;
  onNode: boolean;
  directories: TaskDirectories;
}

export function readNodeEnvironment(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): NodeEnvironment {
  const working = env.AZ_BATCH_TASK_WORKING_DIR || cwd;
  return {
    jobId: env.AZ_BATCH_JOB_ID || undefined,
    taskId: env.AZ_BATCH_TASK_ID || undefined,
    onNode: env.AZ_BATCH_NODE_ID !== undefined,
    directories: { working, task: env.AZ_BATCH_TASK_DIR || working, shared: env.AZ_BATCH_NODE_SHARED_DIR || working },
  };
}
