// Why: the batch-task adapter over stdio on the workload-task form (built with source maps, run in place on a local node) and every configuration error.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../src/local/common/defaults";
import { startLocalService, tempDir, type LocalServiceHandle } from "../support/localService";
import type { WorkloadProject } from "../runtime/support/workloadProject";
import { ackChild, createDebugWorkload, exitCodeOf, firstPause, nextChildRequest, releaseInspector, startAdapter, type AdapterRun } from "./debugSupport";

describe("batch-task debug adapter: workload task form and configuration errors", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let workload: WorkloadProject;
  let run: AdapterRun | undefined;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    workload = createDebugWorkload();
  });
  afterEach(async () => {
    await run?.dc.stop();
    run = undefined;
  });
  after(() => service.stop());

  it("builds the workload with its source map and runs the entry point on a local node under the debugger", async () => {
    run = await startAdapter();
    const dc = run.dc;
    const exited = exitCodeOf(dc);
    const child = nextChildRequest(dc);
    await dc.launch({ workload: workload.dir, entryPoint: "GreetTask", args: { name: "batch" }, dataDir: service.dataDir, jobId: "job-greet" });
    const request = await child;
    assert.deepEqual(request.configuration.outFiles, [`${path.join(workload.dir, "dist")}/**/*.js`]);
    assert.ok(fs.existsSync(path.join(workload.dir, "dist", "main.js.map")), "the debug build emits the source map");
    const map = JSON.parse(fs.readFileSync(path.join(workload.dir, "dist", "main.js.map"), "utf8")) as { sources: string[] };
    assert.ok(map.sources.includes("../src/greetTask.ts"), `sources resolve beside dist/: ${map.sources.join(", ")}`);
    await ackChild(dc, request.taskId);
    const entryPoint = await releaseInspector(request.configuration.websocketAddress, "process.env.BATCH_TASK_ENTRY_POINT");
    assert.equal(entryPoint, "GreetTask");
    assert.equal(await exited, 0);
    assert.match(run.output.stdout ?? "", /hello batch/);
    assert.match(run.output.console ?? "", /Building the workload/);
    const task = await client.task.get("job-greet", "1");
    assert.match(task.commandLine!, new RegExp(`${path.join(workload.dir, "dist", "main.js")} task$`), "the bundle runs in place");
    const wd = path.join(service.dataDir, "nodes", task.nodeInfo!.poolId!, task.nodeInfo!.nodeId!, task.nodeInfo!.taskRootDirectory!, "wd");
    assert.equal(fs.readFileSync(path.join(wd, "greeting.txt"), "utf8"), "hello batch\n");
  });

  it("a source newer than the bundle is rebuilt before the run", async () => {
    const edited = new Date(); // the bundle of the first test is older
    fs.utimesSync(path.join(workload.dir, "src", "greetTask.ts"), edited, edited);
    run = await startAdapter();
    const exited = exitCodeOf(run.dc);
    await run.dc.launch({ workload: workload.dir, entryPoint: "GreetTask", args: { name: "again" }, noDebug: true, dataDir: service.dataDir });
    assert.equal(await exited, 0);
    assert.match(run.output.console ?? "", /Building the workload/);
    assert.ok(fs.statSync(path.join(workload.dir, "dist", "main.js")).mtimeMs >= edited.getTime());
  });

  it("input files (a local path) land in the working directory and output files are uploaded to Azurite", async () => {
    const scratch = tempDir("debug-files");
    fs.writeFileSync(path.join(scratch, "name.txt"), "from-a-file\n");
    run = await startAdapter();
    const exited = exitCodeOf(run.dc);
    await run.dc.launch({
      workload: workload.dir,
      entryPoint: "GreetTask",
      args: { nameFile: "in/name.txt" },
      inputFiles: [{ localPath: "name.txt", targetFilePath: "in/name.txt" }],
      outputFiles: [{ sourceFilePath: "greeting.txt", container: "greetings", targetBlobPath: "files/greeting.txt" }],
      cwd: scratch,
      noDebug: true,
      dataDir: service.dataDir,
      jobId: "job-files",
    });
    assert.equal(await exited, 0, run.output.console);
    assert.match(run.output.stdout ?? "", /hello from-a-file/);
    assert.match(
      run.output.console ?? "",
      /Resource file in\/name\.txt ← http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/batch-debug-inputs\/job-files\/0-name\.txt\n/,
      "resource files are listed, without their SAS",
    );
    assert.doesNotMatch(run.output.console ?? "", /sig=/, "no SAS in the console");
    const blobs = new BlobServiceClient(service.info.blobEndpoint, new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY));
    const uploaded = await blobs.getContainerClient("greetings").getBlockBlobClient("files/greeting.txt").downloadToBuffer();
    assert.equal(uploaded.toString(), "hello from-a-file\n");
  });

  it("bad input and output files are configuration errors naming the entry", async () => {
    await assertConfigurationError(
      { workload: workload.dir, entryPoint: "GreetTask", inputFiles: [{ localPath: "/no/such/file" }] },
      "inputFiles[0].localPath",
      /no file at/,
    );
    await assertConfigurationError(
      { workload: workload.dir, entryPoint: "GreetTask", inputFiles: [{ localPath: __filename, targetFilePath: "../escape" }] },
      "inputFiles[0].targetFilePath",
      /inside the working directory/,
    );
    await assertConfigurationError(
      { workload: workload.dir, entryPoint: "GreetTask", outputFiles: [{ sourceFilePath: "a", container: "Bad_Name" }] },
      "outputFiles[0].container",
      /container name/,
    );
  });

  it("a failing task's exit code reaches exited, with its stack mapped to the .ts source (noDebug)", async () => {
    run = await startAdapter();
    const exited = exitCodeOf(run.dc);
    await run.dc.launch({ workload: workload.dir, entryPoint: "GreetTask", args: { name: "x", exitWith: 1 }, noDebug: true, dataDir: service.dataDir });
    assert.equal(await exited, 1);
    assert.match(run.output.stderr ?? "", /asked to fail with 1/);
    assert.match(run.output.stderr ?? "", /greetTask\.ts:\d+/, "--enable-source-maps maps the stack to the .ts file");
    assert.match(run.output.console ?? "", /result failure/);
    assert.match(run.output.console ?? "", /Reusing .*dist\/main\.js: it is newer than every source/, "an up-to-date bundle is not rebuilt");
  });

  /** Plays the extension for every child request: acks it and lets the task run; returns the task ids asked for. */
  function attachEveryChild(dc: AdapterRun["dc"]): string[] {
    const asked: string[] = [];
    dc.on("batchTask/startChild", (event: { body: { taskId: string; configuration: { websocketAddress: string } } }) => {
      asked.push(event.body.taskId);
      void ackChild(dc, event.body.taskId).then(() => releaseInspector(event.body.configuration.websocketAddress));
    });
    return asked;
  }

  it("jobManager: the job manager, each task it adds and the FinalizeTask each get a child session (debugTasks all)", async () => {
    run = await startAdapter();
    const asked = attachEveryChild(run.dc);
    const exited = exitCodeOf(run.dc, 120_000);
    await run.dc.launch({ workload: workload.dir, jobManager: true, jobArgs: { names: ["ann", "bob"] }, dataDir: service.dataDir, jobId: "job-all" });
    assert.equal(await exited, 0, run.output.console);
    assert.deepEqual([...asked].sort(), ["1", "2", "finalize", "job-manager"]);
    assert.match(run.output.stdout ?? "", /\[1\] hello ann/);
    assert.match(run.output.stdout ?? "", /\[2\] hello bob/);
    assert.match(run.output.console ?? "", /Job job-all completed: 4 of 4 task\(s\) succeeded/);
    assert.match(run.output.stdout ?? "", /\[finalize\] finalized: \d+ succeeded/, "the FinalizeTask ran the workload's onJobCompleted");
    assert.equal((await client.job.get("job-all")).state, "completed");
  });

  it("jobManager: tasks left out of debugTasks run without waiting for a debugger", async () => {
    run = await startAdapter();
    const asked = attachEveryChild(run.dc);
    const exited = exitCodeOf(run.dc, 120_000);
    await run.dc.launch({
      workload: workload.dir,
      jobManager: true,
      jobArgs: { names: ["cy"] },
      debugTasks: ["FinalizeTask"],
      dataDir: service.dataDir,
      jobId: "job-some",
      attachTimeout: 60,
    });
    assert.equal(await exited, 0, run.output.console);
    assert.deepEqual(asked, ["finalize"]);
    assert.match(run.output.stdout ?? "", /\[1\] hello cy/);
  });

  it("jobManager + stopOnEntry: each debugged process stops on the first line of main.js, the others do not", async () => {
    run = await startAdapter();
    const pauses = new Map<string, Promise<{ reason: string; url: string; line: number }>>();
    const dc = run.dc;
    dc.on("batchTask/startChild", (event: { body: { taskId: string; configuration: { websocketAddress: string; continueOnAttach: boolean } } }) => {
      assert.equal(event.body.configuration.continueOnAttach, true, "the child lets the preload's wait go; the debugger statement stops it");
      pauses.set(
        event.body.taskId,
        ackChild(dc, event.body.taskId).then(() => firstPause(event.body.configuration.websocketAddress)),
      );
    });
    const exited = exitCodeOf(dc, 120_000);
    await dc.launch({
      workload: workload.dir,
      jobManager: true,
      jobArgs: { names: ["dee"] },
      debugTasks: ["JobManager", "GreetTask"],
      stopOnEntry: true,
      dataDir: service.dataDir,
      jobId: "job-entry",
      attachTimeout: 60,
    });
    assert.equal(await exited, 0, run.output.console);
    assert.deepEqual([...pauses.keys()].sort(), ["1", "job-manager"], "the FinalizeTask was not selected and ran without waiting");
    for (const [taskId, pause] of pauses) {
      const where = await pause;
      assert.equal(where.reason, "other", `${taskId} paused at a debugger statement`);
      assert.match(where.url, /dist\/main\.js$/, `${taskId} paused in the workload's main.js`);
      assert.equal(where.line, 0, `${taskId} paused on the first line`);
    }
  });

  /** Launches with `args` and expects the launch to fail with a message naming `attribute`, before any job exists. */
  async function assertConfigurationError(args: Record<string, unknown>, attribute: string, fix: RegExp): Promise<void> {
    run = await startAdapter();
    const jobsBefore = (await client.job.list()).length;
    const terminated = run.dc.waitForEvent("terminated", 60_000);
    await assert.rejects(run.dc.launch({ dataDir: service.dataDir, ...args }), (error: Error) => {
      assert.ok(error.message.startsWith(`${attribute}: `), `names the attribute: ${error.message}`);
      assert.match(error.message, fix);
      return true;
    });
    await terminated;
    assert.equal((await client.job.list()).length, jobsBefore, "nothing ran");
    await run.dc.stop();
    run = undefined;
  }

  it("configuration errors end the session before anything runs, naming the attribute and the fix", async () => {
    const scratch = tempDir("debug-config");
    fs.writeFileSync(path.join(scratch, "broken.json"), "{ not json");
    fs.writeFileSync(path.join(scratch, "nocommand.json"), JSON.stringify({ id: "t" }));
    await assertConfigurationError({}, "taskFile", /set one of/);
    await assertConfigurationError({ taskFile: path.join(scratch, "missing.json") }, "taskFile", /no file at .*missing\.json/);
    await assertConfigurationError({ taskFile: path.join(scratch, "broken.json") }, "taskFile", /not valid JSON/);
    await assertConfigurationError({ taskFile: path.join(scratch, "nocommand.json") }, "taskFile", /no "commandLine"/);
    await assertConfigurationError({ workload: path.join(scratch, "nowhere"), entryPoint: "GreetTask" }, "workload", /no folder at/);
    await assertConfigurationError({ workload: scratch, entryPoint: "GreetTask" }, "workload", /has no src\/main\.ts/);
    await assertConfigurationError({ workload: workload.dir }, "entryPoint", /set "entryPoint"/);
    await assertConfigurationError({ workload: workload.dir, entryPoint: "NoSuchTask" }, "entryPoint", /registered: GreetTask/);
    await assertConfigurationError({ workload: workload.dir, entryPoint: "GreetTask", pool: "no-such-pool" }, "pool", /has no pool "no-such-pool"/);
    await assertConfigurationError({ workload: workload.dir, entryPoint: "GreetTask", jobId: "job-greet" }, "jobId", /already exists/);
    await assertConfigurationError({ taskId: "1" }, "jobId", /set "jobId"/);
    await assertConfigurationError(
      { workload: workload.dir, jobManager: true, debugTasks: ["Nope"] },
      "debugTasks",
      /Nope not registered .*known: GreetTask, JobManager, FinalizeTask/,
    );
    await assertConfigurationError({ workload: workload.dir, jobManager: true, debugTasks: 3 }, "debugTasks", /"all", "none" or a list/);
    await assertConfigurationError({ taskFile: path.join(scratch, "broken.json"), noDebug: "yes" }, "noDebug", /true or false/);
  });
});
