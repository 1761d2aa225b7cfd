// Why: "Batch: Deploy Workload…" and "Batch: Run Job…" in the REAL extension host: deploy to the local service through the command, run the job, see it revealed in the explorer.

import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { DeployResult, RunResult } from "../../../src/core/deploy";
import { runningLocalService } from "../../../src/core/localService/localServiceLease";
import { scriptedPromptUi, type PromptUi } from "../../../src/core/wizard/wizard";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId } from "../../../src/extension/ids";
import { createWorkloadProject, packageVersions, stopLocalService } from "../../core/support/deployHarness";
import { azuriteBlobService, uploadTexts } from "../../runtime/support/localWorkloadEnvironment";
import type { WorkloadProject } from "../../runtime/support/workloadProject";
import { localBatchClient, openExplorer, poll } from "./harness";

suite("Deploy and run workloads from the editor", () => {
  let api: BatchManagerApi;
  let project: WorkloadProject;
  let editorUi: PromptUi;
  const dataDir = process.env.BATCH_MANAGER_LOCAL_DATA!;

  suiteSetup(async () => {
    api = await openExplorer();
    editorUi = api.workflowUi.current;
    project = createWorkloadProject();
  });

  suiteTeardown(async () => {
    api.workflowUi.current = editorUi;
    await vscode.commands.executeCommand(CommandId.localStop);
    await stopLocalService(dataDir);
  });

  test("batchManager.deploy deploys the workload to the local service (started for it) and the explorer joins it", async () => {
    api.workflowUi.current = scriptedPromptUi({ confirms: [true] });
    const result = (await vscode.commands.executeCommand(CommandId.deploy, project.dir)) as DeployResult | undefined;
    assert.ok(result, "the deploy command returned no result (see the Azure Batch output channel)");
    assert.deepEqual([result.target, result.applicationId, result.version, result.poolId], ["local", "example-workload", "1.0.0", "batch-manager-local"]);
    assert.match(result.zipSha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), [{ version: "1.0.0", state: "Active" }]);
    assert.equal(api.localService.state, "running");
    assert.equal(api.localService.connection?.batchUrl, runningLocalService(dataDir)?.batchUrl);
  });

  test("a second deploy asks for the next version; declining the confirmation registers nothing", async () => {
    api.workflowUi.current = scriptedPromptUi({ picks: ["patch"], confirms: [false] });
    const result = await vscode.commands.executeCommand(CommandId.deploy, project.dir);
    assert.equal(result, undefined, "a cancelled deploy is silent");
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), [{ version: "1.0.0", state: "Active" }]);
  });

  test("batchManager.runJob submits the job, reveals it in the explorer, and it runs to completion", async () => {
    await uploadTexts(azuriteBlobService(runningLocalService(dataDir)!), "inputs", { "editor/a.txt": "one\ntwo\n" });
    api.workflowUi.current = scriptedPromptUi({ inputs: [JSON.stringify({ inputContainer: "inputs", inputPrefix: "editor/", outputContainer: "outputs" })] });
    const run = (await vscode.commands.executeCommand(CommandId.runJob, project.dir)) as RunResult | undefined;
    assert.ok(run, "the run command returned no result (see the Azure Batch output channel)");
    assert.match(run.jobId, /^example-workload-/);
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
});
