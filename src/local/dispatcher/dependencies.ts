// Why: decides whether a task's dependsOn (task ids and inclusive numeric id ranges) lets it run yet.
import type { TaskRecord } from "../store/model";

export interface TaskDependencies {
  taskIds?: string[];
  taskIdRanges?: { start: number; end: number }[];
}

/** satisfied: every parent completed with dependencyAction satisfy; blocked: a parent completed with block. */
export type DependencyState = "satisfied" | "waiting" | "blocked";

/** Ranges up to this size are looked up id by id; larger ones are checked by scanning the job's tasks. */
const DIRECT_RANGE_LIMIT = 2000;

function parentState(parent: TaskRecord | undefined): DependencyState {
  if (parent?.wire.state !== "completed") return "waiting";
  return parent.local.dependencyAction === "block" ? "blocked" : "satisfied";
}

function combine(states: Iterable<DependencyState>): DependencyState {
  let result: DependencyState = "satisfied";
  for (const state of states) {
    if (state === "blocked") return "blocked";
    if (state === "waiting") result = "waiting";
  }
  return result;
}

function* rangeStates(
  range: { start: number; end: number },
  lookup: (taskId: string) => TaskRecord | undefined,
  allTasks: () => Iterable<TaskRecord>,
): Iterable<DependencyState> {
  const size = range.end - range.start + 1;
  if (size <= 0) return;
  if (size <= DIRECT_RANGE_LIMIT) {
    for (let id = range.start; id <= range.end; id++) yield parentState(lookup(String(id)));
    return;
  }
  // a huge range: every id in it must exist, so count the tasks that fall in it
  let found = 0;
  for (const task of allTasks()) {
    if (!/^-?\d+$/.test(task.wire.id) || String(Number(task.wire.id)) !== task.wire.id) continue;
    const id = Number(task.wire.id);
    if (id < range.start || id > range.end) continue;
    found++;
    yield parentState(task);
  }
  if (found < size) yield "waiting";
}

/**
 * False when the dependencies cannot be satisfied yet because the job has fewer completed tasks than they name
 * (every parent must be completed): an O(1) answer that spares a scan of the job's tasks for a big id range.
 */
export function maySatisfy(dependsOn: TaskDependencies | undefined, completedTasks: number): boolean {
  if (!dependsOn) return true;
  // distinct parents (ids are case-insensitive): a repeated id needs one completed task, not two
  const ids = dependsOn.taskIds ?? [];
  if (ids.length > completedTasks && new Set(ids.map((id) => id.toLowerCase())).size > completedTasks) return false;
  return (dependsOn.taskIdRanges ?? []).every((range) => range.end - range.start + 1 <= completedTasks);
}

/** The dependency state of a task; parents that do not exist (yet) keep it waiting. */
export function dependencyState(
  dependsOn: TaskDependencies | undefined,
  lookup: (taskId: string) => TaskRecord | undefined,
  allTasks: () => Iterable<TaskRecord>,
): DependencyState {
  if (!dependsOn) return "satisfied";
  const states: DependencyState[] = [];
  for (const id of dependsOn.taskIds ?? []) states.push(parentState(lookup(id)));
  for (const range of dependsOn.taskIdRanges ?? []) states.push(combine(rangeStates(range, lookup, allTasks)));
  return combine(states);
}
