// Why: the batch-task adapter over stdio (DebugClient) on the raw task form against a real local service: phases, output, exit codes, child request, stop.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";
import { startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../support/localService";
import { ackChild, exitCodeOf, nextChildRequest, releaseInspector, startAdapter, type AdapterRun } from "./debugSupport";

describe("batch-task debug adapter: taskFile form", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let scratch: string;
  let run: AdapterRun | undefined;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    scratch = tempDir("debug-taskfile");
    fs.writeFileSync(
      path.join(scratch, "script.js"),
      'console.log("out line " + process.argv[2]);\nconsole.error("err line");\nprocess.exitCode = Number(process.argv[3] ?? 0);\n',
    );
  });
  afterEach(async () => {
    await run?.dc.stop();
    run = undefined;
  });
  after(() => service.stop());

  /** A TaskAddParameter file running script.js with node. */
  function taskFile(name: string, task: Record<string, unknown>): string {
    const file = path.join(scratch, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(task));
    return file;
  }
  const nodeTask = (id: string, word: string, exitCode: number) => ({
    id,
    commandLine: `${process.execPath} ${path.join(scratch, "script.js")} ${word} ${exitCode}`,
  });

  it("noDebug runs the task on a local node, streams its stdout/stderr and reports the exit code", async () => {
    run = await startAdapter();
    const exited = exitCodeOf(run.dc);
    await run.dc.launch({ taskFile: taskFile("plain", nodeTask("plain", "alpha", 3)), noDebug: true, dataDir: service.dataDir, jobId: "job-plain" });
    assert.equal(await exited, 3);
    assert.match(run.output.stdout ?? "", /out line alpha/);
    assert.match(run.output.stderr ?? "", /err line/);
    const console = run.output.console ?? "";
    assert.match(console, /Joined the local Batch service/);
    assert.match(console, /Task plain process: .*script\.js alpha 3/);
    assert.match(console, /exit code 3/);
    const task = await client.task.get("job-plain", "plain");
    assert.equal(task.state, "completed");
    assert.equal(task.executionInfo?.exitCode, 3);
    await waitFor(async () => ((await client.job.get("job-plain")).state === "completed" ? true : undefined), "the debug job to be terminated after its task");
  });

  it("debug: asks for a child attach session on the task's inspector, in the task's environment, then completes", async () => {
    run = await startAdapter();
    const dc = run.dc;
    const exited = exitCodeOf(dc);
    const child = nextChildRequest(dc);
    await dc.launch({ taskFile: taskFile("dbg", nodeTask("dbg", "beta", 0)), dataDir: service.dataDir, jobId: "job-dbg" });
    const request = await child;
    assert.equal(request.taskId, "dbg");
    assert.equal(request.configuration.type, "pwa-node");
    assert.equal(request.configuration.request, "attach");
    assert.equal(request.configuration.continueOnAttach, true);
    assert.match(request.configuration.websocketAddress, /^ws:\/\/127\.0\.0\.1:\d+\//);
    const running = await client.task.get("job-dbg", "dbg");
    assert.equal(running.state, "running", "the task waits under --inspect-brk");
    await ackChild(dc, "dbg");
    const workingDir = await releaseInspector(request.configuration.websocketAddress, "process.env.AZ_BATCH_TASK_WORKING_DIR");
    assert.equal(
      workingDir,
      path.join(service.dataDir, "nodes", running.nodeInfo!.poolId!, running.nodeInfo!.nodeId!, running.nodeInfo!.taskRootDirectory!, "wd"),
    );
    assert.equal(await exited, 0);
    assert.match(run.output.stdout ?? "", /out line beta/);
    assert.doesNotMatch(run.output.stderr ?? "", /Debugger listening/, "inspector noise is not task output");
    assert.match(run.output.console ?? "", /Debugger attached to task dbg/);
  });

  it("terminate stops the waiting task through the service (TaskEnded) and exits with its killed exit code", async () => {
    run = await startAdapter();
    const dc = run.dc;
    const exited = exitCodeOf(dc);
    const child = nextChildRequest(dc);
    await dc.launch({ taskFile: taskFile("stop", nodeTask("stop", "gamma", 0)), dataDir: service.dataDir, jobId: "job-stop", stopOnEntry: true });
    const request = await child;
    assert.equal(request.configuration.continueOnAttach, false, "stopOnEntry keeps the --inspect-brk pause");
    await ackChild(dc, request.taskId);
    await dc.terminateRequest({});
    const code = await exited;
    const task = await client.task.get("job-stop", "stop");
    assert.equal(task.state, "completed");
    assert.equal(task.executionInfo?.failureInfo?.code, "TaskEnded");
    assert.equal(task.executionInfo?.exitCode, undefined, "the service records no exit code for a terminated task");
    assert.equal(code, 1, "exited carries 1 when the service recorded no exit code");
    assert.match(run.output.console ?? "", /Stopping: terminating task stop of job job-stop/);
  });

  it("a task nobody attaches to within attachTimeout is stopped, not left hanging", async () => {
    run = await startAdapter();
    const exited = exitCodeOf(run.dc);
    await run.dc.launch({ taskFile: taskFile("lonely", nodeTask("lonely", "delta", 0)), dataDir: service.dataDir, jobId: "job-lonely", attachTimeout: 1 });
    assert.notEqual(await exited, 0);
    assert.match(run.output.console ?? "", /No debugger attached to task lonely within 1 s/);
    assert.equal((await client.task.get("job-lonely", "lonely")).executionInfo?.failureInfo?.code, "TaskEnded");
  });

  it("a SIGTERM to the adapter process terminates the waiting task before the adapter exits", async () => {
    run = await startAdapter();
    const child = nextChildRequest(run.dc);
    await run.dc.launch({ taskFile: taskFile("sigterm", nodeTask("sigterm", "zeta", 0)), dataDir: service.dataDir, jobId: "job-sigterm" });
    await child;
    // DebugClient keeps the adapter's process private; this is what a client does when it kills the adapter
    const adapter = (run.dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
    const exited = new Promise((resolve) => adapter.once("exit", resolve));
    adapter.kill("SIGTERM");
    await exited;
    const task = await client.task.get("job-sigterm", "sigterm");
    assert.equal(task.state, "completed");
    assert.equal(task.executionInfo?.failureInfo?.code, "TaskEnded");
    run = undefined;
  });

  it("restart reruns the task as a new job without ending the session", async () => {
    run = await startAdapter();
    const dc = run.dc;
    const firstChild = nextChildRequest(dc);
    await dc.launch({ taskFile: taskFile("again", nodeTask("again", "eps", 0)), dataDir: service.dataDir });
    const first = await firstChild;
    await ackChild(dc, first.taskId);
    const secondChild = nextChildRequest(dc);
    let terminated = false;
    dc.on("terminated", () => (terminated = true));
    await dc.restartRequest({});
    const second = await secondChild;
    assert.notEqual(second.jobId, first.jobId);
    assert.equal(terminated, false);
    assert.equal((await client.task.get(first.jobId, "again")).executionInfo?.failureInfo?.code, "TaskEnded");
    const exited = exitCodeOf(dc);
    await releaseInspector(second.configuration.websocketAddress);
    await ackChild(dc, second.taskId);
    assert.equal(await exited, 0);
    await waitFor(async () => ((await client.task.get(second.jobId, "again")).state === "completed" ? true : undefined), "the rerun to complete");
  });

  describe("existing task (account local, jobId, taskId)", () => {
    before(async () => {
      await client.pool.add({ id: "orig-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION, targetDedicatedNodes: 1 });
      await client.job.add({ id: "orig", poolInfo: { poolId: "orig-pool" }, commonEnvironmentSettings: [{ name: "FROM_JOB", value: "job-setting" }] });
      await client.task.add("orig", { ...nodeTask("t7", "orig", 7), environmentSettings: [{ name: "FROM_TASK", value: "task-setting" }] });
      await waitFor(async () => ((await client.task.get("orig", "t7")).state === "completed" ? true : undefined), "the original task to fail", 60_000);
    });

    it("reproduces a failed task on its pool under the debugger, with its settings, and the same exit code", async () => {
      run = await startAdapter();
      const dc = run.dc;
      const exited = exitCodeOf(dc);
      const child = nextChildRequest(dc);
      await dc.launch({ account: "local", jobId: "orig", taskId: "t7", dataDir: service.dataDir });
      const request = await child;
      assert.equal(request.taskId, "t7");
      assert.notEqual(request.jobId, "orig", "the copy runs in a fresh job");
      await ackChild(dc, "t7");
      const settings = await releaseInspector(
        request.configuration.websocketAddress,
        "[process.env.FROM_JOB, process.env.FROM_TASK, process.env.AZ_BATCH_POOL_ID].join()",
      );
      assert.equal(settings, "job-setting,task-setting,orig-pool");
      assert.equal(await exited, 7);
      assert.match(run.output.console ?? "", /Reproducing task t7 of job orig \(completed, exit code 7, FailureExitCode\)/);
      assert.match(run.output.stdout ?? "", /out line orig/);
      const original = await client.task.get("orig", "t7");
      assert.equal(original.executionInfo?.exitCode, 7, "the original task is untouched");
    });

    it("a task of another account, passed as its definition, is reproduced on the debug pool", async () => {
      const definition = {
        job: { id: "remote-job", poolInfo: { poolId: "azure-pool" }, commonEnvironmentSettings: [{ name: "FROM_JOB", value: "remote-job-setting" }] },
        task: {
          ...nodeTask("rt", "remote", 4),
          state: "completed",
          executionInfo: { exitCode: 4 },
          resourceFiles: [{ autoStorageContainerName: "inputs", filePath: "in" }],
        },
      };
      run = await startAdapter();
      const exited = exitCodeOf(run.dc);
      await run.dc.launch({ account: "sharedKey", jobId: "remote-job", taskId: "rt", definition, noDebug: true, dataDir: service.dataDir });
      assert.equal(await exited, 4);
      const console = run.output.console ?? "";
      assert.match(console, /Reproducing sharedKey task rt of job remote-job \(completed, exit code 4\)/);
      assert.match(console, /Left out resource file in: it is fetched with the account's identity or auto-storage/);
      assert.match(console, /Created job debug-copy-rt-\S+ on pool batch-debug/);
      assert.match(run.output.stdout ?? "", /out line remote/);
    });

    it("another account's task without a definition, or needing a package the local store lacks, is a configuration error", async () => {
      run = await startAdapter();
      await assert.rejects(run.dc.launch({ account: "azure", jobId: "j", taskId: "t", dataDir: service.dataDir }), /^Error: account: "azure" is not reachable/);
      await run.dc.stop();
      run = await startAdapter();
      const definition = {
        job: { id: "j" },
        task: { id: "t", commandLine: "/bin/true", applicationPackageReferences: [{ applicationId: "tool", version: "2.0" }] },
      };
      await assert.rejects(
        run.dc.launch({ account: "azure", jobId: "j", taskId: "t", definition, dataDir: service.dataDir }),
        /^Error: definition: task "t" uses application package tool 2\.0, which the local service does not have: copy the package's zip to .*applications\/tool\/2\.0\.zip/,
      );
    });

    it("an unknown job or task ends the session before anything runs", async () => {
      for (const [args, attribute] of [
        [{ jobId: "nope", taskId: "t7" }, "jobId"],
        [{ jobId: "orig", taskId: "nope" }, "taskId"],
      ] as const) {
        run = await startAdapter();
        await assert.rejects(
          run.dc.launch({ account: "local", dataDir: service.dataDir, ...args }),
          (error: Error) => error.message.startsWith(`${attribute}: `) && /check the id in the Batch Explorer/.test(error.message),
        );
        await run.dc.stop();
        run = undefined;
      }
    });
  });
});
