// Why: the `batch-task` launch attributes, and their validation into one debug target, so a bad configuration ends the session before anything runs.
import * as fs from "node:fs";
import * as path from "node:path";
import { isPythonWorkload } from "../deploy/pythonWorkload";
import { DebugConfigurationError } from "./debugConfigurationError";
import { validateInputFiles, validateOutputFiles, type DebugInputFile, type DebugOutputFile } from "./debugStorageFiles";

/** The launch attributes of a `batch-task` configuration (package.json `configurationAttributes.launch` documents them). */
export interface BatchTaskLaunchArguments {
  /** a TaskAddParameter JSON file (relative to `cwd`) */
  taskFile?: string;
  /** the workload folder (relative to `cwd`): its src/main.ts is built with source maps and run in place */
  workload?: string;
  /** the registered task class to run (workload task form) */
  entryPoint?: string;
  /** the task's arguments (workload task form), any JSON */
  args?: unknown;
  /** workload task form: files the node downloads into the working directory first (local paths or Azurite blobs) */
  inputFiles?: unknown;
  /** workload task form: files the node uploads to Azurite when the task ends */
  outputFiles?: unknown;
  /** run the workload's job manager (and debug the tasks it adds) */
  jobManager?: boolean;
  /** the job's arguments (job-manager form) */
  jobArgs?: unknown;
  /** job-manager form: which tasks get a debugger: "all" (default), "none", or entry-point names ("FinalizeTask", "JobManager" included) */
  debugTasks?: "all" | "none" | string[];
  /** existing-task form: "local" (read from the local service), or the label of the account `definition` was read from */
  account?: string;
  /** existing-task form, other accounts: the task's and job's definitions as read with the user's credentials ("Debug Task Locally" fills it) */
  definition?: unknown;
  /** existing-task form: the job; other forms: the id of the job to create (default: generated) */
  jobId?: string;
  /** existing-task form: the task */
  taskId?: string;
  /** the local pool to run on (default: the debug pool, created on demand) */
  pool?: string;
  /** the local service's data folder (default: $BATCH_MANAGER_LOCAL_DATA, else ~/.batch-manager/local) */
  dataDir?: string;
  /** the node binary tasks run (default: `node` found on this PATH) */
  nodeExecutable?: string;
  /** the folder relative paths are resolved from (the extension sets the workspace folder) */
  cwd?: string;
  noDebug?: boolean;
  stopOnEntry?: boolean;
  /** seconds to wait for the child debug session before the waiting task is stopped (default 30) */
  attachTimeout?: number;
}

export { DebugConfigurationError };

export type DebugTarget =
  | { readonly kind: "taskFile"; readonly taskFile: string }
  | {
      readonly kind: "workloadTask";
      readonly workloadDir: string;
      readonly entryPoint: string;
      readonly args: unknown;
      readonly inputFiles: readonly DebugInputFile[];
      readonly outputFiles: readonly DebugOutputFile[];
    }
  | { readonly kind: "jobManager"; readonly workloadDir: string; readonly jobArgs: unknown; readonly debugTasks: "all" | "none" | readonly string[] }
  | {
      readonly kind: "existingTask";
      readonly account: string;
      readonly jobId: string;
      readonly taskId: string;
      readonly definition?: ExistingTaskDefinition;
      /** the workload the task's application package was built from (`workload`), else found under `searchDir` by application id */
      readonly workloadDir?: string;
      readonly searchDir: string;
    };

/** A task of a remote account and its job, as read by the extension (no credentials inside). */
export interface ExistingTaskDefinition {
  readonly job: Record<string, unknown>;
  readonly task: Record<string, unknown>;
}

export interface DebugPlan {
  readonly target: DebugTarget;
  readonly noDebug: boolean;
  readonly stopOnEntry: boolean;
  readonly pool: string | undefined;
  readonly jobId: string | undefined;
  readonly dataDir: string | undefined;
  readonly nodeExecutable: string | undefined;
  readonly attachTimeoutMs: number;
}

const FORMS = 'set one of: "taskFile"; "workload" + "entryPoint"; "workload" + "jobManager": true; "jobId" + "taskId"';

/** Checks the attributes and resolves paths; throws DebugConfigurationError for the first mistake. */
export function planDebugLaunch(args: BatchTaskLaunchArguments): DebugPlan {
  const cwd = path.resolve(args.cwd ?? process.cwd());
  const common = {
    noDebug: optionalBoolean(args, "noDebug"),
    stopOnEntry: optionalBoolean(args, "stopOnEntry"),
    pool: optionalString(args, "pool"),
    dataDir: optionalString(args, "dataDir") === undefined ? undefined : path.resolve(cwd, args.dataDir!),
    nodeExecutable: optionalString(args, "nodeExecutable"),
    attachTimeoutMs: attachTimeout(args),
  };
  const existing = args.taskId !== undefined;
  // with "taskId", "workload" only says where the task's package was built from
  const forms = [args.taskFile !== undefined, args.workload !== undefined && !existing, existing].filter(Boolean).length;
  if (forms === 0) throw new DebugConfigurationError("taskFile", `the configuration names nothing to debug: ${FORMS}`);
  if (forms > 1) throw new DebugConfigurationError(args.taskFile !== undefined ? "taskFile" : "workload", `more than one form is set: ${FORMS}`);
  const jobId = optionalString(args, "jobId");
  if (args.taskFile !== undefined) {
    return { ...common, jobId, target: { kind: "taskFile", taskFile: existingFile(cwd, args.taskFile, "taskFile", "a TaskAddParameter JSON file") } };
  }
  if (args.taskId !== undefined) {
    const taskId = optionalString(args, "taskId")!;
    if (!jobId) throw new DebugConfigurationError("jobId", `set "jobId" to the job of task "${taskId}"`);
    const account = optionalString(args, "account") ?? "local";
    const definition = existingDefinition(args.definition, jobId, taskId);
    if (account !== "local" && !definition)
      throw new DebugConfigurationError(
        "account",
        `"${account}" is not reachable from the debug adapter: use "local", or "Debug Task Locally" on the task in the Batch Explorer (it reads the task with your credentials)`,
      );
    const workloadDir = args.workload === undefined ? undefined : existingFolder(cwd, args.workload, "workload");
    return { ...common, jobId: undefined, target: { kind: "existingTask", account, jobId, taskId, definition, workloadDir, searchDir: cwd } };
  }
  const workloadDir = existingFolder(cwd, args.workload!, "workload");
  const python = isPythonWorkload(workloadDir);
  if (!python && !fs.existsSync(path.join(workloadDir, "src", "main.ts"))) {
    throw new DebugConfigurationError(
      "workload",
      `${workloadDir} has no src/main.ts (nor pyproject.toml + main.py): point "workload" at a workload folder (create one with 'batch-manager new')`,
    );
  }
  if (optionalBoolean(args, "jobManager")) {
    if (args.entryPoint !== undefined)
      throw new DebugConfigurationError(
        "entryPoint",
        `remove "entryPoint": the job-manager form runs every task the job manager adds (choose with "debugTasks")`,
      );
    return { ...common, jobId, target: { kind: "jobManager", workloadDir, jobArgs: args.jobArgs ?? {}, debugTasks: debugTasks(args.debugTasks) } };
  }
  const entryPoint = optionalString(args, "entryPoint");
  if (!entryPoint)
    throw new DebugConfigurationError("entryPoint", `set "entryPoint" to a task class the workload registers, or "jobManager": true to debug the whole job`);
  const files = { inputFiles: validateInputFiles(args.inputFiles, cwd), outputFiles: validateOutputFiles(args.outputFiles) };
  return { ...common, jobId, target: { kind: "workloadTask", workloadDir, entryPoint, args: args.args ?? null, ...files } };
}

function existingDefinition(value: unknown, jobId: string, taskId: string): ExistingTaskDefinition | undefined {
  if (value === undefined) return undefined;
  const definition = value as { job?: { id?: unknown }; task?: { id?: unknown; commandLine?: unknown } };
  if (typeof definition?.job !== "object" || typeof definition.task !== "object" || definition.job === null || definition.task === null) {
    throw new DebugConfigurationError("definition", 'must be {job, task} as read from the account (use "Debug Task Locally" in the Batch Explorer)');
  }
  if (definition.job.id !== jobId || definition.task.id !== taskId || typeof definition.task.commandLine !== "string") {
    throw new DebugConfigurationError(
      "definition",
      `does not describe task "${taskId}" of job "${jobId}" (with its commandLine): run "Debug Task Locally" again`,
    );
  }
  return definition as ExistingTaskDefinition;
}

function optionalString(args: BatchTaskLaunchArguments, name: keyof BatchTaskLaunchArguments): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new DebugConfigurationError(name, `must be a non-empty string (got ${JSON.stringify(value)})`);
  return value.trim();
}

function optionalBoolean(args: BatchTaskLaunchArguments, name: keyof BatchTaskLaunchArguments): boolean {
  const value = args[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new DebugConfigurationError(name, `must be true or false (got ${JSON.stringify(value)})`);
  return value;
}

function attachTimeout(args: BatchTaskLaunchArguments): number {
  const value = args.attachTimeout;
  if (value === undefined) return 30_000;
  if (typeof value !== "number" || !(value > 0))
    throw new DebugConfigurationError("attachTimeout", `must be a number of seconds above 0 (got ${JSON.stringify(value)})`);
  return value * 1000;
}

function debugTasks(value: unknown): "all" | "none" | readonly string[] {
  if (value === undefined || value === "all" || value === "none") return (value as "all" | "none" | undefined) ?? "all";
  if (Array.isArray(value) && value.every((v) => typeof v === "string" && v !== "")) return value as string[];
  throw new DebugConfigurationError("debugTasks", `must be "all", "none" or a list of entry-point names (got ${JSON.stringify(value)})`);
}

function resolveIn(cwd: string, value: unknown, attribute: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new DebugConfigurationError(attribute, `must be a path (got ${JSON.stringify(value)})`);
  return path.resolve(cwd, value.trim());
}

function existingFile(cwd: string, value: unknown, attribute: string, what: string): string {
  const file = resolveIn(cwd, value, attribute);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new DebugConfigurationError(attribute, `no file at ${file}: point "${attribute}" at ${what}`);
  return file;
}

function existingFolder(cwd: string, value: unknown, attribute: string): string {
  const folder = resolveIn(cwd, value, attribute);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
    throw new DebugConfigurationError(
      attribute,
      `no folder at ${folder}: point "${attribute}" at the workload folder (the one holding package.json and src/main.ts)`,
    );
  return folder;
}
