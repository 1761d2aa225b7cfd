// Why: Microsoft's Python SDK (azure-batch from Debian's python3-azure) drives every operation family of the real local service; each step is asserted on its own.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ContainerClient, ContainerSASPermissions, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../../src/local/common/defaults";
import { REPO_ROOT, startLocalService, type LocalServiceHandle } from "../../support/localService";

// Debian's interpreter, where python3-azure is installed (scripts/test-python.sh installs it), not a pyenv one on PATH
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(REPO_ROOT, "test", "local", "fidelity", "python", "sdk_flow.py");
const API_VERSION = "2022-10-01.16.0";
/** The script's families besides "core"; each of their steps is named `<family>_...`. */
const FAMILIES = ["nodes", "pools", "schedules", "applications", "account", "tasks", "statistics"];

function sdkMissing(): string | false {
  const probe = spawnSync(PYTHON, ["-c", "from azure.batch import BatchServiceClient; from azure.batch.batch_auth import SharedKeyCredentials"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (probe.status === 0) return false;
  return `${PYTHON} cannot import azure.batch (install Debian's python3-azure, as scripts/test-python.sh does): ${(probe.stderr || String(probe.error ?? "")).trim().split("\n").pop()}`;
}

interface StepLine {
  step: string;
  family: string;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: string;
}

interface FlowRun {
  steps: Map<string, StepLine>;
  code: number | null;
  stderr: string;
}

/** A container on the service's Azurite and a SAS URL to it that lets the node log upload write and the script list. */
async function logsContainer(service: LocalServiceHandle): Promise<string> {
  const container = new ContainerClient(`${service.info.blobEndpoint}/py-node-logs`, new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY));
  await container.create();
  return container.generateSasUrl({ permissions: ContainerSASPermissions.parse("rwcl"), expiresOn: new Date(Date.now() + 3_600_000) });
}

function runFlow(service: LocalServiceHandle, logsContainerUrl: string): Promise<FlowRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BATCH_URL: service.info.batchUrl,
        BATCH_ACCOUNT_NAME: service.info.accountName,
        BATCH_ACCOUNT_KEY: service.info.accountKey,
        FLOW_LOGS_CONTAINER_URL: logsContainerUrl,
        NO_PROXY: "127.0.0.1,localhost",
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      const steps = new Map<string, StepLine>();
      for (const line of stdout.split("\n").filter((text) => text.trim() !== "")) {
        try {
          const parsed = JSON.parse(line) as StepLine;
          steps.set(parsed.step, parsed);
        } catch {
          stderr += `\n(unparsed stdout line) ${line}`;
        }
      }
      resolve({ steps, code, stderr });
    });
  });
}

describe("the Python SDK (azure-batch) drives every operation family of the local service", { skip: sdkMissing() }, () => {
  let service: LocalServiceHandle;
  let run: FlowRun;

  before(async () => {
    // the allocation delay keeps a growing pool resizing for a moment, so the pools family can stop a resize
    service = await startLocalService({ nodes: 4, args: ["--allocation-delay", "1000"] });
    run = await runFlow(service, await logsContainer(service));
  });
  after(async () => {
    await service.stop();
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  /** The step's result; fails naming the step, with its error or why it did not run (a failing step ends its family). */
  function step(name: string): Record<string, unknown> {
    const line = run.steps.get(name);
    if (!line) {
      const family = FAMILIES.find((prefix) => name.startsWith(`${prefix}_`)) ?? "core";
      const failed = [...run.steps.values()].find((other) => !other.ok && other.family === family);
      assert.fail(
        failed
          ? `step ${name} did not run: step ${failed.step} failed first`
          : `step ${name} did not run (the script exited with ${run.code}): ${run.stderr.trim().slice(-2000)}`,
      );
    }
    assert.ok(line.ok, `step ${name} failed: ${line.error}`);
    return line.result ?? {};
  }

  it("runs every step and exits 0", () => {
    assert.equal(run.code, 0, `exit ${run.code}; steps: ${[...run.steps.keys()].join(", ")}; stderr: ${run.stderr.trim().slice(-2000)}`);
  });

  it("versions: azure-batch 13.x sends the api-version the local service speaks", () => {
    const result = step("versions");
    assert.match(String(result.sdkVersion), /^13\./);
    assert.equal(result.clientApiVersion, API_VERSION);
    assert.equal(result.sentApiVersion, API_VERSION);
  });

  it("create_pool: pool.add, then both nodes idle", () => {
    assert.deepEqual(step("create_pool"), { nodeStates: ["idle", "idle"], allocationState: "steady", currentDedicatedNodes: 2 });
  });

  it("patch_pool and update_pool: pool.patch merges, pool.update_properties replaces", () => {
    const startTask = '/bin/sh -c "echo started > started.txt"';
    assert.deepEqual(step("patch_pool"), { metadata: { owner: "python" }, startTask });
    assert.deepEqual(step("update_pool"), { metadata: { stage: "updated" }, startTask });
  });

  it("add_job, patch_job, update_job: job.update replaces what it leaves out (metadata)", () => {
    assert.deepEqual(step("add_job"), { state: "active", poolId: "py-flow-pool", priority: 10 });
    assert.deepEqual(step("patch_job"), { priority: 100, metadata: { flow: "python" } });
    assert.deepEqual(step("update_job"), { priority: 200, maxTaskRetryCount: 1, metadata: {} });
  });

  it("disable_job, add_task, add_collection, update_task, enable_job", () => {
    assert.deepEqual(step("disable_job"), { state: "disabled" });
    assert.deepEqual(step("add_task"), { id: "single", state: "active" });
    assert.deepEqual(step("add_collection"), {
      results: ["many-1", "many-2", "many-3"].map((taskId) => ({ taskId, status: "success", error: null })),
    });
    assert.deepEqual(step("update_task"), { state: "active", maxTaskRetryCount: 2 });
    assert.deepEqual(step("enable_job"), { state: "active" });
  });

  it("wait_for_completion: every task completes with its exit code", () => {
    assert.deepEqual(step("wait_for_completion").tasks, {
      single: { state: "completed", exitCode: 0 },
      "many-1": { state: "completed", exitCode: 0 },
      "many-2": { state: "completed", exitCode: 0 },
      "many-3": { state: "completed", exitCode: 3 },
    });
  });

  it("get_task: completed, exit code 0, success, on a node of the pool", () => {
    const result = step("get_task");
    assert.equal(result.state, "completed");
    assert.equal(result.exitCode, 0);
    assert.equal(result.result, "success");
    assert.equal(typeof result.nodeId, "string");
  });

  it("list_tasks_with_filter: $filter on executionInfo/exitCode, startswith and $select", () => {
    assert.deepEqual(step("list_tasks_with_filter"), {
      exitCode3: ["many-3"],
      // $select=id,state leaves commandLine out
      many: [
        ["many-1", "completed", null],
        ["many-2", "completed", null],
        ["many-3", "completed", null],
      ],
    });
  });

  it("task_counts: 4 completed, 3 succeeded, 1 failed", () => {
    assert.deepEqual(step("task_counts"), { active: 0, running: 0, completed: 4, succeeded: 3, failed: 1 });
  });

  it("list_files and file_properties: the task's stdout.txt and stderr.txt, with its length", () => {
    const names = step("list_files").names as string[];
    assert.ok(names.includes("stdout.txt") && names.includes("stderr.txt"), `names: ${names.join(", ")}`);
    assert.deepEqual(step("file_properties"), { contentLength: "hello from python\n".length, isDirectory: "false" });
  });

  it("download_stdout: the whole file, a byte range, and another task's stderr", () => {
    assert.deepEqual(step("download_stdout"), { stdout: "hello from python\n", range: "hello", stderrOfMany2: "two\n" });
  });

  it("node_files: the start task's output on the task's node", () => {
    assert.deepEqual(step("node_files"), { hasStartTaskOutput: true, started: "started\n" });
  });

  it("terminate_job, delete_job, delete_pool: each gone with its 404 code", () => {
    assert.deepEqual(step("terminate_job"), { state: "completed", terminateReason: "flow done" });
    assert.deepEqual(step("delete_job"), { getAfterDelete: "JobNotFound" });
    assert.deepEqual(step("delete_pool"), { getAfterDelete: "PoolNotFound" });
  });

  it("not_found_after_delete: the job, its task and file, and the pool answer 404; exists is false", () => {
    assert.deepEqual(step("not_found_after_delete"), {
      job: { status: 404, code: "JobNotFound" },
      task: { status: 404, code: "JobNotFound" },
      file: { status: 404, code: "JobNotFound" },
      pool: { status: 404, code: "PoolNotFound" },
      poolExists: false,
      deleteAgain: { status: 404, code: "PoolNotFound" },
    });
  });

  const notFound = (code: string) => ({ status: 404, code });
  const conflict = (code: string) => ({ status: 409, code });
  const badRequest = (code: string) => ({ status: 400, code });

  it("nodes: list and get, disable/enable scheduling (409 when already enabled/disabled)", () => {
    assert.deepEqual(step("nodes_list_and_get"), {
      listed: 2,
      getId: true,
      state: "idle",
      schedulingState: "enabled",
      startTaskExitCode: 0,
      isDedicated: true,
    });
    assert.deepEqual(step("nodes_scheduling"), {
      disabled: ["offline", "disabled"],
      disableAgain: conflict("NodeAlreadyInTargetSchedulingState"),
      enabled: ["idle", "enabled"],
    });
  });

  it("nodes: reboot and reimage leave idle at once and come back idle, booted again / the start task run again", () => {
    // a local node restarts in moments, so right after the call it may already be starting again, or even be back
    // (idle with a later boot time: it did leave idle)
    const restarting = (state: unknown, booted: unknown, first: string) =>
      assert.ok(
        [first, "starting", "waitingforstarttask"].includes(String(state)) || (state === "idle" && booted === true),
        `${state} (booted again: ${booted})`,
      );
    const { rightAfter: rebooting, rightAfterBooted: rebootedAlready, ...rebooted } = step("nodes_reboot");
    restarting(rebooting, rebootedAlready, "rebooting");
    assert.deepEqual(rebooted, { state: "idle", bootedAgain: true });
    const { rightAfter: reimaging, rightAfterBooted: reimagedAlready, ...reimaged } = step("nodes_reimage");
    restarting(reimaging, reimagedAlready, "reimaging");
    assert.deepEqual(reimaged, { state: "idle", startTaskRanAgain: "started\n" });
  });

  it("nodes: users with a password and with an SSH key are added, updated and deleted; remote login is port 22 on loopback", () => {
    assert.deepEqual(step("nodes_add_users"), { duplicate: conflict("NodeUserExists"), badKey: badRequest("InvalidPropertyValue") });
    assert.deepEqual(step("nodes_update_user"), { status: 200, missingUser: notFound("NodeUserNotFound"), pastExpiry: badRequest("InvalidPropertyValue") });
    assert.deepEqual(step("nodes_remote_login"), { ip: "127.0.0.1", port: 22, remoteDesktop: conflict("OperationInvalidForCurrentState") });
    assert.deepEqual(step("nodes_delete_users"), { deleteAgain: notFound("NodeUserNotFound") });
  });

  it("nodes: node files and their properties, no extensions, logs uploaded to the Azurite container", () => {
    assert.deepEqual(step("nodes_files"), {
      startupFiles: ["startup/stderr.txt", "startup/stdout.txt", "startup/wd/started.txt"],
      startedIsDirectory: "false",
      startedLength: "started\n".length,
      missingFile: notFound("FileNotFound"),
    });
    assert.deepEqual(step("nodes_extensions"), { listed: [], getMissing: notFound("NodeExtensionNotFound") });
    assert.deepEqual(step("nodes_upload_logs"), {
      directoryMatches: true,
      numberOfFilesUploaded: 3,
      blobs: ["agent.log", "startup/stderr.txt", "startup/stdout.txt"],
      badUrl: badRequest("InvalidPropertyValue"),
    });
  });

  it("nodes: 404 and 409 codes, then the pool is deleted", () => {
    assert.deepEqual(step("nodes_errors"), {
      nodeNotFound: notFound("NodeNotFound"),
      poolNotFound: notFound("PoolNotFound"),
      rebootMissing: notFound("NodeNotFound"),
      userNotFound: notFound("NodeUserNotFound"),
      enableTwice: conflict("NodeAlreadyInTargetSchedulingState"),
    });
    assert.deepEqual(step("nodes_delete_pool"), { getAfterDelete: "PoolNotFound" });
  });

  it("pools: resize, stop resize (ResizeStopped), resize again and remove a node", () => {
    assert.deepEqual(step("pools_resize_and_stop"), {
      afterResize: "resizing",
      currentDedicatedNodes: 1,
      targetDedicatedNodes: 1,
      resizeErrors: ["ResizeStopped"],
      stopAgain: conflict("PoolNotResizing"),
    });
    assert.deepEqual(step("pools_resize"), { nodes: 2, currentDedicatedNodes: 2, resizeErrors: [] });
    assert.deepEqual(step("pools_remove_nodes"), {
      targetAfterRemove: 1,
      keptTheOther: true,
      removedGone: true,
      unknownNode: badRequest("InvalidPropertyValue"),
    });
  });

  it("pools: autoscale enabled (the formula's run applied), evaluated without applying, disabled", () => {
    assert.deepEqual(step("pools_enable_autoscale"), {
      evaluateBeforeEnable: conflict("AutoScaleNotEnabled"),
      enableAutoScale: true,
      formula: "$TargetDedicatedNodes = 2;",
      intervalMinutes: 5,
      runSetsTwo: true,
      runError: null,
      currentDedicatedNodes: 2,
    });
    assert.deepEqual(step("pools_evaluate_autoscale"), { resultsSetOne: true, error: null, brokenHasError: true, targetUnchanged: 2 });
    assert.deepEqual(step("pools_disable_autoscale"), { enableAutoScale: false, formula: null, resizedAfterDisable: 1 });
  });

  it("pools: 404, 409 and 400 codes, then the pool is deleted", () => {
    assert.deepEqual(step("pools_errors"), {
      poolNotFound: notFound("PoolNotFound"),
      poolExists: conflict("PoolExists"),
      stopWhenSteady: conflict("PoolNotResizing"),
      shortInterval: badRequest("InvalidPropertyValue"),
    });
    assert.deepEqual(step("pools_delete"), { getAfterDelete: "PoolNotFound" });
  });

  it("schedules: added with a recurrence, its first job made at once; listed, exists; the job listed from the schedule", () => {
    assert.deepEqual(step("schedules_add"), {
      state: "active",
      recurrenceSeconds: 60,
      recentJob: "py-schedule:job-1",
      nextRunWithinAMinute: true,
      metadata: { stage: "added" },
    });
    assert.deepEqual(step("schedules_list_and_exists"), { listed: ["py-schedule"], exists: true, existsMissing: false });
    assert.deepEqual(step("schedules_jobs"), { jobs: ["py-schedule:job-1"], state: "active", poolId: "py-schedule-pool", priority: 5 });
  });

  it("schedules: patch merges, update replaces; disable and enable", () => {
    assert.deepEqual(step("schedules_patch_and_update"), {
      patched: { metadata: { stage: "patched" }, recurrenceSeconds: 60 },
      updated: { metadata: {}, recurrenceSeconds: 120 },
    });
    assert.deepEqual(step("schedules_disable_and_enable"), { disabled: "disabled", enabled: "active" });
  });

  it("schedules: 409/404/400 codes; terminate completes it and its job; delete removes both", () => {
    assert.deepEqual(step("schedules_errors"), {
      exists: conflict("JobScheduleExists"),
      notFound: notFound("JobScheduleNotFound"),
      tooShort: badRequest("InvalidPropertyValue"),
    });
    assert.deepEqual(step("schedules_terminate"), {
      state: "completed",
      jobState: "completed",
      terminateReason: "UserTerminate",
      enableAfter: conflict("JobScheduleCompleted"),
    });
    assert.deepEqual(step("schedules_delete"), { getAfterDelete: "JobScheduleNotFound", jobsAfterDelete: ["JobNotFound"], exists: false });
  });

  it("applications: none listed; a missing one is 404 ApplicationNotFound", () => {
    assert.deepEqual(step("applications_list_and_get"), { applications: [], getMissing: notFound("ApplicationNotFound") });
  });

  it("account: supported images (Ubuntu 22.04 among them) and node counts per pool", () => {
    const images = step("account_supported_images");
    assert.ok((images.count as number) > 0, JSON.stringify(images));
    assert.deepEqual({ ...images, count: undefined }, { count: undefined, hasJammy: true, jammyOsType: "linux", everyHasSku: true });
    assert.deepEqual(step("account_pool_node_counts"), {
      pools: ["py-account-pool"],
      dedicated: { idle: 1, running: 0, total: 1 },
      lowPriorityTotal: 0,
      poolAfterDelete: "PoolNotFound",
    });
  });

  it("tasks: a failed task reactivated runs again and succeeds; it has no subtasks", () => {
    const reactivated = step("tasks_reactivate");
    assert.deepEqual(reactivated.first, [2, "failure"]);
    assert.deepEqual(reactivated.second, [0, "success", 0]);
    assert.equal(reactivated.stdout, "second\n");
    const [stateRightAfter, exitCodeRightAfter] = reactivated.rightAfter as [string, number | null];
    assert.ok(["active", "preparing", "running", "completed"].includes(stateRightAfter), stateRightAfter);
    assert.notEqual(exitCodeRightAfter, 2, "the failed attempt's exit code is forgotten on reactivate");
    assert.deepEqual(step("tasks_subtasks"), { subtasks: [] });
  });

  it("tasks: a running task terminated completes as TaskEnded; a task and a task file deleted; preparation status", () => {
    assert.deepEqual(step("tasks_terminate_running"), {
      wasRunning: "running",
      state: "completed",
      result: "failure",
      failureCode: "TaskEnded",
      terminateAgain: conflict("TaskCompleted"),
    });
    assert.deepEqual(step("tasks_delete_task_and_file"), { taskAfterDelete: "TaskNotFound", remaining: ["flaky"], fileAfterDelete: notFound("FileNotFound") });
    assert.deepEqual(step("tasks_preparation_status"), { nodes: 1, poolId: "py-tasks-pool", preparation: ["completed", 0] });
  });

  it("tasks: 409 and 404 codes, then the job and pool are deleted", () => {
    assert.deepEqual(step("tasks_errors"), {
      taskExists: conflict("TaskExists"),
      taskNotFound: notFound("TaskNotFound"),
      jobNotFound: notFound("JobNotFound"),
      reactivateSucceeded: conflict("OperationInvalidForCurrentState"),
      updateCompleted: conflict("TaskCompleted"),
    });
    assert.deepEqual(step("tasks_delete"), { jobAfterDelete: "JobNotFound", poolAfterDelete: "PoolNotFound" });
  });

  it("statistics: job and task $expand=stats count the tasks and their CPU time", () => {
    assert.deepEqual(step("statistics_run_tasks"), { exitCodes: { busy: 0, fails: 4 } });
    assert.deepEqual(step("statistics_job_stats"), {
      withoutExpand: null,
      numSucceededTasks: 1,
      numFailedTasks: 1,
      numTaskRetries: 0,
      cpuPositive: true,
      wallClockPositive: true,
      taskCpuPositive: true,
    });
  });

  it("statistics: lifetime job and pool statistics, and the pool's usage metrics", () => {
    assert.deepEqual(step("statistics_lifetime_job"), {
      atLeastOurSucceeded: true,
      atLeastOurFailed: true,
      cpuPositive: true,
      urlEnds: true,
      spanOrdered: true,
    });
    assert.deepEqual(step("statistics_lifetime_pool"), { dedicatedCoreTimePositive: true, peakMemoryPositive: true, avgCpuInRange: true, urlEnds: true });
    assert.deepEqual(step("statistics_usage_metrics"), {
      vmSize: "standard_d2s_v3",
      intervalMinutes: 30,
      endBeforeStart: badRequest("InvalidQueryParameterValue"),
    });
  });

  it("statistics: 404 and 409 codes, then the job and pool are deleted", () => {
    assert.deepEqual(step("statistics_errors"), {
      jobNotFound: notFound("JobNotFound"),
      noPreparationTask: conflict("JobPreparationTaskOrReleaseTaskNotSpecified"),
      jobExists: conflict("JobExists"),
    });
    assert.deepEqual(step("statistics_delete"), { jobAfterDelete: "JobNotFound", poolAfterDelete: "PoolNotFound" });
  });

  it("a wrong key is refused with 403 AuthenticationFailed through the same SDK", async () => {
    const probe = spawnSync(
      PYTHON,
      [
        "-c",
        [
          "import os",
          "from azure.batch import BatchServiceClient",
          "from azure.batch.batch_auth import SharedKeyCredentials",
          "from azure.batch.models import BatchErrorException",
          "client = BatchServiceClient(SharedKeyCredentials(os.environ['BATCH_ACCOUNT_NAME'], 'd3Jvbmcta2V5' * 4), batch_url=os.environ['BATCH_URL'])",
          "try:\n    client.pool.get('any')\nexcept BatchErrorException as error:\n    print(error.response.status_code, error.error.code)",
        ].join("\n"),
      ],
      {
        encoding: "utf8",
        timeout: 60_000,
        env: { PATH: process.env.PATH, BATCH_URL: service.info.batchUrl, BATCH_ACCOUNT_NAME: service.info.accountName, NO_PROXY: "127.0.0.1,localhost" },
      },
    );
    assert.equal(probe.stdout.trim(), "403 AuthenticationFailed", probe.stderr);
  });
});
