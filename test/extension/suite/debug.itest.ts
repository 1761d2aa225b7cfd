// Why: F5 on a `batch-task` configuration in the REAL extension host with the bundled js-debug: a breakpoint in a workload's .ts source is hit on a local node.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY } from "../../../src/local/common/defaults";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, DEBUG_TYPE, DEBUGPY_DIRECT_TYPE } from "../../../src/extension/common/ids";
import { runCli } from "../../core/support/deployHarness";
import { createDebugWorkload, FINALIZE_BREAKPOINT_LINE, GREET_BREAKPOINT_LINE, JOB_MANAGER_BREAKPOINT_LINE } from "../../core/debugWorkloadFixture";
import type { WorkloadProject } from "../../runtime/support/workloadProject";
import { workloadConfigurations } from "../../../src/extension/host/debugConfigurationProvider";
import type { RunResult } from "../../../src/core/deploy";
import { startLocalService } from "../../support/localService";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, scriptedUi, treeLookup, vm } from "./harness";

interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  reason?: string;
}

/** Resolves with the first `stopped` event any js-debug session sends. */
function nextStop(type = "pwa-node"): { stop: Promise<Stop>; dispose(): void } {
  let resolveStop: (stop: Stop) => void = () => undefined;
  const stop = new Promise<Stop>((resolve) => (resolveStop = resolve));
  const registration = vscode.debug.registerDebugAdapterTrackerFactory(type, {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number; reason?: string } }) => {
        if (message.type === "event" && message.event === "stopped")
          resolveStop({ session, threadId: message.body?.threadId ?? 0, reason: message.body?.reason });
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

/** The child's configuration name (js-debug shows its attached target as "Remote Process [0] « <name>"). */
function taskSessionName(session: vscode.DebugSession): string {
  return session.name.replace(/^.*« /, "");
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

  test("the job-manager form stops first in the job manager, then in a task it added, then in the FinalizeTask (the workload's onJobCompleted)", async function () {
    this.timeout(180_000);
    const manager = vscode.Uri.file(path.join(workload.dir, "src", "debugWorkload.ts"));
    const task = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(manager, new vscode.Position(JOB_MANAGER_BREAKPOINT_LINE - 1, 0))),
      new vscode.SourceBreakpoint(new vscode.Location(task, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0))),
      new vscode.SourceBreakpoint(new vscode.Location(manager, new vscode.Position(FINALIZE_BREAKPOINT_LINE - 1, 0))),
    ]);
    const stops: { file: string; line: number; session: string }[] = [];
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
            stops.push({ file: path.basename(frame.source?.path ?? "?"), line: frame.line, session: taskSessionName(session) });
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
        { file: "debugWorkload.ts", line: JOB_MANAGER_BREAKPOINT_LINE, session: "Batch task job-manager (job itest-job)" },
        { file: "greetTask.ts", line: GREET_BREAKPOINT_LINE, session: "Batch task 1 (job itest-job)" },
        { file: "debugWorkload.ts", line: FINALIZE_BREAKPOINT_LINE, session: "Batch task finalize (job itest-job)" },
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
  test("Debug Task Locally form on a task that runs the deployed package stops at a breakpoint in the workspace's .ts source", async function () {
    this.timeout(240_000);
    const ui = api.ui.current;
    let run: RunResult | undefined;
    try {
      api.ui.current = scriptedUi(ui, { confirms: [true], picks: ["patch"] });
      assert.ok(await vscode.commands.executeCommand(CommandId.deploy, workload.dir), "deployed");
      api.ui.current = scriptedUi(ui, { inputs: [JSON.stringify({ names: ["pkg"] })] });
      run = (await vscode.commands.executeCommand(CommandId.runJob, workload.dir)) as RunResult | undefined;
    } finally {
      api.ui.current = ui;
    }
    assert.ok(run, "the job ran");
    const client = localBatchClient(api);
    await poll(async () => ((await client.task.get(run!.jobId, "1")).state === "completed" ? true : undefined), "the packaged task to complete", 120_000);
    const source = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0)))]);
    const tracker = nextStop();
    const parentEnded = ended(DEBUG_TYPE);
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const launch = { type: DEBUG_TYPE, request: "launch", name: "itest: package task", jobId: run.jobId, taskId: "1", workload: workload.dir };
      assert.equal(await vscode.debug.startDebugging(folder, launch), true);
      const { session, threadId } = await within(tracker.stop, 90_000, "the breakpoint in the package's copy");
      const trace = (await session.customRequest("stackTrace", { threadId, levels: 1 })) as { stackFrames: { line: number; source?: { path?: string } }[] };
      const frame = trace.stackFrames[0];
      assert.ok(frame.source?.path?.endsWith(source.fsPath), `stopped in the workspace's .ts file, mapped from the package's bundle: ${frame.source?.path}`);
      assert.equal(frame.line, GREET_BREAKPOINT_LINE);
      await session.customRequest("continue", { threadId });
      await within(parentEnded, 60_000, "the reproduction to end");
    } finally {
      tracker.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });

  test("the job-manager form with stopOnEntry stops on the first line of main.js of each selected process", async function () {
    this.timeout(180_000);
    const tracker = nextStop();
    const parentEnded = ended(DEBUG_TYPE);
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const launch = {
        type: DEBUG_TYPE,
        request: "launch",
        name: "itest: job entry",
        workload: workload.dir,
        jobManager: true,
        jobArgs: { names: ["entry"] },
        debugTasks: ["JobManager"],
        stopOnEntry: true,
        jobId: "itest-entry",
      };
      assert.equal(await vscode.debug.startDebugging(folder, launch), true);
      const { session, threadId, reason } = await within(tracker.stop, 90_000, "the entry stop");
      assert.notEqual(reason, "breakpoint", "no breakpoint is set: the stop is the entry stop");
      const trace = (await session.customRequest("stackTrace", { threadId, levels: 1 })) as { stackFrames: { line: number; source?: { path?: string } }[] };
      // the bundle's first statement, before any of its code ran (js-debug shows it through the source map, as for --inspect-brk)
      assert.equal(trace.stackFrames[0].line, 1, `paused at the top of main.js: ${JSON.stringify(trace.stackFrames[0])}`);
      assert.equal(taskSessionName(session), "Batch task job-manager (job itest-entry)", "the selected process (the job manager) stopped");
      await session.customRequest("continue", { threadId });
      await within(parentEnded, 120_000, "the job to complete");
      assert.equal((await localBatchClient(api).task.get("itest-entry", "1")).executionInfo?.exitCode, 0);
    } finally {
      tracker.dispose();
    }
  });

  test("F5 with no local service running starts one the explorer shows, and stops it when the session ends", async function () {
    this.timeout(180_000);
    const state = () => api.localService.state;
    assert.equal(await vscode.commands.executeCommand(CommandId.localStop), "stopped");
    assert.equal(state(), "stopped");
    const source = vscode.Uri.file(path.join(workload.dir, "src", "greetTask.ts"));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(GREET_BREAKPOINT_LINE - 1, 0)))]);
    const tracker = nextStop();
    const parentEnded = ended(DEBUG_TYPE);
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const launch = {
        type: DEBUG_TYPE,
        request: "launch",
        name: "itest: own service",
        workload: workload.dir,
        entryPoint: "GreetTask",
        args: { name: "own" },
      };
      assert.equal(await vscode.debug.startDebugging(folder, launch), true);
      const { session, threadId } = await within(tracker.stop, 120_000, "the breakpoint");
      assert.equal(state(), "running", "the session started the explorer's own service");
      const local = await child(await child(undefined, "Accounts"), "Local");
      assert.match(String(api.treeProvider.getTreeItem(local).description ?? ""), /running/, "the Local account shows it running");
      await session.customRequest("continue", { threadId });
      await within(parentEnded, 60_000, "the session to end");
      await poll(() => (state() === "stopped" ? true : undefined), "the service the session started to stop with it");
    } finally {
      tracker.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      if (state() !== "running") assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    }
  });
  test("Debug Task Locally on a task of a shared-key account reads it with the account's key and reproduces it on a local node", async function () {
    this.timeout(180_000);
    // a second local service plays the remote account: the explorer reaches it only through its URL and key
    const remote = await startLocalService({ nodes: 1, env: { ELECTRON_RUN_AS_NODE: "1" } });
    let accountId: string | undefined;
    const exitCodes: number[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { exitCode?: number } }) => {
          if (message.type === "event" && message.event === "exited") exitCodes.push(message.body?.exitCode ?? -1);
        },
      }),
    });
    try {
      const remoteClient = remote.client();
      await remoteClient.pool.add({ id: "remote-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
      await remoteClient.job.add({ id: "remote-job", poolInfo: { poolId: "remote-pool" }, commonEnvironmentSettings: [{ name: "FROM_JOB", value: "j" }] });
      await remoteClient.task.add("remote-job", {
        id: "remote-task",
        commandLine: `${process.execPath} -e "process.exitCode = process.env.FROM_JOB === 'j' && process.env.FROM_TASK === 't' ? 7 : 2"`,
        environmentSettings: [{ name: "FROM_TASK", value: "t" }],
      });
      await poll(
        async () => ((await remoteClient.task.get("remote-job", "remote-task")).state === "completed" ? true : undefined),
        "the remote task to fail",
        60_000,
      );
      const { batchUrl, accountName, accountKey } = remote.info;
      accountId = await vscode.commands.executeCommand<string>(CommandId.accountsAddSharedKey, { url: batchUrl, accountName, key: accountKey });
      const accounts = await api.treeProvider.getChildren(await child(undefined, "Accounts"));
      const account = accounts.find((node) => api.treeProvider.getTreeItem(node).contextValue === "account.sharedKey");
      assert.ok(account, "the shared-key account is listed");
      const taskNode = await child(await child(await child(account, "Jobs"), "remote-job"), "remote-task");
      const parentEnded = ended(DEBUG_TYPE);
      assert.equal(await vscode.commands.executeCommand(CommandId.taskDebugLocally, taskNode), true);
      await within(parentEnded, 90_000, "the reproduction to end");
      assert.deepEqual(exitCodes, [7], "the copy had the task's and the job's environment, read from the account");
      const local = localBatchClient(api);
      const copies = (await local.job.list()).filter((j) =>
        j.metadata?.some((m) => m.name === "batchManager.debugCopyOf" && m.value === "remote-job/remote-task"),
      );
      assert.equal(copies.length, 1, "the copy ran on the local service");
      assert.equal((await local.task.get(copies[0].id!, "remote-task")).executionInfo?.exitCode, 7);
    } finally {
      tracker.dispose();
      if (accountId) await api.accounts.sharedKey.remove(accountId);
      await remote.stop();
    }
  });
  test("F5 on a Python workload task stops at a breakpoint in its .py file: debugpy attached directly (no Python extension in this host)", async function () {
    this.timeout(180_000);
    assert.equal(vscode.extensions.getExtension("ms-python.debugpy"), undefined, "this host has no Python Debugger extension");
    const projectDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "itest-py-")), "hello-py");
    const made = await runCli(["new", projectDir, "--language", "python", "--json"], { dataDir: process.env.BATCH_MANAGER_LOCAL_DATA! });
    assert.equal(made.code, 0, made.stderr);
    const taskFile = path.join(projectDir, "tasks", "hello_task.py");
    const line =
      fs
        .readFileSync(taskFile, "utf8")
        .split("\n")
        .findIndex((text) => text.includes('write_text(f"{self.greeting}')) + 1;
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(taskFile), new vscode.Position(line - 1, 0)))]);
    const tracker = nextStop(DEBUGPY_DIRECT_TYPE);
    const parentEnded = ended(DEBUG_TYPE);
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const launch = {
        type: DEBUG_TYPE,
        request: "launch",
        name: "itest: python",
        workload: projectDir,
        entryPoint: "HelloTask",
        args: { name: "Vs" },
        jobId: "itest-py",
      };
      assert.equal(await vscode.debug.startDebugging(folder, launch), true);
      const { session, threadId } = await within(tracker.stop, 120_000, "the breakpoint in the .py file");
      assert.ok(descendsFrom(session, DEBUG_TYPE), "the debugpy session is a child of the Batch session");
      const trace = (await session.customRequest("stackTrace", { threadId, levels: 1 })) as {
        stackFrames: { id: number; line: number; source?: { path?: string } }[];
      };
      const frame = trace.stackFrames[0];
      assert.ok(frame.source?.path?.endsWith(taskFile), `stopped in ${frame.source?.path}`);
      assert.equal(frame.line, line);
      const task = await localBatchClient(api).task.get("itest-py", "1");
      const info = task.nodeInfo!;
      const expected = path.join(api.localService.connection!.dataDir, "nodes", info.poolId!, info.nodeId!, info.taskRootDirectory!, "wd");
      const evaluated = (await session.customRequest("evaluate", {
        expression: "__import__('os').environ['AZ_BATCH_TASK_WORKING_DIR']",
        frameId: frame.id,
        context: "repl",
      })) as { result: string };
      assert.equal(evaluated.result.replace(/^'|'$/g, ""), expected);
      await session.customRequest("continue", { threadId });
      await within(parentEnded, 60_000, "the Batch session to end");
      assert.equal((await localBatchClient(api).task.get("itest-py", "1")).executionInfo?.exitCode, 0);
    } finally {
      tracker.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });
});
