// Why: writes a list of parent task ids as Batch dependsOn, folding runs of numeric ids into taskIdRanges so 10,000 parents stay small.
import type { BatchServiceModels } from "@azure/batch";

/** Batch refuses dependsOn.taskIds longer than this many characters in total (TaskDependencyListTooLong). */
export const MAX_TASK_IDS_CHARACTERS = 64_000;

const isCanonicalNumber = (id: string): boolean => /^(0|[1-9]\d{0,9})$/.test(id);

export function toTaskDependencies(parentIds: readonly string[]): BatchServiceModels.TaskDependencies | undefined {
  if (parentIds.length === 0) return undefined;
  const numbers = [...new Set(parentIds.filter(isCanonicalNumber).map(Number))].sort((a, b) => a - b);
  const taskIds = [...new Set(parentIds.filter((id) => !isCanonicalNumber(id)))];
  const taskIdRanges: BatchServiceModels.TaskIdRange[] = [];
  for (const value of numbers) {
    const last = taskIdRanges[taskIdRanges.length - 1];
    if (last && last.end + 1 === value) last.end = value;
    else taskIdRanges.push({ start: value, end: value });
  }
  // single numbers read better as ids; ranges only pay off from three on
  const ranges = taskIdRanges.filter((range) => range.end - range.start >= 2);
  for (const range of taskIdRanges.filter((r) => r.end - r.start < 2)) for (let n = range.start; n <= range.end; n++) taskIds.push(String(n));
  const length = taskIds.reduce((sum, id) => sum + id.length, 0);
  if (length > MAX_TASK_IDS_CHARACTERS) {
    throw new Error(
      `A task depends on ${taskIds.length} non-numeric task ids (${length} characters; Batch allows ${MAX_TASK_IDS_CHARACTERS}); let the runtime number the tasks so they fold into ranges`,
    );
  }
  return { ...(taskIds.length > 0 ? { taskIds } : {}), ...(ranges.length > 0 ? { taskIdRanges: ranges } : {}) };
}

/** Every id a dependsOn covers (ranges expanded). */
export function dependencyIds(dependsOn: BatchServiceModels.TaskDependencies | undefined): string[] {
  const ids = [...(dependsOn?.taskIds ?? [])];
  for (const range of dependsOn?.taskIdRanges ?? []) for (let n = range.start; n <= range.end; n++) ids.push(String(n));
  return ids;
}
