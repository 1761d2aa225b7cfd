// Why: the four things a workload process can be, how each is named on the command line, and how the role is chosen.

export type Role = "submit" | "job-manager" | "task" | "finalize" | "finalize-guard";
export const ROLES: readonly Role[] = ["submit", "job-manager", "task", "finalize", "finalize-guard"];

/** Batch task ids the runtime reserves for its own tasks. */
export const JOB_MANAGER_TASK_ID = "job-manager";
export const FINALIZE_TASK_ID = "finalize";
/** The task submit adds beside the job manager: adds the FinalizeTask if the job manager ended without adding it. */
export const FINALIZE_GUARD_TASK_ID = "finalize-guard";
/** Task ids the runtime's own tasks use; a workload task may not take them, and the summary leaves the last two out. */
export const RESERVED_TASK_IDS: readonly string[] = [JOB_MANAGER_TASK_ID, FINALIZE_TASK_ID, FINALIZE_GUARD_TASK_ID];

/** Environment variables the runtime sets on the tasks it creates (besides the settings of BatchClientSettings.forNodes). */
export const RuntimeVariables = {
  role: "BATCH_WORKLOAD_ROLE",
  jobArgs: "BATCH_JOB_ARGS",
  entryPoint: "BATCH_TASK_ENTRY_POINT",
  taskArgs: "BATCH_TASK_ARGS",
  workloadName: "BATCH_WORKLOAD_NAME",
  /** "completion": the task runs once its parents completed whatever their outcome (else only if all succeeded) */
  runAfter: "BATCH_TASK_RUN_AFTER",
} as const;

/**
 * The role named by the first argument; without one: the role the runtime put in the task's environment, or `submit`
 * when not on a Batch node.
 */
export function resolveRole(argv: readonly string[], env: NodeJS.ProcessEnv): { role: Role; rest: string[] } {
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith("-")) {
    if (!(ROLES as readonly string[]).includes(first)) throw new UsageError(`unknown role "${first}" (expected one of ${ROLES.join(", ")})`);
    return { role: first as Role, rest };
  }
  const fromEnv = env[RuntimeVariables.role];
  if (fromEnv && (ROLES as readonly string[]).includes(fromEnv)) return { role: fromEnv as Role, rest: [...argv] };
  if (env.AZ_BATCH_TASK_ID !== undefined)
    throw new UsageError(`running as Batch task ${env.AZ_BATCH_TASK_ID} but no role was given (expected one of ${ROLES.join(", ")})`);
  return { role: "submit", rest: [...argv] };
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
