// Why: `batch-manager deploy` and `run` end to end from the real CLI against the local service it starts: dry run, deploy, reproducible zip, version conflict, a job to completion, error.json with .ts lines.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { ErrorReport } from "../../src/runtime";
import { zipDirectory } from "../../src/core/workload/zipWorkload";
import { runningLocalService } from "../../src/core/localService/localServiceLease";
import { tempDir } from "../support/localService";
import { CallbackServer } from "../runtime/support/callbackServer";
import { azuriteBlobService, readBlob, uploadTexts } from "../runtime/support/localWorkloadEnvironment";
import type { WorkloadProject } from "../runtime/support/workloadProject";
import { createWorkloadProject, jsonLine, packageVersions, runCli, stopLocalService } from "./support/deployHarness";

interface DeployJson {
  target: string;
  applicationId: string;
  version: string;
  poolId: string;
  zipSha256: string;
  plan: string[];
}
interface RunJson {
  jobId: string;
  state: string;
  succeeded: boolean;
  taskCounts: { active: number; running: number; succeeded: number; failed: number };
}

describe("batch-manager deploy/run (CLI, local service, Azurite, real processes)", () => {
  const dataDir = tempDir("deploy-data");
  let project: WorkloadProject;
  const callbacks = new CallbackServer();
  let callbackBase: string;

  before(async () => {
    project = createWorkloadProject();
    callbackBase = await callbacks.start();
  });
  after(async () => {
    await callbacks.stop();
    await stopLocalService(dataDir);
  });

  it("--dry-run prints the plan and starts, builds and registers nothing", async () => {
    const result = await runCli(["deploy", project.dir, "--dry-run", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    const plan = jsonLine<DeployJson>(result);
    assert.deepEqual(
      [plan.target, plan.applicationId, plan.version, plan.poolId, plan.zipSha256],
      ["local", "example-workload", "1.0.0", "batch-manager-local", ""],
    );
    assert.match(plan.plan.join("\n"), /application package example-workload version 1\.0\.0 \(package\.json\): create → upload → activate/);
    assert.match(plan.plan[0]!, /started when the deploy runs/);
    assert.equal(runningLocalService(dataDir), undefined, "a dry run starts no service");
    assert.equal(fs.existsSync(path.join(project.dir, "dist")), false, "a dry run builds nothing");
  });

  it("deploy --yes starts the local service, registers an active version through ARM and ships a reproducible zip", async () => {
    const result = await runCli(["deploy", project.dir, "--yes", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    const deployed = jsonLine<DeployJson>(result);
    assert.deepEqual(
      [deployed.target, deployed.applicationId, deployed.version, deployed.poolId],
      ["local", "example-workload", "1.0.0", "batch-manager-local"],
    );
    assert.ok(runningLocalService(dataDir), "the service keeps running for 'run'");
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), [{ version: "1.0.0", state: "Active" }]);
    const stored = fs.readFileSync(path.join(dataDir, "applications", "example-workload", "1.0.0.zip"));
    assert.equal(createHash("sha256").update(stored).digest("hex"), deployed.zipSha256);
    // the same sources give the same bytes
    const again = await zipDirectory(path.join(project.dir, "dist"));
    assert.equal(createHash("sha256").update(again).digest("hex"), deployed.zipSha256);
    assert.ok(fs.existsSync(path.join(project.dir, "dist", "main.js.map")), "the source map ships in the package");
  });

  it("an existing version is never overwritten: --yes without --bump fails naming --bump; nothing new is registered", async () => {
    const result = await runCli(["deploy", project.dir, "--yes", "--json"], { dataDir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /version 1\.0\.0 of 'example-workload' is already deployed and is never overwritten: pass --bump patch \(1\.0\.1\)/);
    assert.equal(result.stdout, "");
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), [{ version: "1.0.0", state: "Active" }]);
  });

  it("run --wait runs the job to completion: outputs in Azurite, callback received, exit 0", async () => {
    const connection = runningLocalService(dataDir)!;
    const blobs = azuriteBlobService({ ...connection, accountKey: connection.accountKey });
    await uploadTexts(blobs, "inputs", { "ok/a.txt": "alpha\nbeta\n", "ok/b.txt": "gamma\n" });
    const args = JSON.stringify({ inputContainer: "inputs", inputPrefix: "ok/", outputContainer: "outputs" });
    const result = await runCli(["run", project.dir, "--wait", "--json", "--args", args, "--callback-url", `${callbackBase}/ok`, "--job-id", "deploy-ok"], {
      dataDir,
    });
    assert.equal(result.code, 0, result.stderr);
    const run = jsonLine<RunJson>(result);
    assert.deepEqual([run.jobId, run.state, run.succeeded, run.taskCounts.failed], ["deploy-ok", "completed", true, 0]);
    assert.ok(run.taskCounts.succeeded >= 4, JSON.stringify(run.taskCounts));
    assert.match(result.stderr, /job deploy-ok: completed — 0 active, 0 running, \d+ succeeded, 0 failed/);
    assert.equal(await readBlob(blobs, "outputs", "deploy-ok/transformed/a.txt.upper.txt"), "ALPHA\nBETA\n");
    const callback = await callbacks.waitFor("/ok", 30_000);
    assert.equal((callback.body as { result: string }).result, "succeeded");
  });

  it("a failing task: run --wait exits 3 and its error.json stack names the workload's .ts line", async () => {
    const connection = runningLocalService(dataDir)!;
    const blobs = azuriteBlobService(connection);
    await uploadTexts(blobs, "inputs", { "bad/x.txt": "fine\nFAIL\n" });
    const args = JSON.stringify({ inputContainer: "inputs", inputPrefix: "bad/", outputContainer: "outputs" });
    const result = await runCli(["run", project.dir, "--wait", "--json", "--args", args, "--job-id", "deploy-bad"], { dataDir });
    assert.equal(result.code, 3, result.stderr);
    const run = jsonLine<RunJson>(result);
    assert.equal(run.succeeded, false);
    assert.ok(run.taskCounts.failed >= 1);
    const summary = JSON.parse(await readBlob(blobs, "batch-runtime", "deploy-bad/summary.json")) as { tasks: { displayName: string; id: string }[] };
    const failed = summary.tasks.find((task) => task.displayName === "transform x.txt")!;
    const report = JSON.parse(await readBlob(blobs, "batch-runtime", `deploy-bad/${failed.id}/error.json`)) as ErrorReport;
    assert.match(report.stack ?? "", /at TransformTask\.run \(.*src\/transformTask\.ts:\d+:\d+\)/);
  });

  it("run refuses a version that is not deployed, naming it and the fix", async () => {
    const other = createWorkloadProject();
    const packageFile = path.join(other.dir, "package.json");
    fs.writeFileSync(packageFile, fs.readFileSync(packageFile, "utf8").replace('"version": "1.0.0"', '"version": "9.9.9"'));
    const result = await runCli(["run", other.dir, "--json"], { dataDir });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /example-workload version 9\.9\.9 \(package\.json\) is not deployed in the local Batch service .*: deploy it first \('batch-manager deploy'\)/,
    );
  });
});
