// Why: follows one task through the service (states, node, output files, inspector address) until it completes, reporting each phase.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { nodeRootDir } from "../../local/node/taskLayout";
import { FileTail, INSPECTOR_LINE, INSPECTOR_NOISE, LineSplitter } from "./fileTail";
import { DEBUGPY_ADDRESS_PREFIX, DEBUGPY_WAITING_LINE } from "./pythonDebugHook";

export interface TaskWatchListener {
  phase(text: string): void;
  output(category: "stdout" | "stderr", text: string): void;
  /** the task's process waits for its debugger: a Node inspector `ws://` URL, or `debugpy://host:port` (a Python role) */
  inspector(websocketAddress: string): void;
}

export interface TaskOutcome {
  readonly exitCode: number;
  readonly result: string | undefined;
  readonly failureInfo: BatchServiceModels.TaskFailureInformation | undefined;
  readonly workingDir: string | undefined;
}

export interface TaskWatchOptions {
  readonly client: BatchServiceClient;
  readonly dataDir: string;
  readonly jobId: string;
  readonly taskId: string;
  readonly listener: TaskWatchListener;
  /** prefix of output lines and phases (several tasks share one console) */
  readonly label?: string;
  readonly pollMs?: number;
}

/** Resolves when the task is completed (however it ended); output is drained before. */
export async function watchTask(options: TaskWatchOptions): Promise<TaskOutcome> {
  const { client, jobId, taskId, listener } = options;
  const say = (text: string) => listener.phase(options.label ? `[${options.label}] ${text}` : text);
  let state = "";
  let tails: { stdout: FileTail; stderr: FileTail; taskDir: string } | undefined;
  const stderrLines = new LineSplitter();
  let inspectorSeen = false;
  const watchStarted = Date.now();
  const drain = () => {
    if (!tails) return;
    const out = tails.stdout.read();
    if (out) listener.output("stdout", prefixed(out, options.label));
    const err = tails.stderr.read();
    if (!err) return;
    const shown: string[] = [];
    for (const line of stderrLines.push(err)) {
      const inspector = INSPECTOR_LINE.exec(line);
      const debugpy = DEBUGPY_WAITING_LINE.exec(line);
      if ((inspector || debugpy) && !inspectorSeen) {
        inspectorSeen = true;
        listener.inspector(inspector ? inspector[1] : `${DEBUGPY_ADDRESS_PREFIX}${debugpy![1]}:${debugpy![2]}`);
      }
      if (!INSPECTOR_NOISE.test(line) && !debugpy) shown.push(`${line}\n`);
    }
    if (shown.length) listener.output("stderr", prefixed(shown.join(""), options.label));
  };
  for (;;) {
    const task = await client.task.get(jobId, taskId);
    const info = task.nodeInfo;
    if (!tails && info?.poolId && info.nodeId && info.taskRootDirectory) {
      const taskDir = path.resolve(nodeRootDir(options.dataDir, info.poolId, info.nodeId), info.taskRootDirectory);
      tails = { stdout: new FileTail(path.join(taskDir, "stdout.txt")), stderr: new FileTail(path.join(taskDir, "stderr.txt")), taskDir };
      say(`Task ${taskId} placed on node ${info.nodeId} of pool ${info.poolId}; task directory ${taskDir}`);
      say(`Task ${taskId} process: ${task.commandLine}`);
      for (const file of task.resourceFiles ?? [])
        say(`Resource file ${file.filePath ?? ""} ← ${withoutQuery(file.httpUrl ?? file.storageContainerUrl ?? file.autoStorageContainerName ?? "")}`);
    }
    if (task.state !== state) {
      state = String(task.state);
      if (state !== "completed") say(`Task ${taskId} is ${state}`);
    }
    drain();
    if (task.state === "completed") {
      const remainder = stderrLines.push("\n").join("");
      if (remainder && !INSPECTOR_NOISE.test(remainder)) listener.output("stderr", prefixed(`${remainder}\n`, options.label));
      const execution = task.executionInfo;
      reportUploads(tails?.taskDir, say);
      const exitCode = execution?.exitCode ?? 1;
      say(`Task ${taskId} completed: exit code ${execution?.exitCode ?? "none"}, result ${execution?.result ?? "unknown"}`);
      const failure = execution?.failureInfo;
      if (failure)
        say(
          `Task ${taskId} failureInfo: ${failure.category} ${failure.code}: ${failure.message ?? ""}${(failure.details ?? []).map((d) => ` ${d.name}=${d.value}`).join("")}`,
        );
      return { exitCode, result: execution?.result, failureInfo: failure, workingDir: tails ? path.join(tails.taskDir, "wd") : undefined };
    }
    // quick while the process may be waiting for its debugger; calmer once it runs
    await delay(options.pollMs ?? (inspectorSeen || Date.now() - watchStarted > 10_000 ? 200 : 50));
  }
}

/** Output upload results the agent logs in the task directory (fileuploadout.txt / fileuploaderr.txt). */
function reportUploads(taskDir: string | undefined, say: (text: string) => void): void {
  if (!taskDir) return;
  for (const name of ["fileuploadout.txt", "fileuploaderr.txt"]) {
    const file = path.join(taskDir, name);
    if (!fs.existsSync(file)) continue;
    const lines = fs
      .readFileSync(file, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    for (const line of lines.slice(-20)) say(`Output upload (${name}): ${withoutQuery(line)}`);
  }
}

function prefixed(text: string, label: string | undefined): string {
  if (!label) return text;
  return text.replace(/^(?=.)/gm, `[${label}] `);
}

/** URLs may carry a SAS: never shown. */
function withoutQuery(text: string): string {
  return text.replace(/(https?:\/\/[^\s?]+)\?\S*/g, "$1");
}
