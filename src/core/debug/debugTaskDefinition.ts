// Why: the Batch task definitions a debug run adds (raw task file, workload task), with the inspector switch in their environment settings.
import type { BatchServiceModels } from "@azure/batch";
import * as fs from "node:fs";
import * as path from "node:path";
import type { LocalConnection } from "../localService/localServiceController";
import { DebugConfigurationError } from "./launchArguments";

type TaskAddParameter = BatchServiceModels.TaskAddParameter;
type EnvironmentSetting = BatchServiceModels.EnvironmentSetting;

/**
 * The node agent builds task environments from scratch, so the task's own environment settings are what reach `node`:
 * `--inspect-brk` on a free loopback port holds the process before user code until the child session attaches.
 */
export function debugNodeOptions(noDebug: boolean): string {
  return noDebug ? "--enable-source-maps" : "--inspect-brk=127.0.0.1:0 --enable-source-maps";
}

/** The settings with NODE_OPTIONS extended by the debug switches (a setting of the task's own is kept, ours appended). */
export function withDebugEnvironment(settings: readonly EnvironmentSetting[] | undefined, noDebug: boolean): EnvironmentSetting[] {
  const list = [...(settings ?? [])];
  const index = list.findIndex((s) => s.name === "NODE_OPTIONS");
  const value = [index >= 0 ? list[index].value : undefined, debugNodeOptions(noDebug)].filter(Boolean).join(" ");
  if (index >= 0) list[index] = { name: "NODE_OPTIONS", value };
  else list.push({ name: "NODE_OPTIONS", value });
  return list;
}

/** A TaskAddParameter JSON file; `id` may be left out (one is generated). */
export function readTaskFile(file: string, generatedId: string): TaskAddParameter {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new DebugConfigurationError(
      "taskFile",
      `${file} is not valid JSON (${(error as Error).message}): fix the file so it holds one TaskAddParameter object`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new DebugConfigurationError("taskFile", `${file} must hold one TaskAddParameter object ({"id", "commandLine", …})`);
  }
  const task = parsed as Record<string, unknown>;
  if (typeof task.commandLine !== "string" || task.commandLine.trim() === "") {
    throw new DebugConfigurationError("taskFile", `${file} has no "commandLine": add the command the task runs`);
  }
  if (task.id !== undefined && (typeof task.id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(task.id))) {
    throw new DebugConfigurationError("taskFile", `${file}: "id" must be 1-64 letters, digits, '-' or '_' (or leave it out)`);
  }
  if (task.environmentSettings !== undefined && !Array.isArray(task.environmentSettings)) {
    throw new DebugConfigurationError("taskFile", `${file}: "environmentSettings" must be a list of {"name", "value"}`);
  }
  return { ...(task as unknown as TaskAddParameter), id: (task.id as string | undefined) ?? generatedId };
}

export interface WorkloadTaskInput {
  readonly mainFile: string;
  readonly entryPoint: string;
  readonly args: unknown;
  readonly taskId: string;
  readonly nodeExecutable: string;
  readonly connection: LocalConnection;
}

/**
 * A workload task run in place: the command line runs the workspace's dist/main.js (so its source map resolves to the
 * .ts files), with the variables the runtime's job manager gives its tasks.
 */
export function workloadTaskParameter(input: WorkloadTaskInput): TaskAddParameter {
  const outDir = path.dirname(input.mainFile);
  const logging = ["logging.json", "logging.yaml", "logging.yml"].find((name) => fs.existsSync(path.join(outDir, name)));
  return {
    id: input.taskId,
    displayName: `debug ${input.entryPoint}`,
    commandLine: `${quote(input.nodeExecutable)} ${quote(input.mainFile)} task`,
    environmentSettings: [
      ...runtimeSettings(input.connection),
      { name: "BATCH_TASK_ENTRY_POINT", value: input.entryPoint },
      { name: "BATCH_TASK_ARGS", value: JSON.stringify(input.args ?? null) },
      ...(logging ? [{ name: "BATCH_LOGGING_CONFIG", value: logging }] : []),
    ],
  };
}

/** What the runtime's `submit` puts in a local job's common environment (no secrets: the local accounts are well known). */
export function runtimeSettings(connection: LocalConnection): EnvironmentSetting[] {
  return [
    { name: "BATCH_AUTH_MODE", value: "local" },
    { name: "BATCH_STORAGE_ACCOUNT_NAME", value: connection.storageAccountName },
    { name: "BATCH_STORAGE_BLOB_ENDPOINT", value: connection.blobEndpoint },
  ];
}

/** Batch command lines are split, not shell-parsed: double quotes group a path with spaces. */
function quote(value: string): string {
  return /[\s"']/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

/** `node` as found on this process's PATH (absolute, since a task's PATH is the node's fixed one), else plain `node`. */
export function findNodeExecutable(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === "win32" ? "node.exe" : "node");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return "node";
}
