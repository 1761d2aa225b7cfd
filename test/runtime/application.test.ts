// Why: Application as a real process: role selection, documented exit codes, error.json for failures and unhandled rejections, submit without a callback URL.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ExitCode, type ErrorReport } from "../../src/runtime";
import { startLocalService, tempDir, type LocalServiceHandle } from "../support/localService";
import { localWorkloadSettings } from "./support/localWorkloadEnvironment";
import { cleanEnvironment, runNode } from "./support/workloadProcess";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";
import { zipDirectory } from "../../src/core/workload/zipWorkload";
import { deployLocalApplicationPackage } from "./support/workloadProject";

const MINIMAL_WORKLOAD = path.join(__dirname, "fixtures", "minimalWorkload.js");
const LOCAL_ONLY = { BATCH_ACCOUNT_URL: "http://127.0.0.1:1", BATCH_AUTH_MODE: "local" };

/** Runs a role as if on a node: its own working directory, job and task ids (no AZ_BATCH_NODE_ID, so no parent check). */
async function runRole(args: string[], extra: Record<string, string> = {}) {
  const workingDir = tempDir("wd");
  const result = await runNode(
    MINIMAL_WORKLOAD,
    args,
    cleanEnvironment({ ...LOCAL_ONLY, AZ_BATCH_TASK_WORKING_DIR: workingDir, AZ_BATCH_JOB_ID: "job-1", AZ_BATCH_TASK_ID: "7", ...extra }),
  );
  const reportFile = path.join(workingDir, "error.json");
  const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, "utf8")) as ErrorReport) : undefined;
  return { ...result, workingDir, report };
}

describe("Application (real processes)", () => {
  it("runs a task by entry point with typed args; progress.json is left in the working directory", async () => {
    const run = await runRole(["task", "--entry-point", "ProgressTask", "--args", '{"steps":4}']);
    assert.equal(run.code, ExitCode.Success, run.stderr);
    const progress = JSON.parse(fs.readFileSync(path.join(run.workingDir, "progress.json"), "utf8")) as {
      percent: number;
      message: string;
      jobId: string;
      taskId: string;
    };
    assert.deepEqual([progress.percent, progress.message, progress.jobId, progress.taskId], [100, "step 4", "job-1", "7"]);
    assert.equal(run.report, undefined);
    assert.match(run.stderr, /INFO {4}workload\.ProgressTask \[job=job-1 task=7\] Progress 25%: step 1/);
  });

  it("a task that throws: exit 1, its stack in the log, error.json with type, message, stack, role, task and time", async () => {
    const run = await runRole(["task", "--entry-point", "FailingTask"]);
    assert.equal(run.code, ExitCode.WorkloadError);
    assert.match(
      run.stderr,
      /ERROR +runtime\.task \[job=job-1 task=7\] task failed \(exit code 1\)\nRangeError: the input is out of range\n\s+at FailingTask\.run/,
    );
    const report = run.report!;
    assert.deepEqual([report.type, report.message, report.role, report.exitCode], ["RangeError", "the input is out of range", "task", 1]);
    assert.deepEqual(report.task, { jobId: "job-1", taskId: "7", entryPoint: "FailingTask" });
    assert.match(report.stack!, /at FailingTask\.run/);
    assert.ok(Math.abs(Date.parse(report.time) - Date.now()) < 60_000);
  });

  it("an unhandled rejection is caught too: error report, exit 1, no waiting for pending timers", async () => {
    const started = Date.now();
    const run = await runRole(["task", "--entry-point", "CrashTask"]);
    assert.equal(run.code, ExitCode.WorkloadError);
    assert.equal(run.report?.message, "nobody awaited this");
    assert.ok(Date.now() - started < 4500, "exited without waiting for the task's 5 s timer");
  });

  it("unknown entry point and unknown role are usage errors (exit 2); the role comes from BATCH_WORKLOAD_ROLE without arguments", async () => {
    const unknownEntryPoint = await runRole(["task", "--entry-point", "Nope"]);
    assert.equal(unknownEntryPoint.code, ExitCode.UsageError);
    assert.match(
      unknownEntryPoint.report!.message,
      /No workload task is registered as "Nope" \(registered: ClientTask, CrashTask, FailingTask, ProgressTask\)/,
    );
    const badRole = await runRole(["deploy"]);
    assert.equal(badRole.code, ExitCode.UsageError);
    assert.match(badRole.stderr, /unknown role "deploy"/);
    const badOption = await runRole(["task", "--entrypoint", "X"]);
    assert.equal(badOption.code, ExitCode.UsageError);
    const fromEnvironment = await runRole([], { BATCH_WORKLOAD_ROLE: "task", BATCH_TASK_ENTRY_POINT: "ProgressTask", BATCH_TASK_ARGS: '{"steps":1}' });
    assert.equal(fromEnvironment.code, ExitCode.Success, fromEnvironment.stderr);
  });

  it("settings problems: exit 3, each variable named, and (on a node) an error report", async () => {
    const run = await runRole(["task", "--entry-point", "ProgressTask"], {
      AZ_BATCH_NODE_ID: "node-1",
      BATCH_ACCOUNT_URL: "",
      BATCH_AUTH_MODE: "sharedKey",
      BATCH_SAS_LIFETIME_MINUTES: "-5",
    });
    assert.equal(run.code, ExitCode.SettingsError);
    for (const variable of ["BATCH_ACCOUNT_URL", "BATCH_ACCOUNT_NAME", "BATCH_ACCOUNT_KEY", "BATCH_SAS_LIFETIME_MINUTES"])
      assert.match(run.stderr, new RegExp(`- ${variable} `));
    assert.equal(run.report?.type, "SettingsError");
  });

  it("one task runs on this machine without BATCH_ACCOUNT_URL when it does not use Batch; one that does gets exit 3 naming the setting", async () => {
    const bare = { BATCH_ACCOUNT_URL: "", BATCH_AUTH_MODE: "" };
    const run = await runRole(["task", "--entry-point", "ProgressTask", "--args", '{"steps":2}'], bare);
    assert.equal(run.code, ExitCode.Success, run.stderr);
    assert.equal(run.report, undefined);
    const needsClient = await runRole(["task", "--entry-point", "ClientTask"], bare);
    assert.equal(needsClient.code, ExitCode.SettingsError, needsClient.stderr);
    assert.match(needsClient.report!.message, /BATCH_ACCOUNT_URL is missing \(this task uses the Batch client; set it to the Batch account endpoint/);
    // on a node the account is always needed (the parents check uses it)
    const onNode = await runRole(["task", "--entry-point", "ProgressTask"], { ...bare, AZ_BATCH_NODE_ID: "node-1" });
    assert.equal(onNode.code, ExitCode.SettingsError);
    assert.match(onNode.stderr, /BATCH_ACCOUNT_URL is missing/);
    // an account URL given locally must come with complete credentials
    const halfConfigured = await runRole(["task", "--entry-point", "ProgressTask"], {
      BATCH_ACCOUNT_URL: "https://acct.westeurope.batch.azure.com",
      BATCH_AUTH_MODE: "sharedKey",
    });
    assert.equal(halfConfigured.code, ExitCode.SettingsError);
    assert.match(halfConfigured.stderr, /BATCH_ACCOUNT_KEY is missing/);
  });

  describe("submit", () => {
    let service: LocalServiceHandle;
    before(async () => {
      service = await startLocalService({ nodes: 1 });
      // submit checks the package version exists (the pool has no nodes, so it never runs)
      const packageDir = tempDir("minimal-package");
      fs.writeFileSync(path.join(packageDir, "main.js"), "");
      const zipFile = path.join(packageDir, "minimal.zip");
      fs.writeFileSync(zipFile, await zipDirectory(packageDir));
      deployLocalApplicationPackage(service.dataDir, "minimal", "2.1", zipFile);
      await service
        .client()
        .pool.add({ id: "p", vmSize: "standard_d2s_v3", targetDedicatedNodes: 0, virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION });
    });
    after(() => service.stop());

    it("creates the job with its job manager task, and says when no callback URL is set", async () => {
      const env = cleanEnvironment(
        localWorkloadSettings(service.info, { BATCH_POOL_ID: "p", BATCH_APPLICATION_ID: "minimal", BATCH_APPLICATION_VERSION: "2.1" }),
      );
      const run = await runNode(MINIMAL_WORKLOAD, ["submit", "--job-id", "minimal-1", "--args", '{"size":3}'], env);
      assert.equal(run.code, ExitCode.Success, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), {
        jobId: "minimal-1",
        poolId: "p",
        callbackUrl: null,
        summaryBlob: `${service.info.blobEndpoint}/batch-runtime/minimal-1/summary.json`,
      });
      assert.match(run.stderr, /WARNING runtime\.submit \[job=minimal-1\] No callback URL is set/);
      const job = await service.client().job.get("minimal-1");
      assert.equal(job.usesTaskDependencies, true);
      assert.equal(job.onAllTasksComplete, "terminatejob");
      const manager = job.jobManagerTask!;
      assert.equal(manager.id, "job-manager");
      assert.equal(manager.commandLine, `/bin/sh -c "exec ${process.execPath} --enable-source-maps $AZ_BATCH_APP_PACKAGE_minimal_2_1/main.js job-manager"`);
      assert.deepEqual(manager.applicationPackageReferences, [{ applicationId: "minimal", version: "2.1" }]);
      assert.deepEqual([manager.killJobOnCompletion, manager.runExclusive], [false, false]);
      assert.deepEqual(manager.environmentSettings?.find((s) => s.name === "BATCH_JOB_ARGS")?.value, '{"size":3}');
      const common = Object.fromEntries((job.commonEnvironmentSettings ?? []).map((s) => [s.name, s.value]));
      assert.deepEqual([common.BATCH_AUTH_MODE, common.BATCH_STORAGE_BLOB_ENDPOINT, common.BATCH_ACCOUNT_KEY], ["local", service.info.blobEndpoint, undefined]);
      // the guard that adds the FinalizeTask if the job manager does not: no dependencies, its own role
      const guard = await service.client().task.get("minimal-1", "finalize-guard");
      assert.equal(guard.commandLine, `/bin/sh -c "exec ${process.execPath} --enable-source-maps $AZ_BATCH_APP_PACKAGE_minimal_2_1/main.js finalize-guard"`);
      assert.equal(guard.dependsOn, undefined);
      assert.equal(guard.constraints?.maxTaskRetryCount, 2);
    });

    it("refuses a plain-http callback URL to a remote host before creating anything", async () => {
      const env = cleanEnvironment(
        localWorkloadSettings(service.info, { BATCH_POOL_ID: "p", BATCH_APPLICATION_ID: "minimal", BATCH_APPLICATION_VERSION: "2.1" }),
      );
      const run = await runNode(MINIMAL_WORKLOAD, ["submit", "--job-id", "minimal-2", "--callback-url", "http://hooks.example.com/done"], env);
      assert.equal(run.code, ExitCode.SettingsError);
      assert.match(run.stderr, /BATCH_CALLBACK_URL must use https/);
      assert.equal(
        await service
          .client()
          .job.get("minimal-2")
          .then(
            () => true,
            () => false,
          ),
        false,
      );
    });
  });
});
