// Why: `batch-manager promote` against the real local service: refused without a successful dev run (exit 4), allowed after one, --force, and the default version set through ARM.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { runningLocalService } from "../../src/core/localService/localServiceLease";
import { tempDir } from "../support/localService";
import { azuriteBlobService, uploadTexts } from "../runtime/support/localWorkloadEnvironment";
import type { WorkloadProject } from "../runtime/support/workloadProject";
import { createWorkloadProject, jsonLine, localArmClient, runCli } from "./support/deployHarness";
import { stopLocalService } from "./support/deployHarness";

describe("batch-manager promote (local dev and production settings)", () => {
  const dataDir = tempDir("deploy-promote");
  let project: WorkloadProject;
  const defaultVersion = async () => (await localArmClient(dataDir).applicationOperations.get("local", "localbatch", "example-workload")).defaultVersion;

  before(async () => {
    project = createWorkloadProject();
    fs.writeFileSync(path.join(project.dir, "dev.json"), JSON.stringify({ target: "local" }));
    fs.writeFileSync(path.join(project.dir, "prod.json"), JSON.stringify({ target: "local", pool: { id: "prod-pool" } }));
    const deployed = await runCli(["deploy", project.dir, "--yes", "--settings", "dev.json"], { dataDir });
    assert.equal(deployed.code, 0, deployed.stderr);
  });
  after(() => stopLocalService(dataDir));

  it("refuses a version with no successful run on the dev account (exit 4), naming the fix; nothing changes", async () => {
    const result = await runCli(["promote", project.dir, "--from", "dev.json", "--to", "prod.json", "--yes"], { dataDir });
    assert.equal(result.code, 4, result.stderr);
    assert.match(
      result.stderr,
      /example-workload 1\.0\.0 has no successful run recorded on the dev account \(.*dev\.json\): run it there first .* or pass --force/,
    );
    assert.equal(await defaultVersion(), undefined);
  });

  it("without --yes and without a terminal, the approval cannot be given: it fails and nothing changes", async () => {
    const result = await runCli(["promote", project.dir, "--from", "dev.json", "--to", "prod.json", "--force"], { dataDir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not an interactive terminal: pass --yes to approve the promotion/);
    assert.equal(await defaultVersion(), undefined);
  });

  it("after a successful run on dev, promote --yes makes the version the default on production", async () => {
    await uploadTexts(azuriteBlobService(runningLocalService(dataDir)!), "inputs", { "p/a.txt": "one\n" });
    const args = JSON.stringify({ inputContainer: "inputs", inputPrefix: "p/", outputContainer: "outputs" });
    const run = await runCli(["run", project.dir, "--settings", "dev.json", "--wait", "--args", args], { dataDir });
    assert.equal(run.code, 0, run.stderr);
    const result = await runCli(["promote", project.dir, "--from", "dev.json", "--to", "prod.json", "--yes", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    const promoted = jsonLine<{ applicationId: string; version: string; devJobId?: string }>(result);
    assert.deepEqual([promoted.applicationId, promoted.version], ["example-workload", "1.0.0"]);
    assert.match(promoted.devJobId ?? "", /^example-workload-/);
    assert.equal(await defaultVersion(), "1.0.0");
  });

  it("refuses invalid settings before anything runs, naming the setting (exit 2)", async () => {
    fs.writeFileSync(path.join(project.dir, "bad.json"), JSON.stringify({ target: "local", accountKey: "abc", pool: { id: "has space" } }));
    const result = await runCli(["deploy", project.dir, "--yes", "--settings", "bad.json"], { dataDir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /'accountKey' looks like a secret: secrets never go in deployment settings/);
    assert.match(result.stderr, /'pool\.id' must match pattern/);
    const azure = await runCli(["deploy", project.dir, "--yes", "--settings", "prod-azure.json"], { dataDir });
    assert.equal(azure.code, 1);
    assert.match(azure.stderr, /prod-azure\.json does not exist/);
    fs.writeFileSync(path.join(project.dir, "azure.json"), JSON.stringify({ accountName: "mybatch" }));
    const missing = await runCli(["deploy", project.dir, "--dry-run", "--settings", "azure.json"], { dataDir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /'subscriptionId' is required/);
    assert.match(missing.stderr, /'resourceGroup' is required/);
  });
});
