// Why: turns what a person types as a workload or task name into the identifiers and Batch ids a generated project uses, or says what is allowed.

/** The names a generated workload uses, all derived from one kebab-case workload name. */
export interface WorkloadNames {
  /** kebab-case: npm package name, Batch application id, default pool id prefix */
  readonly workloadName: string;
  /** PascalCase base of the class names (`HelloWorld` → `HelloWorldWorkload`, `HelloWorldJobManager`) */
  readonly className: string;
}

const WORKLOAD_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Batch application ids are at most 64 characters; leave room for suffixes such as `-pool`. */
const MAX_WORKLOAD_NAME = 50;

export const WORKLOAD_NAME_RULE =
  "a workload name starts with a letter and has only lower-case letters, digits and single hyphens (e.g. 'image-resize'), at most 50 characters";

/** `My Workload`, `myWorkload`, `my_workload` → `my-workload`; anything else is kept so validation can name it. */
export function normalizeWorkloadName(raw: string): string {
  return raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[\s_]+/g, "-")
    .toLowerCase();
}

/** undefined when valid, else what is wrong and what is allowed (for input boxes and CLI errors). */
export function workloadNameProblem(raw: string): string | undefined {
  const name = normalizeWorkloadName(raw);
  if (!name) return `the workload name is empty: ${WORKLOAD_NAME_RULE}`;
  if (name.length > MAX_WORKLOAD_NAME) return `'${raw}' is ${name.length} characters long: ${WORKLOAD_NAME_RULE}`;
  if (!WORKLOAD_NAME.test(name)) return `'${raw}' is not a valid workload name: ${WORKLOAD_NAME_RULE}`;
  return undefined;
}

export function workloadNames(raw: string): WorkloadNames {
  const problem = workloadNameProblem(raw);
  if (problem) throw new Error(problem);
  const workloadName = normalizeWorkloadName(raw);
  return { workloadName, className: workloadName.split("-").map(capitalize).join("") };
}

const TASK_NAME = /^[A-Z][A-Za-z0-9]{0,59}$/;
export const TASK_NAME_RULE = "a task name is a PascalCase identifier: a capital letter, then letters and digits (e.g. 'ResizeImage'), at most 60 characters";
/** Names the runtime or a generated workload already uses for something else. */
const RESERVED_TASK_NAMES = new Set(["Workload", "JobManager", "Application", "FinalizeTask", "WorkloadTask", "Task"]);

/** The names of a task added by `add-task`: `ResizeImage` → class `ResizeImageTask`, builder `ResizeImageTaskBuilder`, file `resizeImageTask.ts`. */
export interface TaskNames {
  readonly taskClass: string;
  readonly builderClass: string;
  readonly argsInterface: string;
  /** file name without extension, under src/tasks/ */
  readonly fileName: string;
}

export function taskNameProblem(raw: string): string | undefined {
  const name = raw.trim();
  if (!TASK_NAME.test(name)) return `'${raw}' is not a valid task name: ${TASK_NAME_RULE}`;
  if (RESERVED_TASK_NAMES.has(name)) return `'${name}' is reserved: choose another task name (${TASK_NAME_RULE})`;
  return undefined;
}

export function taskNames(raw: string): TaskNames {
  const problem = taskNameProblem(raw);
  if (problem) throw new Error(problem);
  const name = raw.trim();
  const taskClass = name.endsWith("Task") ? name : `${name}Task`;
  return { taskClass, builderClass: `${taskClass}Builder`, argsInterface: `${taskClass.slice(0, -"Task".length)}Args`, fileName: uncapitalize(taskClass) };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function uncapitalize(word: string): string {
  return word.charAt(0).toLowerCase() + word.slice(1);
}
