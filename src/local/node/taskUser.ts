// Why: the identity a task runs under: the user name it reports (AZ_BATCH_TASK_USER, AZ_BATCH_TASK_USER_IDENTITY, USER), its elevation, and the pool user account it names.
import type { TaskFailureInfo, TaskKind } from "./nodeAgent";

export interface TaskUser {
  name: string;
  identity: string;
}

interface UserIdentityWire {
  username?: string;
  autoUser?: { scope?: string; elevationLevel?: string };
}

/** A pool's userAccounts entry (UserAccount) as the node needs it; the password is never kept. */
export interface PoolUserAccount {
  name: string;
  elevationLevel?: string;
  linuxUserConfiguration?: { uid?: number; gid?: number };
}

/** Who a task runs as: the names it reports, whether it is elevated, and the pool account it names (if any). */
export interface TaskIdentity {
  user: TaskUser;
  admin: boolean;
  account?: PoolUserAccount;
}

const isAdmin = (elevationLevel: unknown): boolean => typeof elevationLevel === "string" && elevationLevel.toLowerCase() === "admin";

/**
 * Observed on Linux nodes: `_azbatch`/`PoolNonAdmin` for a task with no userIdentity, `_azbatchtask_start`/`TaskNonAdmin`
 * for a start task with none. The admin and task-scoped names follow the same pattern ([unverified] emulator choice):
 * PoolAdmin → `_azbatchsudo`, task scope → `_azbatchtask_<task id or "start">`. A named user reports its own name as both.
 */
export function taskUser(kind: TaskKind, userIdentity: unknown, taskId: string | undefined): TaskUser {
  const wire = (userIdentity ?? {}) as UserIdentityWire;
  if (typeof wire.username === "string" && wire.username !== "") return { name: wire.username, identity: wire.username };
  const defaultScope = kind === "startTask" ? "task" : "pool";
  const scope = (wire.autoUser?.scope ?? defaultScope).toLowerCase() === "task" ? "Task" : "Pool";
  const admin = isAdmin(wire.autoUser?.elevationLevel);
  const identity = `${scope}${admin ? "Admin" : "NonAdmin"}`;
  if (scope === "Task") return { name: `_azbatchtask_${kind === "startTask" ? "start" : (taskId ?? "task")}`, identity };
  return { name: admin ? "_azbatchsudo" : "_azbatch", identity };
}

/** The pool's user accounts (CloudPool.userAccounts). */
export function poolUserAccounts(pool: Record<string, unknown>): PoolUserAccount[] {
  const accounts = pool.userAccounts;
  return Array.isArray(accounts) ? accounts.filter((account): account is PoolUserAccount => typeof account?.name === "string") : [];
}

/**
 * What the service reports for a task whose userIdentity.username names no user account of the pool: the task
 * completes with this scheduling error (seen from Azure Batch: "TaskSchedulingConstraintFailed, Reason: The user used
 * to run the task is not found", microsoft/AutonomousDrivingCookbook#101; message from the service's error code table).
 */
export function userNotFound(username: string): TaskFailureInfo {
  return {
    category: "usererror",
    code: "TaskSchedulingConstraintFailed",
    message: "Task cannot be scheduled on the pool associated with the job",
    details: [
      { name: "Reason", value: "The user used to run the task is not found" },
      { name: "UserName", value: username },
      { name: "Message", value: `Add a user account named ${username} to the pool's userAccounts, or run the task as an autoUser.` },
    ],
  };
}

/** The identity of a task on a node of `pool`: an auto-user (admin per its elevationLevel) or a user account of the pool. */
export function resolveTaskIdentity(
  kind: TaskKind,
  userIdentity: unknown,
  pool: Record<string, unknown>,
  taskId: string | undefined,
): TaskIdentity | { failureInfo: TaskFailureInfo } {
  const user = taskUser(kind, userIdentity, taskId);
  const username = (userIdentity as UserIdentityWire | undefined)?.username;
  if (typeof username !== "string" || username === "") {
    return { user, admin: isAdmin((userIdentity as UserIdentityWire | undefined)?.autoUser?.elevationLevel) };
  }
  const account = poolUserAccounts(pool).find((candidate) => candidate.name === username);
  if (!account) return { failureInfo: userNotFound(username) };
  return { user, admin: isAdmin(account.elevationLevel), account };
}
