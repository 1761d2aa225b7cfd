// Why: the user name and identity a task reports (AZ_BATCH_TASK_USER, AZ_BATCH_TASK_USER_IDENTITY, USER) for its userIdentity.
import type { TaskKind } from "./nodeAgent";

export interface TaskUser {
  name: string;
  identity: string;
}

interface UserIdentityWire {
  username?: string;
  autoUser?: { scope?: string; elevationLevel?: string };
}

/**
 * Observed on Linux nodes: `_azbatch`/`PoolNonAdmin` for a task with no userIdentity, `_azbatchtask_start`/`TaskNonAdmin`
 * for a start task with none. The admin and task-scoped names follow the same pattern ([unverified] emulator choice):
 * PoolAdmin → `_azbatchsudo`, task scope → `_azbatchtask_<task id or "start">`. A named user reports its own name as both.
 * Processes still run as the service's own OS user: these are names, not accounts.
 */
export function taskUser(kind: TaskKind, userIdentity: unknown, taskId: string | undefined): TaskUser {
  const wire = (userIdentity ?? {}) as UserIdentityWire;
  if (typeof wire.username === "string" && wire.username !== "") return { name: wire.username, identity: wire.username };
  const defaultScope = kind === "startTask" ? "task" : "pool";
  const scope = (wire.autoUser?.scope ?? defaultScope).toLowerCase() === "task" ? "Task" : "Pool";
  const admin = (wire.autoUser?.elevationLevel ?? "nonadmin").toLowerCase() === "admin";
  const identity = `${scope}${admin ? "Admin" : "NonAdmin"}`;
  if (scope === "Task") return { name: `_azbatchtask_${kind === "startTask" ? "start" : (taskId ?? "task")}`, identity };
  return { name: admin ? "_azbatchsudo" : "_azbatch", identity };
}
