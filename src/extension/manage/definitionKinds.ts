// Why: the Batch definitions the extension creates and edits as JSON (pool, job, task, start task): their file name patterns and generated schemas in one place.

import jobSchema from "../../../schemas/job-add.schema.json";
import poolSchema from "../../../schemas/pool-add.schema.json";
import startTaskSchema from "../../../schemas/start-task.schema.json";
import taskSchema from "../../../schemas/task-add.schema.json";

export type DefinitionKind = "pool" | "job" | "task" | "startTask";

export interface DefinitionInfo {
  readonly kind: DefinitionKind;
  /** the REST definition the JSON is (schemas/*.schema.json generated from it) */
  readonly definition: string;
  /** what files of this kind end with; package.json's jsonValidation matches `*<suffix>` */
  readonly suffix: string;
  readonly schema: object;
}

export const DEFINITIONS: Readonly<Record<DefinitionKind, DefinitionInfo>> = {
  pool: { kind: "pool", definition: "PoolAddParameter", suffix: ".pool.json", schema: poolSchema },
  job: { kind: "job", definition: "JobAddParameter", suffix: ".job.json", schema: jobSchema },
  task: { kind: "task", definition: "TaskAddParameter", suffix: ".task.json", schema: taskSchema },
  startTask: { kind: "startTask", definition: "StartTask", suffix: ".starttask.json", schema: startTaskSchema },
};

/** The kind a file name says (`render.pool.json` → pool), else undefined. */
export function kindOfFileName(fileName: string): DefinitionKind | undefined {
  const lower = fileName.toLowerCase();
  return Object.values(DEFINITIONS).find((info) => lower.endsWith(info.suffix))?.kind;
}

/** `<name><suffix>` with characters that do not belong in a file name replaced. */
export function definitionFileName(kind: DefinitionKind, name: string): string {
  return `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}${DEFINITIONS[kind].suffix}`;
}
