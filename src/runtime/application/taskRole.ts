// Why: the task role (on a node): resolves the workload task from the entry-point repository, builds it with its builder, runs it.
import { getLogger } from "../logging/logger";
import { writeProgressFile } from "../progress/progressFile";
import type { TaskContext, WorkloadTask } from "../workload/workloadTask";
import { parseJsonArgument, type RoleContext } from "./roleContext";
import { RuntimeVariables, UsageError } from "../contract/roles";
import { checkParentsSucceeded, readParents } from "./upstreamCheck";
import { trace } from "@opentelemetry/api";
import { withSpan } from "../tracing/tracing";

export async function runTask(context: RoleContext): Promise<number> {
  const { env, options, node, workload } = context;
  const entryPointName = env[RuntimeVariables.entryPoint] ?? (options["entry-point"] as string | undefined);
  if (!entryPointName) throw new UsageError(`task needs ${RuntimeVariables.entryPoint} (set by the job manager) or --entry-point`);
  const jobId = node.jobId ?? (options["job-id"] as string | undefined) ?? "local-job";
  const taskId = node.taskId ?? (options["task-id"] as string | undefined) ?? "local-task";
  context.describeTask({ jobId, taskId, entryPoint: entryPointName });
  trace.getActiveSpan()?.setAttribute("batch.entry_point", entryPointName);
  const entryPoint = workload.entryPointsRepository.resolve(entryPointName);
  const args = parseJsonArgument(env[RuntimeVariables.taskArgs] ?? (options.args as string | undefined), RuntimeVariables.taskArgs) ?? null;
  const parents = node.onNode ? await withSpan("batch.task.read_parents", { "batch.task.id": taskId }, () => readParents(context.client, jobId, taskId)) : [];
  if (env[RuntimeVariables.runAfter] !== "completion") checkParentsSucceeded(parents);
  const logger = getLogger(`workload.${entryPointName}`);
  const buildContext = { client: context.client, settings: context.settings, storage: context.storage, logger, jobId, taskId };
  const task: WorkloadTask<unknown> = await withSpan("batch.task.build", { "batch.entry_point": entryPointName }, () =>
    entryPoint.builderType ? new entryPoint.builderType().build(buildContext) : new (entryPoint.taskType as unknown as new () => WorkloadTask<unknown>)(),
  );
  const taskContext: TaskContext<unknown> = {
    args,
    jobId,
    taskId,
    directories: node.directories,
    logger,
    parents,
    reportProgress: (percent, message) => {
      const progress = writeProgressFile(node.directories.working, { percent, message, jobId, taskId });
      logger.info(`Progress ${progress.percent}%: ${message}`);
      return progress;
    },
  };
  logger.info(`Running ${entryPointName}`);
  await withSpan("batch.task.run", { "batch.entry_point": entryPointName, "batch.task.id": taskId }, () => task.run(taskContext));
  logger.info(`${entryPointName} finished`);
  return 0;
}
