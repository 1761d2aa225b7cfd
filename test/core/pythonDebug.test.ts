// Why: F5 on a Python workload task: the batch-task adapter runs the task on a real local node under debugpy, asks for a
// `debugpy` attach child session, and a real DAP client attaching to debugpy stops at a breakpoint in the task's .py file.
import type { DebugProtocol } from "@vscode/debugprotocol";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { startLocalService, tempDir, type LocalServiceHandle } from "../support/localService";
import { ackChild, exitCodeOf, nextChildRequest, startAdapter, type AdapterRun } from "./debugSupport";
import { jsonLine, runCli } from "./support/deployHarness";
import { RawDapClient } from "./support/rawDapClient";

interface DebugpyChild {
  taskId: string;
  configuration: { type: string; request: string; connect: { host: string; port: number } };
}

describe("batch-task debug adapter: Python workload tasks under debugpy", () => {
  let service: LocalServiceHandle;
  let run: AdapterRun | undefined;
  const projectDir = path.join(tempDir("python-debug"), "hello-py");

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    const made = await runCli(["new", projectDir, "--language", "python", "--json"], { dataDir: service.dataDir });
    assert.equal(made.code, 0, made.stderr);
    assert.ok(jsonLine<{ files: string[] }>(made).files.includes("tasks/hello_task.py"));
  });
  afterEach(async () => {
    await run?.dc.stop();
    run = undefined;
  });
  after(() => service.stop());

  it("stops at a breakpoint in the task's .py file, with AZ_BATCH_TASK_WORKING_DIR in its environment", { timeout: 120_000 }, async () => {
    run = await startAdapter();
    const exited = exitCodeOf(run.dc, 90_000);
    const child = nextChildRequest(run.dc);
    await run.dc.launch({ workload: projectDir, entryPoint: "HelloTask", args: { name: "Py" }, dataDir: service.dataDir, jobId: "job-py" });
    const request = (await child) as unknown as DebugpyChild;
    assert.equal(request.configuration.type, "debugpy");
    assert.equal(request.configuration.request, "attach");
    assert.equal(request.configuration.connect.host, "127.0.0.1");
    await ackChild(run.dc, request.taskId);

    const taskFile = path.join(projectDir, "tasks", "hello_task.py");
    const line =
      fs
        .readFileSync(taskFile, "utf8")
        .split("\n")
        .findIndex((text) => text.includes('write_text(f"{self.greeting}')) + 1;
    const dap = await RawDapClient.connect(request.configuration.connect.host, request.configuration.connect.port);
    try {
      await dap.request("initialize", { clientID: "test", adapterID: "debugpy", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
      const attached = dap.request("attach", { justMyCode: true });
      await dap.waitForEvent("initialized");
      const breakpoints = (await dap.request("setBreakpoints", {
        source: { path: taskFile },
        breakpoints: [{ line }],
      })) as DebugProtocol.SetBreakpointsResponse;
      assert.equal(breakpoints.body.breakpoints[0]?.verified, true, JSON.stringify(breakpoints.body));
      await dap.request("configurationDone");
      assert.equal((await attached).success, true);

      const stopped = (await dap.waitForEvent("stopped", 60_000)) as DebugProtocol.StoppedEvent;
      assert.equal(stopped.body.reason, "breakpoint");
      const stack = (await dap.request("stackTrace", { threadId: stopped.body.threadId, levels: 1 })) as DebugProtocol.StackTraceResponse;
      const frame = stack.body.stackFrames[0]!;
      assert.equal(frame.source?.path, taskFile);
      assert.equal(frame.line, line);
      const evaluate = (expression: string) =>
        dap.request("evaluate", { expression, frameId: frame.id, context: "repl" }) as Promise<DebugProtocol.EvaluateResponse>;
      const workingDir = (await evaluate("__import__('os').environ['AZ_BATCH_TASK_WORKING_DIR']")).body.result.replace(/^'|'$/g, "");
      assert.match(workingDir, /job-py.*[/\\]1[/\\]wd$/);
      assert.equal((await evaluate("context.args['name']")).body.result, "'Py'");
      await dap.request("continue", { threadId: stopped.body.threadId });
      assert.equal(await exited, 0);
      assert.equal(fs.readFileSync(path.join(workingDir, "hello.txt"), "utf8"), "Hello, Py!\n");
    } finally {
      dap.close();
    }
    assert.match(run.output.console ?? "", /waits for the Python debugger \(debugpy\) at 127\.0\.0\.1:\d+/);
  });

  it("Debug Task Locally: a Python task of a real job is copied and run under debugpy, stopping in the package's .py file", { timeout: 180_000 }, async () => {
    const env = { BATCH_PYTHON: "/usr/bin/python3" };
    const deployed = await runCli(["deploy", projectDir, "--yes", "--json", "--package-version", "3.0.0-debug"], { dataDir: service.dataDir, env });
    assert.equal(deployed.code, 0, deployed.stderr);
    const ran = await runCli(["run", projectDir, "--wait", "--json", "--package-version", "3.0.0-debug", "--args", '{"name":"Real"}'], {
      dataDir: service.dataDir,
      env,
      timeoutMs: 120_000,
    });
    assert.equal(ran.code, 0, ran.stderr);
    const { jobId } = jsonLine<{ jobId: string }>(ran);

    run = await startAdapter();
    const exited = exitCodeOf(run.dc, 90_000);
    const child = nextChildRequest(run.dc);
    await run.dc.launch({ jobId, taskId: "1", dataDir: service.dataDir });
    const request = (await child) as unknown as DebugpyChild;
    assert.equal(request.configuration.type, "debugpy");
    await ackChild(run.dc, request.taskId);
    // the copy runs the application package as the node extracted it: breakpoints go to those files
    const nodes = path.join(service.dataDir, "nodes");
    const extracted = fs
      .readdirSync(nodes, { recursive: true, encoding: "utf8" })
      .filter((file) => /applications[/\\]hello-py3\.0\.0-debug[/\\]tasks[/\\]hello_task\.py$/.test(file))
      .map((file) => path.join(nodes, file));
    assert.ok(extracted.length > 0, "the package is extracted on a node");
    const line =
      fs
        .readFileSync(extracted[0]!, "utf8")
        .split("\n")
        .findIndex((text) => text.includes('write_text(f"{self.greeting}')) + 1;
    const dap = await RawDapClient.connect(request.configuration.connect.host, request.configuration.connect.port);
    try {
      await dap.request("initialize", { clientID: "test", adapterID: "debugpy", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
      const attached = dap.request("attach", { justMyCode: true });
      await dap.waitForEvent("initialized");
      for (const file of extracted) await dap.request("setBreakpoints", { source: { path: file }, breakpoints: [{ line }] });
      await dap.request("configurationDone");
      assert.equal((await attached).success, true);
      const stopped = (await dap.waitForEvent("stopped", 60_000)) as DebugProtocol.StoppedEvent;
      const stack = (await dap.request("stackTrace", { threadId: stopped.body.threadId, levels: 1 })) as DebugProtocol.StackTraceResponse;
      const frame = stack.body.stackFrames[0]!;
      assert.ok(extracted.includes(frame.source!.path!), frame.source?.path);
      const evaluate = (expression: string) =>
        dap.request("evaluate", { expression, frameId: frame.id, context: "repl" }) as Promise<DebugProtocol.EvaluateResponse>;
      assert.equal((await evaluate("context.args['name']")).body.result, "'Real'", "the copy keeps the original task's arguments");
      assert.match((await evaluate("__import__('os').environ['AZ_BATCH_TASK_WORKING_DIR']")).body.result, /wd'$/);
      await dap.request("continue", { threadId: stopped.body.threadId });
      assert.equal(await exited, 0);
    } finally {
      dap.close();
    }
    assert.match(run.output.console ?? "", /-m debugpy --listen 127\.0\.0\.1:0 --wait-for-client/);
  });

  it("the whole-job form runs the Python job manager and its tasks on local nodes; a selected task stops at a breakpoint under debugpy", {
    timeout: 180_000,
  }, async () => {
    run = await startAdapter();
    const dc = run.dc;
    const exited = exitCodeOf(dc, 150_000);
    const child = nextChildRequest(dc, 120_000);
    await dc.launch({
      workload: projectDir,
      jobManager: true,
      jobArgs: { name: "Whole" },
      debugTasks: ["HelloTask"],
      dataDir: service.dataDir,
      jobId: "job-py-all",
    });
    const request = (await child) as unknown as DebugpyChild;
    assert.equal(request.configuration.type, "debugpy");
    assert.equal(request.taskId, "1", "only the selected task waits; the job manager ran without a debugger");
    await ackChild(dc, request.taskId);
    const taskFile = path.join(projectDir, "tasks", "hello_task.py");
    const line =
      fs
        .readFileSync(taskFile, "utf8")
        .split("\n")
        .findIndex((text) => text.includes('write_text(f"{self.greeting}')) + 1;
    const dap = await RawDapClient.connect(request.configuration.connect.host, request.configuration.connect.port);
    try {
      await dap.request("initialize", { clientID: "test", adapterID: "debugpy", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
      const attached = dap.request("attach", { justMyCode: true });
      await dap.waitForEvent("initialized");
      await dap.request("setBreakpoints", { source: { path: taskFile }, breakpoints: [{ line }] });
      await dap.request("configurationDone");
      assert.equal((await attached).success, true);
      const stopped = (await dap.waitForEvent("stopped", 60_000)) as DebugProtocol.StoppedEvent;
      const stack = (await dap.request("stackTrace", { threadId: stopped.body.threadId, levels: 1 })) as DebugProtocol.StackTraceResponse;
      const frame = stack.body.stackFrames[0]!;
      assert.equal(frame.source?.path, taskFile, "the workspace's own file runs in place");
      assert.equal(frame.line, line);
      const evaluate = (expression: string) =>
        dap.request("evaluate", { expression, frameId: frame.id, context: "repl" }) as Promise<DebugProtocol.EvaluateResponse>;
      assert.match((await evaluate("__import__('os').environ['AZ_BATCH_JOB_ID']")).body.result, /job-py-all/);
      await dap.request("continue", { threadId: stopped.body.threadId });
      assert.equal(await exited, 0, run.output.console);
    } finally {
      dap.close();
    }
    const client = service.client();
    assert.equal((await client.task.get("job-py-all", "job-manager")).executionInfo?.exitCode, 0);
    assert.equal((await client.task.get("job-py-all", "finalize")).executionInfo?.exitCode, 0, "the FinalizeTask ran too");
    assert.match(run.output.console ?? "", /Task 1 waits for the Python debugger \(debugpy\) at 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(run.output.stderr ?? "", /waits for debugpy/, "the hook's line is not shown as task output");
  });

  it("a task nobody attaches to is terminated after attachTimeout instead of waiting forever", { timeout: 90_000 }, async () => {
    run = await startAdapter();
    const exited = exitCodeOf(run.dc, 80_000);
    const child = nextChildRequest(run.dc);
    await run.dc.launch({ workload: projectDir, entryPoint: "HelloTask", args: { name: "x" }, dataDir: service.dataDir, attachTimeout: 2 });
    await child;
    assert.notEqual(await exited, 0);
    assert.match(run.output.console ?? "", /No debugger attached to task 1 within 2 s: terminating it/);
  });

  it("configuration errors name the attribute: an unregistered entry point, an unknown debugTasks name", async () => {
    for (const [args, attribute, message] of [
      [{ entryPoint: "NoSuchTask" }, "entryPoint", /"NoSuchTask" is not registered by the workload .* \(registered: HelloTask\)/],
      [{ jobManager: true, debugTasks: ["Nope"] }, "debugTasks", /Nope not registered by the workload \(known: HelloTask, JobManager, FinalizeTask\)/],
    ] as const) {
      run = await startAdapter();
      await assert.rejects(run.dc.launch({ workload: projectDir, dataDir: service.dataDir, ...args }), (error: Error) => {
        assert.match(error.message, new RegExp(attribute));
        assert.match(error.message, message);
        return true;
      });
      await run.dc.stop();
      run = undefined;
    }
  });
});
