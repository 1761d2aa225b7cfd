// Why: "Debug Task Locally" on a task that runs a deployed TypeScript workload: the copy runs the package's own bundle, with a source map that points at the workspace's .ts files.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { applicationPackageVariable } from "../../src/runtime/contract/nodeCommandLine";
import { startLocalService, type LocalServiceHandle } from "../support/localService";
import type { WorkloadProject } from "../runtime/support/workloadProject";
import { ackChild, createDebugWorkload, exitCodeOf, nextChildRequest, releaseInspector, startAdapter, type AdapterRun } from "./debugSupport";
import { jsonLine, runCli } from "./support/deployHarness";

describe("batch-task debug adapter: an existing task that runs a workload's application package", () => {
  let service: LocalServiceHandle;
  let workload: WorkloadProject;
  let run: AdapterRun | undefined;
  let jobId: string;
  const version = "1.0.0-pkgdebug";

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    workload = createDebugWorkload();
    const deployed = await runCli(["deploy", workload.dir, "--yes", "--json", "--package-version", version], { dataDir: service.dataDir });
    assert.equal(deployed.code, 0, deployed.stderr);
    const ran = await runCli(["run", workload.dir, "--wait", "--json", "--package-version", version, "--args", '{"names":["pkg"]}'], {
      dataDir: service.dataDir,
      timeoutMs: 120_000,
    });
    assert.equal(ran.code, 0, ran.stderr);
    jobId = jsonLine<{ jobId: string }>(ran).jobId;
  });
  afterEach(async () => {
    await run?.dc.stop();
    run = undefined;
  });
  after(() => service.stop());

  it("found by application id in cwd: runs a copy of the package whose source map names the workspace's .ts files", { timeout: 120_000 }, async () => {
    const original = await service.client().task.get(jobId, "1");
    assert.ok(
      original.applicationPackageReferences?.some((r) => r.applicationId === "debug-workload" && r.version === version),
      "the task runs the package",
    );
    run = await startAdapter();
    const exited = exitCodeOf(run.dc, 90_000);
    const child = nextChildRequest(run.dc);
    await run.dc.launch({ jobId, taskId: "1", dataDir: service.dataDir, cwd: workload.dir });
    const request = await child;
    const folder = request.configuration.outFiles?.[0]?.replace(/\/\*\*\/\*\.js$/, "");
    assert.ok(folder?.startsWith(path.join(service.dataDir, "debug", "packages")), `the child's code folder is the mapped copy: ${folder}`);
    const map = JSON.parse(fs.readFileSync(path.join(folder!, "main.js.map"), "utf8")) as { sources: string[] };
    const greet = path.join(workload.dir, "src", "greetTask.ts");
    assert.ok(map.sources.includes(greet), `the copy's map names ${greet}`);
    assert.equal(
      fs.readFileSync(path.join(folder!, "main.js"), "utf8"),
      fs.readFileSync(path.join(workload.dir, "dist", "main.js"), "utf8"),
      "the deployed bundle, unchanged",
    );
    await ackChild(run.dc, request.taskId);
    const variable = applicationPackageVariable("debug-workload", version);
    assert.equal(await releaseInspector(request.configuration.websocketAddress, `process.env.${variable}`), folder, "the package variable points at the copy");
    assert.equal(await exited, 0, run.output.console);
    assert.match(run.output.console ?? "", /runs from a copy whose source map points at .*src: breakpoints there bind/);
    assert.match(run.output.stdout ?? "", /hello pkg/);
  });

  it("a cwd without the workload leaves the package as the node extracted it, saying nothing about mapping", { timeout: 120_000 }, async () => {
    run = await startAdapter();
    const exited = exitCodeOf(run.dc, 90_000);
    const child = nextChildRequest(run.dc);
    await run.dc.launch({ jobId, taskId: "1", dataDir: service.dataDir, cwd: service.dataDir });
    const request = await child;
    assert.equal(request.configuration.outFiles, undefined, "no code folders: the node's own extraction runs");
    await ackChild(run.dc, request.taskId);
    await releaseInspector(request.configuration.websocketAddress);
    assert.equal(await exited, 0, run.output.console);
    assert.doesNotMatch(run.output.console ?? "", /source map points at/);
  });

  it('"workload" that is not a folder is a configuration error naming it', { timeout: 60_000 }, async () => {
    run = await startAdapter();
    const terminated = run.dc.waitForEvent("terminated", 30_000);
    await assert.rejects(
      run.dc.launch({ jobId, taskId: "1", dataDir: service.dataDir, workload: path.join(workload.dir, "missing") }),
      /^Error: workload: no folder at/,
    );
    await terminated;
  });
});
