// Why: the workload's registry of task entry points: which task class (and builder) runs under which name on the nodes.
import type { AnyWorkloadTask, WorkloadTaskBuilderType, WorkloadTaskType } from "./workloadTask";

export interface EntryPoint {
  name: string;
  taskType: WorkloadTaskType;
  builderType?: WorkloadTaskBuilderType;
}

export class UnknownEntryPointError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(
      `No workload task is registered as "${name}" (registered: ${known.length > 0 ? known.join(", ") : "none"}); call entryPointsRepository.registerEntryPoint(TaskType, TaskBuilderType)`,
    );
    this.name = "UnknownEntryPointError";
  }
}

export const entryPointNameOf = (taskType: WorkloadTaskType): string => taskType.entryPointName ?? taskType.name;

export class EntryPointsRepository {
  private readonly byName = new Map<string, EntryPoint>();

  /** Registers `taskType` under its entry-point name; without a builder the task is constructed with `new TaskType()`. */
  registerEntryPoint<TTask extends AnyWorkloadTask>(taskType: WorkloadTaskType<TTask>, builderType?: WorkloadTaskBuilderType<TTask>): this {
    const name = entryPointNameOf(taskType);
    if (!name) throw new Error("registerEntryPoint: the task class has no name; set a static entryPointName");
    const existing = this.byName.get(name);
    if (existing && existing.taskType !== taskType) throw new Error(`registerEntryPoint: "${name}" is already registered for another task class`);
    this.byName.set(name, { name, taskType, builderType });
    return this;
  }

  /** The registered name of `taskType`; throws when it was never registered (its tasks could not run on a node). */
  nameOf(taskType: WorkloadTaskType): string {
    const name = entryPointNameOf(taskType);
    if (this.byName.get(name)?.taskType !== taskType) throw new UnknownEntryPointError(name, this.names());
    return name;
  }

  resolve(name: string): EntryPoint {
    const entry = this.byName.get(name);
    if (!entry) throw new UnknownEntryPointError(name, this.names());
    return entry;
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
