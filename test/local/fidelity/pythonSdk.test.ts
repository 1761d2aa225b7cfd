// Why: Microsoft's Python SDK (azure-batch from Debian's python3-azure) runs a whole pool / job / task / file / delete flow against the real local service; each step is asserted on its own.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT, startLocalService, type LocalServiceHandle } from "../../support/localService";

// Debian's interpreter, where python3-azure is installed (scripts/test-python.sh installs it), not a pyenv one on PATH
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(REPO_ROOT, "test", "local", "fidelity", "python", "sdk_flow.py");
const API_VERSION = "2022-10-01.16.0";

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
  ok: boolean;
  result?: Record<string, unknown>;
  error?: string;
}

interface FlowRun {
  steps: Map<string, StepLine>;
  code: number | null;
  stderr: string;
}

function runFlow(service: LocalServiceHandle): Promise<FlowRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BATCH_URL: service.info.batchUrl,
        BATCH_ACCOUNT_NAME: service.info.accountName,
        BATCH_ACCOUNT_KEY: service.info.accountKey,
        NO_PROXY: "127.0.0.1,localhost",
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
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

describe("the Python SDK (azure-batch) runs a whole flow against the local service", { skip: sdkMissing() }, () => {
  let service: LocalServiceHandle;
  let run: FlowRun;

  before(async () => {
    service = await startLocalService({ nodes: 4 });
    run = await runFlow(service);
  });
  after(async () => {
    await service.stop();
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  /** The step's result; fails naming the step, with its error or why it did not run. */
  function step(name: string): Record<string, unknown> {
    const line = run.steps.get(name);
    if (!line) {
      const failed = [...run.steps.values()].find((other) => !other.ok);
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
