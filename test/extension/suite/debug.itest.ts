// Why: F5 on a `batch-task` configuration in the REAL extension host with the bundled js-debug: a breakpoint in a workload's .ts source is hit on a local node.

import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY } from "../../../src/local/defaults";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, DEBUG_TYPE } from "../../../src/extension/common/ids";
import { createDebugWorkload, GREET_BREAKPOINT_LINE, JOB_MANAGER_BREAKPOINT_LINE } from "../../core/debugWorkloadFixture";
import type { WorkloadProject } from "../../runtime/support/workloadProject";
import { workloadConfigurations } from "../../../src/extension/host/debugConfigurationProvider";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, treeLookup, vm } from "./harness";

interface Stop {
  session: vscode.DebugSession;
  threadId: number;
}

/** Resolves with the first `stopped` event any js-debug session sends. */
function nextStop(): { stop: Promise<Stop>; dispose(): void } {
  let resolveStop: (stop: Stop) => void = () => undefined;
  const stop = new Promise<Stop>((resolve) => (resolveStop = resolve));
  const registration = vscode.debug.registerDebugAdapterTrackerFactory("pwa-node", {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
        if (message.type === "event" && message.event === "stopped") resolveStop({ session, threadId: message.body?.threadId ?? 0 });
      },
    }),
  });
  return { stop, dispose: () => registration.dispose() };
}

function ended(type: string): Promise<vscode.DebugSession> {
  return new Promise((resolve) => {
    const subscription = vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type !== type) return;
      subscription.dispose();
      resolve(session);
    });
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))]);
}

function descendsFrom(session: vscode.DebugSession | undefined, type: string): boolean {
  for (let s = session?.parentSession; s; s = s.parentSession) if (s.type === type) return true;
  return false;
}

suite("batch-task debugging in a real extension host", () => {
  let api: BatchManagerApi;
  let workload: WorkloadProject;
  const { child } = treeLookup(() => api);

  suiteSetup(async function () {
    this.timeout(180_000);
    api = await openExplorer();
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    workload = createDebugWorkload();
  });

  suiteTeardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await resetLocalDataFolder(api);
  });

  test("F5 on the workload-task form stops at a breakpoint in the .ts source, on a local node, and continuing completes the task and uploads its output", async function () {
    this.timeout(120_000);
    const source = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0)))]);
    const tracker = nextStop();
    const parentEnded = ended(DEBUG_TYPE);
    const greetings: string[] = [];
    const outputs = ["pwa-node", DEBUG_TYPE].map((type) =>
      vscode.debug.registerDebugAdapterTrackerFactory(type, {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: { type?: string; event?: string; body?: { output?: string } }) => {
            if (m.type === "event" && m.event === "output" && m.body?.output?.includes("hello itest")) greetings.push(type);
          },
        }),
      }),
    );
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const started = await vscode.debug.startDebugging(folder, {
        type: DEBUG_TYPE,
        request: "launch",
        name: "itest: GreetTask",
        workload: workload.dir,
        entryPoint: "GreetTask",
        args: { name: "itest" },
        jobId: "itest-greet",
        outputFiles: [{ sourceFilePath: "greeting.txt", container: "itest-out", targetBlobPath: "greet/greeting.txt" }],
      });
      assert.equal(started, true);
      const { session, threadId } = await within(tracker.stop, 60_000, "the breakpoint");
      assert.ok(descendsFrom(session, DEBUG_TYPE), `the js-debug session is a child of the ${DEBUG_TYPE} session`);

      const trace = (await session.customRequest("stackTrace", { threadId, levels: 1 })) as {
        stackFrames: { id: number; line: number; source?: { path?: string } }[];
      };
      const frame = trace.stackFrames[0];
      assert.ok(frame.source?.path?.endsWith("/src/greetTask.ts"), `stopped in the .ts source: ${frame.source?.path}`);
      assert.equal(frame.line, GREET_BREAKPOINT_LINE);

      const client = localBatchClient(api);
      const task = await client.task.get("itest-greet", "1");
      assert.equal(task.state, "running");
      const info = task.nodeInfo!;
      const expected = path.join(api.localService.connection!.dataDir, "nodes", info.poolId!, info.nodeId!, info.taskRootDirectory!, "wd");
      const evaluated = (await session.customRequest("evaluate", {
        expression: "process.env.AZ_BATCH_TASK_WORKING_DIR",
        frameId: frame.id,
        context: "repl",
      })) as { result: string };
      assert.equal(evaluated.result.replace(/^'|'$/g, ""), expected);

      await session.customRequest("continue", { threadId });
      await within(parentEnded, 60_000, "the Batch session to end");
      const done = await poll(async () => {
        const t = await client.task.get("itest-greet", "1");
        return t.state === "completed" ? t : undefined;
      }, "the task to complete");
      assert.equal(done.executionInfo?.exitCode, 0);
      const { blobEndpoint, storageAccountName } = api.localService.connection!;
      const blobs = new BlobServiceClient(blobEndpoint, new StorageSharedKeyCredential(storageAccountName, AZURITE_ACCOUNT_KEY));
      const uploaded = await blobs.getContainerClient("itest-out").getBlockBlobClient("greet/greeting.txt").downloadToBuffer();
      assert.equal(uploaded.toString(), "hello itest\n", "the output file is in Azurite");
      assert.deepEqual(greetings, [DEBUG_TYPE], "the task's stdout reaches the Debug Console once (from the task file), not again from js-debug");
    } finally {
      for (const output of outputs) output.dispose();
      tracker.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });

  test("Stop while paused at the breakpoint terminates the task through the service and ends both sessions", async function () {
    this.timeout(120_000);
    const source = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0)))]);
    const tracker = nextStop();
    const parentEnded = ended(DEBUG_TYPE);
    const childEnded = ended("pwa-node");
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.equal(
        await vscode.debug.startDebugging(folder, {
          type: DEBUG_TYPE,
          request: "launch",
          name: "itest: stop",
          workload: workload.dir,
          entryPoint: "GreetTask",
          args: { name: "stop" },
          jobId: "itest-stop",
        }),
        true,
      );
      const { session } = await within(tracker.stop, 60_000, "the breakpoint");
      await vscode.debug.stopDebugging(session); // the child: lifecycleManagedByParent sends it to the Batch session
      await within(Promise.all([parentEnded, childEnded]), 60_000, "both sessions to end");
      const task = await localBatchClient(api).task.get("itest-stop", "1");
      assert.equal(task.state, "completed");
      assert.equal(task.executionInfo?.failureInfo?.code, "TaskEnded");
    } finally {
      tracker.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });

  test("the configuration provider offers each task class and the job of a workload folder", () => {
    const offered = workloadConfigurations(workload.dir);
    assert.deepEqual(
      offered.map((c) => c.entryPoint ?? (c.jobManager ? "job" : "?")),
      ["GreetTask", "job"],
    );
    assert.ok(offered.every((c) => c.type === DEBUG_TYPE && c.request === "launch" && c.workload === "${workspaceFolder}"));
  });

  test("Debug Task Locally on a failed task of a local job reproduces it on a local node with the same exit code", async function () {
    this.timeout(120_000);
    const client = localBatchClient(api);
    await client.pool.add({ id: "itest-orig", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
    await client.job.add({ id: "itest-failed", poolInfo: { poolId: "itest-orig" } });
    await client.task.add("itest-failed", { id: "boom", commandLine: `${process.execPath} -e "console.log('boom'); process.exitCode = 5"` });
    await poll(async () => ((await client.task.get("itest-failed", "boom")).state === "completed" ? true : undefined), "the original task to fail", 60_000);
    api.model.refresh(undefined);
    const jobs = await child(await child(await child(undefined, "Accounts"), "Local"), "Jobs");
    const taskNode = await child(await child(jobs, "itest-failed"), "boom");
    assert.match(api.treeProvider.getTreeItem(taskNode).contextValue ?? "", /^task completed failed local$/, "the menu entry shows on this item");

    const exitCodes: number[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { exitCode?: number } }) => {
          if (message.type === "event" && message.event === "exited") exitCodes.push(message.body?.exitCode ?? -1);
        },
      }),
    });
    const parentEnded = ended(DEBUG_TYPE);
    try {
      assert.equal(await vscode.commands.executeCommand(CommandId.taskDebugLocally, taskNode), true);
      await within(parentEnded, 60_000, "the reproduction to end");
      assert.deepEqual(exitCodes, [5]);
      const copies = (await client.job.list()).filter((j) => j.metadata?.some((m) => m.name === "batchManager.debugCopyOf" && m.value === "itest-failed/boom"));
      assert.equal(copies.length, 1);
      assert.equal((await client.task.get(copies[0].id!, "boom")).executionInfo?.exitCode, 5);
    } finally {
      tracker.dispose();
    }
  });

  test("the job-manager form stops first in the job manager, then in a task it added; the FinalizeTask gets its own child session too", async function () {
    this.timeout(180_000);
    const manager = vscode.Uri.file(path.join(workload.dir, "src", "debugWorkload.ts"));
    const task = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(manager, new vscode.Position(JOB_MANAGER_BREAKPOINT_LINE - 1, 0))),
      new vscode.SourceBreakpoint(new vscode.Location(task, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0))),
    ]);
    const stops: { file: string; line: number }[] = [];
    const children: string[] = [];
    const starts = vscode.debug.onDidStartDebugSession((session) => {
      if (session.parentSession?.type === DEBUG_TYPE) children.push(session.name);
    });
    const parentEnded = ended(DEBUG_TYPE);
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory("pwa-node", {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
          if (message.type !== "event" || message.event !== "stopped") return;
          void (async () => {
            const threadId = message.body?.threadId ?? 0;
            const trace = (await session.customRequest("stackTrace", { threadId, levels: 1 })) as {
              stackFrames: { line: number; source?: { path?: string } }[];
            };
            const frame = trace.stackFrames[0];
            stops.push({ file: path.basename(frame.source?.path ?? "?"), line: frame.line });
            await session.customRequest("continue", { threadId });
          })();
        },
      }),
    });
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.equal(
        await vscode.debug.startDebugging(folder, {
          type: DEBUG_TYPE,
          request: "launch",
          name: "itest: job",
          workload: workload.dir,
          jobManager: true,
          jobArgs: { names: ["jm"] },
          jobId: "itest-job",
        }),
        true,
      );
      await within(parentEnded, 150_000, "the job to complete");
      assert.deepEqual(stops, [
        { file: "debugWorkload.ts", line: JOB_MANAGER_BREAKPOINT_LINE },
        { file: "greetTask.ts", line: GREET_BREAKPOINT_LINE },
      ]);
      const client = localBatchClient(api);
      assert.equal((await client.task.get("itest-job", "1")).executionInfo?.exitCode, 0);
      assert.equal((await client.task.get("itest-job", "finalize")).state, "completed");
      assert.deepEqual(
        [...children].sort(),
        ["Batch task 1 (job itest-job)", "Batch task finalize (job itest-job)", "Batch task job-manager (job itest-job)"],
        "one child session per task, the FinalizeTask included",
      );
    } finally {
      starts.dispose();
      tracker.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });
});
