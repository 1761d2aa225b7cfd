// Why: the task role (on a node): resolves the workload task from the entry-point repository, builds it with its builder, runs it.
import { getLogger } from "../logging/logger";
import { writeProgressFile } from "../progress/progressFile";
import type { TaskContext, WorkloadTask } from "../workload/workloadTask";
import { parseJsonArgument, type RoleContext } from "./roleContext";
import { RuntimeVariables, UsageError } from "../contract/roles";
import { checkParentsSucceeded } from "./upstreamCheck";

export async function runTask(context: RoleContext): Promise<number> {
  const { env, options, node, workload } = context;
  const entryPointName = env[RuntimeVariables.entryPoint] ?? (options["entry-point"] as string | undefined);
  if (!entryPointName) throw new UsageError(`task needs ${RuntimeVariables.entryPoint} (set by the job manager) or --entry-point`);
  const jobId = node.jobId ?? (options["job-id"] as string | undefined) ?? "local-job";
  const taskId = node.taskId ?? (options["task-id"] as string | undefined) ?? "local-task";
  context.describeTask({ jobId, taskId, entryPoint: entryPointName });
  const entryPoint = workload.entryPointsRepository.resolve(entryPointName);
  const args = parseJsonArgument(env[RuntimeVariables.taskArgs] ?? (options.args as string | undefined), RuntimeVariables.taskArgs) ?? null;
  if (node.onNode) await checkParentsSucceeded(context.client, jobId, taskId);
  const logger = getLogger(`workload.${entryPointName}`);
  const buildContext = { client: context.client, settings: context.settings, storage: context.storage, logger, jobId, taskId };
  const task: WorkloadTask<unknown> = entryPoint.builderType
    ? await new entryPoint.builderType().build(buildContext)
    : new (entryPoint.taskType as unknown as new () => WorkloadTask<unknown>)();
  const taskContext: TaskContext<unknown> = {
    args,
    jobId,
    taskId,
    directories: node.directories,
    logger,
    reportProgress: (percent, message) => {
      const progress = writeProgressFile(node.directories.working, { percent, message, jobId, taskId });
      logger.info(`Progress ${progress.percent}%: ${message}`);
      return progress;
    },
  };
  logger.info(`Running ${entryPointName}`);
  await task.run(taskContext);
  logger.info(`${entryPointName} finished`);
  return 0;
}
