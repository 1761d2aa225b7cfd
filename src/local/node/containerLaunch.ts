// Why: a task with containerSettings runs its command line in a container (docker/podman run) with the node's folders mounted at the same paths, as Batch container tasks do.
import { type ContainerEngine, containerEngine, NO_ENGINE_REASON } from "./containerEngine";
import type { TaskFailureInfo, TaskLaunch } from "./nodeAgent";

/** TaskContainerSettings as the node uses it. */
export interface ContainerSettingsWire {
  imageName: string;
  containerRunOptions?: string;
  workingDirectory?: string;
}

export interface ContainerRunInput {
  engine: ContainerEngine["command"];
  settings: ContainerSettingsWire;
  /** containerRunOptions split into arguments */
  runOptions: string[];
  /** the task's command line split into arguments: the container's command */
  commandArgv: string[];
  /** AZ_BATCH_NODE_ROOT_DIR: mounted at the same path, so every AZ_BATCH_* path means the same inside */
  nodeRootDir: string;
  /** AZ_BATCH_TASK_WORKING_DIR: the container's working directory unless the image's own is asked for */
  workingDir: string;
  /** the task's environment variable names: passed by name (`-e NAME`), their values never appear on a command line */
  envNames: string[];
  containerName: string;
  /** run the container's process as this uid:gid (nonadmin tasks when the service is root) */
  runAs?: { uid: number; gid: number };
}

/** Variables of the task's environment not passed into the container: the image's own PATH stays. */
const HOST_ONLY_VARIABLES = new Set(["PATH"]);
/** Variables the engine's CLI itself needs from the service's environment to find its engine. */
const ENGINE_CLIENT_VARIABLES = [
  "DOCKER_HOST",
  "DOCKER_CONTEXT",
  "DOCKER_CONFIG",
  "DOCKER_CERT_PATH",
  "DOCKER_TLS_VERIFY",
  "CONTAINER_HOST",
  "XDG_RUNTIME_DIR",
];

const hasOption = (options: string[], names: string[]): boolean =>
  options.some((option) => names.some((name) => option === name || option.startsWith(`${name}=`)));

/**
 * `<engine> run` for one task attempt: removed when it exits, host networking (the task reaches the local service on
 * 127.0.0.1 as it would outside; containerRunOptions may choose another network), the node root mounted read-write at
 * the same path, the task working directory as working directory (`taskWorkingDirectory`, the default) or the image's
 * own (`containerImageDefault`), every task variable by name, then the run options, the image and the command.
 */
export function containerRunArgv(input: ContainerRunInput): string[] {
  const argv = [input.engine, "run", "--rm", "--name", input.containerName];
  if (!hasOption(input.runOptions, ["--network", "--net"])) argv.push("--network", "host");
  argv.push("--volume", `${input.nodeRootDir}:${input.nodeRootDir}`);
  if ((input.settings.workingDirectory ?? "taskWorkingDirectory").toLowerCase() !== "containerimagedefault") argv.push("--workdir", input.workingDir);
  if (input.runAs && !hasOption(input.runOptions, ["--user", "-u"])) argv.push("--user", `${input.runAs.uid}:${input.runAs.gid}`);
  for (const name of input.envNames) if (!HOST_ONLY_VARIABLES.has(name)) argv.push("--env", name);
  argv.push(...input.runOptions, input.settings.imageName, ...input.commandArgv);
  return argv;
}

/** The environment of the engine's CLI process: the task's variables (read by `--env NAME`) plus what the CLI needs to reach its engine. */
export function engineClientEnvironment(taskEnv: Record<string, string>, serviceEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env = { ...taskEnv };
  for (const name of ENGINE_CLIENT_VARIABLES) if (serviceEnv[name] !== undefined) env[name] = serviceEnv[name] as string;
  return env;
}

/** A container name of the attempt: readable (pool, node, task, try) and unique (a leftover of a crash never collides). */
export function containerNameOf(launch: TaskLaunch): string {
  const parts = [launch.poolId, launch.nodeId, launch.jobId ?? "", launch.taskId ?? launch.kind, String(launch.retryCount)];
  const readable = parts
    .filter((part) => part !== "")
    .join("-")
    .replace(/[^a-zA-Z0-9_.-]/g, "_")
    .slice(0, 100);
  return `batch-${readable}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The service's answer for a container task on a pool without containerConfiguration (Azure/azure-sdk-for-net Batch integration test TestContainerTask). */
export function containerPoolNotSupported(): TaskFailureInfo {
  return {
    category: "usererror",
    code: "ContainerPoolNotSupported",
    message: "The specified pool does not support container tasks",
    details: [{ name: "Message", value: "Add virtualMachineConfiguration.containerConfiguration to the pool, or remove containerSettings from the task." }],
  };
}

/** Local only: the pool is a container pool, but the engine went away since it was created. */
export function containerEngineMissing(): TaskFailureInfo {
  return {
    category: "servererror",
    code: "ContainerEngineNotAvailable",
    message: "The task's container could not be started",
    details: [{ name: "Message", value: `${NO_ENGINE_REASON}; start one and reactivate the task.` }],
  };
}

export type ContainerDecision =
  | { kind: "host" }
  | { kind: "container"; engine: ContainerEngine; settings: ContainerSettingsWire }
  | { failureInfo: TaskFailureInfo };

const hasContainerConfiguration = (pool: Record<string, unknown>): boolean =>
  (pool.virtualMachineConfiguration as { containerConfiguration?: unknown } | undefined)?.containerConfiguration !== undefined;

/** Where an attempt runs: on the host (no containerSettings), in a container, or nowhere (failureInfo says why). */
export function containerDecision(launch: TaskLaunch, findEngine: () => ContainerEngine | undefined = containerEngine): ContainerDecision {
  const settings = launch.spec.containerSettings as ContainerSettingsWire | undefined;
  if (!settings) return { kind: "host" };
  if (!hasContainerConfiguration(launch.pool)) return { failureInfo: containerPoolNotSupported() };
  const engine = findEngine();
  if (!engine) return { failureInfo: containerEngineMissing() };
  return { kind: "container", engine, settings };
}
