// Why: F5 for Python workloads: the entry points a Python workload registers, the task that runs its main.py under
// debugpy on a local node (listening on a free port it writes to DEBUGPY_ADAPTER_ENDPOINTS), and the `debugpy` attach
// configuration of the child session.
import type { BatchServiceModels } from "@azure/batch";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { pythonInterpreter } from "../deploy/pythonWorkload";
import type { LocalConnection } from "../localService/localServiceController";
import { runtimeSettings } from "./debugTaskDefinition";
import type { WorkloadEntryPoint } from "./workloadEntryPoints";

const REGISTER = /register_entry_point\s*\(\s*([A-Za-z_]\w*)/g;
const SKIPPED = new Set(["batch_manager", "tests", "test", "dist", "venv", ".venv", "__pycache__", "node_modules"]);

/** Every `register_entry_point(TaskClass …)` in the workload's .py files (batch_manager and tests excluded), by runtime name. */
export function findPythonEntryPoints(workloadDir: string): WorkloadEntryPoint[] {
  const texts = new Map(pythonFiles(workloadDir).map((file) => [file, fs.readFileSync(file, "utf8")] as const));
  const classNames = new Set<string>();
  for (const text of texts.values()) for (const match of text.matchAll(REGISTER)) classNames.add(match[1]);
  return [...classNames]
    .map((className) => {
      const declaration = new RegExp(`^class\\s+${className}\\b`, "m");
      const file = [...texts.keys()].find((f) => declaration.test(texts.get(f)!));
      const body = file
        ? texts
            .get(file)!
            .slice(texts.get(file)!.search(declaration))
            .split(/\nclass\s/)[0]
        : "";
      const custom = /^\s+entry_point_name\s*(?::\s*str\s*)?=\s*["']([^"']+)["']/m.exec(body ?? "");
      return { name: custom?.[1] ?? className, file };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function pythonFiles(dir: string, depth = 0, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth < 4 && !SKIPPED.has(entry.name) && !entry.name.startsWith(".")) pythonFiles(full, depth + 1, out);
    else if (entry.isFile() && entry.name.endsWith(".py")) out.push(full);
  }
  return out;
}

export interface PythonTaskInput {
  readonly workloadDir: string;
  readonly entryPoint: string;
  readonly args: unknown;
  readonly taskId: string;
  readonly connection: LocalConnection;
  /** where debugpy's adapter writes {"client": {"host", "port"}}; undefined = no debugging */
  readonly endpointsFile: string | undefined;
}

/**
 * The workspace's main.py run in place by the nodes' python3 (so breakpoints in its .py files bind as they are), under
 * `debugpy --listen 127.0.0.1:0 --wait-for-client`: the task holds before the first workload line until a client attaches.
 */
export function pythonWorkloadTaskParameter(input: PythonTaskInput): BatchServiceModels.TaskAddParameter & { id: string } {
  const main = path.join(input.workloadDir, "main.py");
  const python = pythonInterpreter();
  const debug = input.endpointsFile ? "-Xfrozen_modules=off -m debugpy --listen 127.0.0.1:0 --wait-for-client " : "";
  return {
    id: input.taskId,
    displayName: `debug ${input.entryPoint}`,
    commandLine: `${quote(python)} ${debug}${quote(main)} task`,
    environmentSettings: [
      ...runtimeSettings(input.connection),
      { name: "BATCH_TASK_ENTRY_POINT", value: input.entryPoint },
      { name: "BATCH_TASK_ARGS", value: JSON.stringify(input.args ?? null) },
      { name: "PYTHONUNBUFFERED", value: "1" },
      ...(input.endpointsFile
        ? [
            { name: "DEBUGPY_ADAPTER_ENDPOINTS", value: input.endpointsFile },
            { name: "PYDEVD_DISABLE_FILE_VALIDATION", value: "1" },
          ]
        : []),
    ],
  };
}

/** The endpoints file of one debug task, under the data folder (local nodes run on this machine). */
export function debugpyEndpointsFile(dataDir: string, jobId: string, taskId: string): string {
  const file = path.join(dataDir, "debug", "debugpy", `${jobId}-${taskId}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  return file;
}

/** Polls the endpoints file until debugpy's adapter wrote its client port; undefined once `stopped()` says the task ended. */
export async function waitForDebugpyPort(file: string, stopped: () => boolean, pollMs = 100): Promise<{ host: string; port: number } | undefined> {
  while (!stopped()) {
    try {
      const client = (JSON.parse(fs.readFileSync(file, "utf8")) as { client?: { host?: string; port?: number } }).client;
      if (client && typeof client.port === "number") return { host: client.host ?? "127.0.0.1", port: client.port };
    } catch {
      // not written yet (or half-written)
    }
    await delay(pollMs);
  }
  return undefined;
}

export interface DebugpyAttachConfiguration {
  readonly type: "debugpy";
  readonly request: "attach";
  readonly name: string;
  readonly connect: { readonly host: string; readonly port: number };
  readonly justMyCode: boolean;
  /** the task's output is streamed by the parent from its stdout/stderr files */
  readonly redirectOutput: false;
}

export function debugpyAttachConfiguration(options: { jobId: string; taskId: string; host: string; port: number }): DebugpyAttachConfiguration {
  return {
    type: "debugpy",
    request: "attach",
    name: `Batch task ${options.taskId} (job ${options.jobId})`,
    connect: { host: options.host, port: options.port },
    justMyCode: true,
    redirectOutput: false,
  };
}

function quote(value: string): string {
  return /[\s"']/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

/** `python3 …/main.py <role>` (or python, python3.11, /usr/bin/python3) in a task's command line: the runtime's Python roles. */
const PYTHON_ROLE = /((?:^|[\s"'])(?:\S*\/)?python(?:3(?:\.\d+)?)?)(\s+)(?=\S*main\.py["']?\s+(?:task|job-manager|finalize)\b)/;

/**
 * An existing Python task's command line run under debugpy (the interpreter gets `-m debugpy --listen … --wait-for-client`),
 * and the environment that makes debugpy's adapter write its port; undefined when the command line runs no Python role.
 */
export function underDebugpy(
  commandLine: string,
  settings: readonly BatchServiceModels.EnvironmentSetting[] | undefined,
  endpointsFile: string,
): { commandLine: string; environmentSettings: BatchServiceModels.EnvironmentSetting[] } | undefined {
  if (!PYTHON_ROLE.test(commandLine)) return undefined;
  return {
    commandLine: commandLine.replace(PYTHON_ROLE, "$1 -Xfrozen_modules=off -m debugpy --listen 127.0.0.1:0 --wait-for-client$2"),
    environmentSettings: [
      ...(settings ?? []).filter((s) => s.name !== "DEBUGPY_ADAPTER_ENDPOINTS"),
      { name: "DEBUGPY_ADAPTER_ENDPOINTS", value: endpointsFile },
      { name: "PYDEVD_DISABLE_FILE_VALIDATION", value: "1" },
    ],
  };
}
