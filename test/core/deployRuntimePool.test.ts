// Why: the Azure deploy path run against the local management endpoints: a pool created through ARM from a pool definition (Node.js runtime package + start task, managed identity), a job run on it, pending versions reported, run without --args.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { BlockBlobClient } from "@azure/storage-blob";
import { runningLocalService } from "../../src/core/localService/localServiceLease";
import { createBatchClient } from "../../src/core/localService/batchClient";
import { zipDirectory } from "../../src/core/workload/zipWorkload";
import { nodeRootDir } from "../../src/local/node/taskLayout";
import { tempDir, waitFor } from "../support/localService";
import { azuriteBlobService, uploadTexts } from "../runtime/support/localWorkloadEnvironment";
import type { WorkloadProject } from "../runtime/support/workloadProject";
import { createWorkloadProject, jsonLine, localArmClient, packageVersions, runCli, stopLocalService } from "./support/deployHarness";

const IDENTITY =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/batch-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/workload";
const NODE_VERSION = process.versions.node;

describe("deploy through ARM on the local endpoints: runtime pool, identity, pending versions, run without --args", () => {
  const dataDir = tempDir("deploy-runtime");
  let project: WorkloadProject;
  const batch = (): BatchServiceClient => createBatchClient(runningLocalService(dataDir)!);

  before(() => {
    project = createWorkloadProject();
    const settings = {
      target: "local",
      pool: {
        id: "runtime-pool",
        create: {
          vmSize: "standard_d2s_v3",
          targetDedicatedNodes: 1,
          taskSlotsPerNode: 4,
          nodeRuntime: { applicationId: "nodejs", version: NODE_VERSION, nodeVersion: NODE_VERSION },
        },
      },
      identity: { resourceId: IDENTITY, clientId: "66666666-7777-8888-9999-000000000000" },
    };
    fs.writeFileSync(path.join(project.dir, "batch-manager.json"), JSON.stringify(settings, null, 2));
  });
  after(() => stopLocalService(dataDir));

  it("a pool definition whose Node.js runtime package is not deployed fails at the pool step, naming it; nothing is registered", async () => {
    const result = await runCli(["deploy", project.dir, "--yes"], { dataDir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /creating the pool 'runtime-pool' \(settings pool\.create\) failed: properties\.applicationPackages\[0\]: the application 'nodejs' does not exist/,
    );
    await assert.rejects(packageVersions(dataDir, "example-workload"), { statusCode: 404 });
    await assert.rejects(localArmClient(dataDir).poolOperations.get("local", "localbatch", "runtime-pool"), { statusCode: 404 });
  });

  it("deploy creates the pool through ARM: the runtime package's start task puts node on the nodes, the identity is assigned, a job runs on it", async () => {
    // the Node.js runtime package: bin/node (here a launcher of this machine's node, so the package stays small)
    const runtimeDir = fs.mkdtempSync(path.join(dataDir, "nodejs-"));
    fs.mkdirSync(path.join(runtimeDir, "bin"));
    fs.writeFileSync(path.join(runtimeDir, "bin", "node"), `#!/bin/sh\nexec ${process.execPath} "$@"\n`, { mode: 0o755 });
    const arm = localArmClient(dataDir);
    const pending = await arm.applicationPackageOperations.create("local", "localbatch", "nodejs", NODE_VERSION);
    await new BlockBlobClient(pending.storageUrl!).uploadData(await zipDirectory(runtimeDir));
    await arm.applicationPackageOperations.activate("local", "localbatch", "nodejs", NODE_VERSION, { format: "zip" });

    const result = await runCli(["deploy", project.dir, "--yes", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonLine<{ poolId: string }>(result).poolId, "runtime-pool");
    const pool = await arm.poolOperations.get("local", "localbatch", "runtime-pool");
    assert.match(pool.applicationPackages?.[0]?.id ?? "", /\/batchAccounts\/localbatch\/applications\/nodejs$/);
    assert.equal(pool.applicationPackages?.[0]?.version, NODE_VERSION);
    assert.match(pool.startTask?.commandLine ?? "", /cp \$AZ_BATCH_APP_PACKAGE_nodejs_\d+_\d+_\d+\/bin\/node \$AZ_BATCH_NODE_SHARED_DIR\/node/);
    assert.ok(pool.identity?.userAssignedIdentities?.[IDENTITY], "the settings' identity is assigned to the pool");
    assert.equal((await batch().pool.get("runtime-pool")).identity?.userAssignedIdentities?.[0]?.resourceId, IDENTITY, "the data plane sees the same pool");

    const node = await waitFor(
      async () => (await batch().computeNode.list("runtime-pool")).find((n) => n.state === "idle" && n.startTaskInfo?.state === "completed"),
      "the runtime pool's node to finish its start task",
      90_000,
      250,
    );
    assert.equal(node.startTaskInfo?.exitCode, 0);
    const sharedNode = path.join(nodeRootDir(dataDir, "runtime-pool", node.id!), "shared", "node");
    assert.equal(execFileSync(sharedNode, ["--version"]).toString().trim(), `v${NODE_VERSION}`, "node from the runtime package is on the shared PATH folder");

    await uploadTexts(azuriteBlobService(runningLocalService(dataDir)!), "inputs", { "rt/a.txt": "one\n" });
    const args = JSON.stringify({ inputContainer: "inputs", inputPrefix: "rt/", outputContainer: "outputs" });
    const run = await runCli(["run", project.dir, "--wait", "--json", "--args", args, "--job-id", "runtime-ok"], { dataDir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await batch().job.get("runtime-ok")).poolInfo?.poolId, "runtime-pool");
  });

  it("run without --args gives the job manager {} (not null)", async () => {
    const run = await runCli(["run", project.dir, "--json", "--job-id", "no-args"], { dataDir });
    assert.equal(run.code, 0, run.stderr);
    const job = await batch().job.get("no-args");
    const setting = job.jobManagerTask?.environmentSettings?.find((s) => s.name === "BATCH_JOB_ARGS");
    assert.equal(setting?.value, "{}");
    await batch().job.terminate("no-args");
  });

  it("pending versions (what a crash mid-upload leaves) are reported by the next deploy; the one being deployed is replaced", async () => {
    // a killed deploy leaves a version created (pending) with part of its zip uploaded, never activated
    const arm = localArmClient(dataDir);
    const zip = await zipDirectory(path.join(project.dir, "dist"));
    for (const version of ["1.0.1", "1.5.0"]) {
      const pending = await arm.applicationPackageOperations.create("local", "localbatch", "example-workload", version);
      await new BlockBlobClient(pending.storageUrl!).uploadData(zip.subarray(0, zip.length >> 1));
    }
    const plan = await runCli(["deploy", project.dir, "--dry-run", "--bump", "patch"], { dataDir });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stderr, /found 2 pending \(created, never activated\) version\(s\) of example-workload: 1\.0\.1, 1\.5\.0/);
    assert.match(plan.stdout, /pending version example-workload 1\.0\.1 .*: deleted, then registered again by this deploy/);
    assert.match(plan.stdout, /pending version example-workload 1\.5\.0 .*: left as it is, jobs cannot use it; deploying version 1\.5\.0 again replaces it/);

    const result = await runCli(["deploy", project.dir, "--yes", "--bump", "patch", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    const deployed = jsonLine<{ version: string; pendingVersions: string[] }>(result);
    assert.deepEqual([deployed.version, deployed.pendingVersions], ["1.0.1", ["1.0.1", "1.5.0"]]);
    assert.deepEqual(
      (await packageVersions(dataDir, "example-workload")).map((v) => `${v.version} ${v.state}`),
      ["1.0.0 Active", "1.0.1 Active", "1.5.0 Pending"],
    );
  });
});
