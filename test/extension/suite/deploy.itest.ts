// Why: "Batch: Deploy Workload…" and "Batch: Run Job…" in the REAL extension host: deploy to the local service through the command, run the job with live progress, see it revealed in the explorer, cancel and terminate.

import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { DeployResult, RunResult } from "../../../src/core/deploy";
import { runningLocalService } from "../../../src/core/localService/localServiceLease";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId } from "../../../src/extension/common/ids";
import { createWorkloadProject, packageVersions } from "../../core/support/deployHarness";
import { azuriteBlobService, uploadTexts } from "../../runtime/support/localWorkloadEnvironment";
import type { WorkloadProject } from "../../runtime/support/workloadProject";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, scriptedUi } from "./harness";

/** Wraps the real progress notification of Run Job: records what it shows, and cancels (as its Cancel button does) once `cancelWhen` says so. */
function watchProgress(api: BatchManagerApi, cancelWhen?: (message: string) => boolean) {
  const ui = api.ui.current;
  const shown: { message: string; increment?: number }[] = [];
  const cancel = new AbortController();
  api.ui.current = {
    ...ui,
    progress: (title, body, options) =>
      ui.progress(
        title,
        (signal, report) =>
          body(AbortSignal.any([signal, cancel.signal]), (message, increment) => {
            shown.push({ message, increment });
            report(message, increment);
            if (cancelWhen?.(message)) cancel.abort();
          }),
        options,
      ),
  };
  return { shown, restore: () => (api.ui.current = ui) };
}

suite("Deploy and run workloads from the editor", () => {
  let api: BatchManagerApi;
  let project: WorkloadProject;
  let editorUi: EditorUi;
  const dataDir = process.env.BATCH_MANAGER_LOCAL_DATA!;

  suiteSetup(async () => {
    api = await openExplorer();
    editorUi = api.ui.current;
    project = createWorkloadProject();
  });

  suiteTeardown(async () => {
    api.ui.current = editorUi;
    await resetLocalDataFolder(api);
  });

  test("batchManager.deploy deploys the workload to the local service (started for it) and the explorer joins it", async () => {
    api.ui.current = scriptedUi(editorUi, { confirms: [true] });
    const result = (await vscode.commands.executeCommand(CommandId.deploy, project.dir)) as DeployResult | undefined;
    assert.ok(result, "the deploy command returned no result (see the Azure Batch output channel)");
    assert.deepEqual([result.target, result.applicationId, result.version, result.poolId], ["local", "example-workload", "1.0.0", "batch-manager-local"]);
    assert.match(result.zipSha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), [{ version: "1.0.0", state: "Active" }]);
    assert.equal(api.localService.state, "running");
    assert.equal(api.localService.connection?.batchUrl, runningLocalService(dataDir)?.batchUrl);
  });

  test("a second deploy asks for the next version; declining the confirmation registers nothing", async () => {
    api.ui.current = scriptedUi(editorUi, { picks: ["patch"], confirms: [false] });
    const result = await vscode.commands.executeCommand(CommandId.deploy, project.dir);
    assert.equal(result, undefined, "a cancelled deploy is silent");
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), [{ version: "1.0.0", state: "Active" }]);
  });

  test("batchManager.runJob submits the job, reveals it in the explorer, and it runs to completion", async () => {
    await uploadTexts(azuriteBlobService(runningLocalService(dataDir)!), "inputs", { "editor/a.txt": "one\ntwo\n" });
    api.ui.current = scriptedUi(editorUi, { inputs: [JSON.stringify({ inputContainer: "inputs", inputPrefix: "editor/", outputContainer: "outputs" })] });
    const progress = watchProgress(api);
    const run = (await vscode.commands.executeCommand(CommandId.runJob, project.dir)) as RunResult | undefined;
    progress.restore();
    assert.ok(run, "the run command returned no result (see the Azure Batch output channel)");
    assert.match(run.jobId, /^example-workload-/);
    // the notification followed the job: task counts while it ran, the bar filled to 100% when it completed
    assert.ok(
      progress.shown.some((shown) => /^\d+\/\d+ tasks done \(\d+ running, 0 failed\)/.test(shown.message)),
      progress.shown.map((p) => p.message).join("\n"),
    );
    assert.match(progress.shown.at(-1)!.message, new RegExp(`^job ${run.jobId} completed: (\\d+)/\\1 tasks done \\(0 running, 0 failed\\) — 100%$`));
    assert.equal(
      progress.shown.reduce((sum, shown) => sum + (shown.increment ?? 0), 0),
      100,
    );
    assert.equal(run.succeeded, true);
    await poll(
      () => (api.explorer.selection.some((node) => node.id.endsWith(`job:${run.jobId}`)) ? true : undefined),
      "the job to be selected in the explorer",
      30_000,
    );
    const job = await poll(
      async () => {
        const current = await localBatchClient(api).job.get(run.jobId);
        return current.state === "completed" ? current : undefined;
      },
      "the job to complete",
      240_000,
      500,
    );
    assert.equal(job.executionInfo?.terminateReason, "AllTasksComplete");
  });

  test("cancelling Run Job's progress stops waiting and asks whether to terminate the job: yes terminates it, no leaves it running", async () => {
    const args = JSON.stringify({ inputContainer: "inputs", inputPrefix: "editor/", outputContainer: "outputs" });
    api.ui.current = scriptedUi(editorUi, { inputs: [args], confirms: [false] });
    let progress = watchProgress(api, (message) => message.includes("submitted"));
    const kept = (await vscode.commands.executeCommand(CommandId.runJob, project.dir)) as RunResult | undefined;
    progress.restore();
    assert.ok(kept, "a cancelled wait still returns where the job stands");
    assert.notEqual((await localBatchClient(api).job.get(kept.jobId)).executionInfo?.terminateReason, "UserTerminate", "declined: the job was not terminated");

    api.ui.current = scriptedUi(editorUi, { inputs: [args], confirms: [true] });
    progress = watchProgress(api, (message) => message.includes("submitted"));
    const stopped = (await vscode.commands.executeCommand(CommandId.runJob, project.dir)) as RunResult | undefined;
    progress.restore();
    assert.ok(stopped);
    assert.ok(!progress.shown.some((shown) => shown.message.includes("tasks done")), "waiting stopped at the cancel");
    const job = await poll(
      async () => {
        const current = await localBatchClient(api).job.get(stopped.jobId);
        return current.state === "completed" ? current : undefined;
      },
      "the terminated job to complete",
      60_000,
      250,
    );
    assert.equal(job.executionInfo?.terminateReason, "UserTerminate");
    await poll(
      async () => ((await localBatchClient(api).job.get(kept.jobId)).state === "completed" ? true : undefined),
      "the job left running to complete",
      240_000,
      500,
    );
  });
});
