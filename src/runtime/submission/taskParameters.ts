// Why: turns a TaskSpecification into the Batch task the job manager adds (command line, args, files, dependencies, exit behaviour).
import type { BatchServiceModels } from "@azure/batch";
import { applicationPackageReferences, nodeCommandLine } from "../contract/nodeCommandLine";
import { RuntimeVariables } from "../contract/roles";
import { toOutputFile, toResourceFile } from "../files/batchFileMapping";
import type { TaskSpecification } from "./taskSpecification";
import { runtimeContainerUploadUrl, runtimeOutputFiles, type RuntimeStorage } from "./runtimeOutputs";
import { toTaskDependencies } from "./taskDependencies";
import { traceEnvironment, withSpan } from "../tracing/tracing";

/**
 * Every workload task satisfies its dependents whatever its exit code (also after a pre-processing or upload failure:
 * `default` covers those), so the FinalizeTask always runs. A dependent task checks its parents itself when it starts:
 * with `after: "success"` it stops with ExitCode.UpstreamTaskFailed if one failed; with `after: "completion"` it runs.
 */
export const SATISFY_DEPENDENTS_ON_FAILURE: BatchServiceModels.ExitConditions = { default: { dependencyAction: "satisfy" } };

/** What every task of one submission shares, computed once (thousands of tasks share these values). */
export interface TaskParameterContext extends RuntimeStorage {
  jobId: string;
  commandLine: string;
  applicationPackageReferences: BatchServiceModels.ApplicationPackageReference[];
  runtimeContainerUrl: string;
  /** TRACEPARENT of the span submitting the tasks (empty when tracing is off) */
  traceEnvironment: BatchServiceModels.EnvironmentSetting[];
}

export async function taskParameterContext(runtime: RuntimeStorage, jobId: string): Promise<TaskParameterContext> {
  return {
    ...runtime,
    jobId,
    commandLine: nodeCommandLine(runtime.settings, "task"),
    applicationPackageReferences: applicationPackageReferences(runtime.settings),
    runtimeContainerUrl: await runtimeContainerUploadUrl(runtime),
    traceEnvironment: traceEnvironment(),
  };
}

function constraintsOf(spec: TaskSpecification): BatchServiceModels.TaskConstraints | undefined {
  if (spec.maxTaskRetryCount === undefined && spec.maxWallClockTimeSeconds === undefined) return undefined;
  return {
    ...(spec.maxTaskRetryCount !== undefined ? { maxTaskRetryCount: spec.maxTaskRetryCount } : {}),
    ...(spec.maxWallClockTimeSeconds !== undefined ? { maxWallClockTime: `PT${spec.maxWallClockTimeSeconds}S` } : {}),
  };
}

export async function toTaskAddParameter(spec: TaskSpecification, context: TaskParameterContext): Promise<BatchServiceModels.TaskAddParameter> {
  const { storage } = context;
  const [resourceFiles, outputFiles] =
    spec.inputFiles.length + spec.outputFiles.length === 0
      ? [[], []]
      : await withSpan(
          "batch.storage.sign_task_files",
          { "batch.task.id": spec.id, "batch.task.input_files": spec.inputFiles.length, "batch.task.output_files": spec.outputFiles.length },
          () =>
            Promise.all([
              Promise.all(spec.inputFiles.map((input) => toResourceFile(input, storage))),
              Promise.all(spec.outputFiles.map((output) => toOutputFile(output, storage, "tasksuccess"))),
            ]),
        );
  const dependsOn = toTaskDependencies(spec.dependsOn);
  const constraints = constraintsOf(spec);
  return {
    id: spec.id,
    displayName: spec.displayName,
    commandLine: context.commandLine,
    environmentSettings: [
      { name: RuntimeVariables.entryPoint, value: spec.entryPoint },
      { name: RuntimeVariables.taskArgs, value: JSON.stringify(spec.args ?? null) },
      ...(spec.after === "completion" ? [{ name: RuntimeVariables.runAfter, value: "completion" }] : []),
      ...context.traceEnvironment,
    ],
    ...(resourceFiles.length > 0 ? { resourceFiles } : {}),
    outputFiles: [...outputFiles, ...runtimeOutputFiles(context.runtimeContainerUrl, context.jobId, spec.id)],
    ...(dependsOn ? { dependsOn } : {}),
    exitConditions: SATISFY_DEPENDENTS_ON_FAILURE,
    applicationPackageReferences: context.applicationPackageReferences,
    ...(constraints ? { constraints } : {}),
  };
}
