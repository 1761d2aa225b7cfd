// Why: issue 7's benchmark, in the real extension host: F5 to the first breakpoint of a trivial workload task, `batch-task` vs a plain `node` launch of the same bundle.
import * as path from "node:path";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../src/extension/extension";
import { DEBUG_TYPE, EXTENSION_ID } from "../../src/extension/common/ids";
import { createDebugWorkload, GREET_BREAKPOINT_LINE } from "../../test/core/debugWorkloadFixture";

const RUNS = Number(process.env.BENCH_DEBUG_RUNS ?? 3);

/** Milliseconds from startDebugging to the first `stopped` event of a js-debug session; then stops everything. */
async function timeToBreakpoint(configuration: vscode.DebugConfiguration): Promise<number> {
  let stopped: () => void = () => undefined;
  const hit = new Promise<void>((resolve) => (stopped = resolve));
  const tracker = vscode.debug.registerDebugAdapterTrackerFactory("pwa-node", {
    createDebugAdapterTracker: () => ({ onDidSendMessage: (m: { type?: string; event?: string }) => m.type === "event" && m.event === "stopped" && stopped() }),
  });
  const ended = new Promise<void>((resolve) => {
    const sub = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.name !== configuration.name || s.parentSession) return;
      sub.dispose();
      resolve();
    });
  });
  try {
    const started = performance.now();
    if (!(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], configuration))) throw new Error(`${configuration.name} did not start`);
    await Promise.race([hit, new Promise((_, reject) => setTimeout(() => reject(new Error(`${configuration.name}: no breakpoint within 90 s`)), 90_000))]);
    const ms = performance.now() - started;
    console.log(`${configuration.name}: ${ms.toFixed(0)} ms`);
    await vscode.debug.stopDebugging();
    await ended;
    return ms;
  } finally {
    tracker.dispose();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<void> {
  const api = (await vscode.extensions.getExtension<BatchManagerApi>(EXTENSION_ID)!.activate()) as BatchManagerApi;
  await vscode.commands.executeCommand("batchManager.local.start");
  const connection = api.localService.connection!;
  const workload = createDebugWorkload();
  await workload.bundle();
  const source = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0)))]);
  const batch: vscode.DebugConfiguration = {
    type: DEBUG_TYPE,
    request: "launch",
    name: "bench batch-task",
    workload: workload.dir,
    entryPoint: "GreetTask",
    args: { name: "bench" },
  };
  const plain: vscode.DebugConfiguration = {
    type: "node",
    request: "launch",
    name: "bench node",
    program: path.join(workload.dir, "dist", "main.js"),
    args: ["task"],
    cwd: workload.dir,
    outFiles: [`${path.join(workload.dir, "dist")}/**/*.js`],
    env: {
      BATCH_AUTH_MODE: "local",
      BATCH_ACCOUNT_URL: connection.batchUrl,
      BATCH_STORAGE_BLOB_ENDPOINT: connection.blobEndpoint,
      BATCH_TASK_ENTRY_POINT: "GreetTask",
      BATCH_TASK_ARGS: '{"name":"bench"}',
    },
  };
  // one warm-up each (first esbuild service start, first pool node, js-debug's first launch)
  await timeToBreakpoint(batch);
  await timeToBreakpoint(plain);
  const batchTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    batchTimes.push(await timeToBreakpoint(batch));
    plainTimes.push(await timeToBreakpoint(plain));
  }
  console.log(`batch-task F5→breakpoint ms: ${batchTimes.map((t) => t.toFixed(0)).join(", ")}; node: ${plainTimes.map((t) => t.toFixed(0)).join(", ")}`);
  console.log(`debug_f5_to_breakpoint_batch_task_ms: ${median(batchTimes).toFixed(0)}`);
  console.log(`debug_f5_to_breakpoint_node_ms: ${median(plainTimes).toFixed(0)}`);
  console.log(`debug_f5_to_breakpoint_ratio: ${(median(batchTimes) / median(plainTimes)).toFixed(2)} (target <= 1.5)`);
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  await vscode.commands.executeCommand("batchManager.local.stop");
}
