// Why: application packages from a real ApplicationStore of zips: extraction into applications/, AZ_BATCH_APP_PACKAGE_* names, reuse, failures.
import AdmZip from "adm-zip";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { NodeRecord } from "../../../src/local/store/model";
import { addPool, harness, launch, never, nodesOf, parseEnv, readText, readyNode, waitFor, type Harness } from "./helpers";

function addPackage(h: Harness, id: string, version: string, files: Record<string, string>, makeDefault = false): void {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(files)) zip.addFile(name, Buffer.from(content));
  const folder = path.join(h.dataDir, "zips", id);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${version}.zip`);
  zip.writeZip(file);
  h.applications.add(id, version, file, { makeDefault });
}

const appVars = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("AZ_BATCH_APP_PACKAGE_")));

describe("application packages", () => {
  let h: Harness;
  let node: NodeRecord;
  const poolRefs = [{ applicationId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Batch/batchAccounts/a/applications/ffmpeg" }];

  before(async () => {
    h = harness();
    addPackage(h, "ffmpeg", "4.1", { "bin/ffmpeg.txt": "ffmpeg 4.1" }, true);
    addPackage(h, "Agent-linux-x64", "1.1.46.0", { "agent.txt": "agent" });
    addPackage(h, "blender", "2.7", { "blender.txt": "2.7" }, true);
    addPackage(h, "blender", "2.8-beta", { "blender.txt": "2.8" });
    node = await readyNode(h, "apps", { applicationPackageReferences: poolRefs, startTask: { commandLine: "/usr/bin/env" } });
  });
  after(() => h.close());

  it("deploys the pool's packages when the node joins; the start task sees them (versioned and default names)", () => {
    assert.equal(node.wire.state, "idle");
    const folder = path.join(node.rootDir, "applications", "ffmpeg4.1");
    assert.equal(readText(path.join(folder, "bin", "ffmpeg.txt")), "ffmpeg 4.1");
    const env = parseEnv(readText(path.join(node.rootDir, "startup", "stdout.txt")));
    assert.deepEqual(appVars(env), { AZ_BATCH_APP_PACKAGE_ffmpeg_4_1: folder, AZ_BATCH_APP_PACKAGE_ffmpeg: folder });
  });

  it("task packages: lower-cased flattened names, case-preserved alias, unversioned name only for default-version references", async () => {
    const spec = {
      id: "t1",
      commandLine: "/usr/bin/env",
      applicationPackageReferences: [
        { applicationId: "Agent-linux-x64", version: "1.1.46.0" },
        { applicationId: "blender" },
        { applicationId: "BLENDER", version: "2.8-beta" },
      ],
    };
    const pool = h.state.getPool("apps")!.wire;
    const result = await h.agent.run(launch(node, pool, { kind: "task", jobId: "j", taskId: "t1", job: { id: "j" }, spec }), never);
    assert.equal(result.exitCode, 0);
    const apps = path.join(node.rootDir, "applications");
    assert.deepEqual(appVars(parseEnv(readText(path.join(result.taskDir, "stdout.txt")))), {
      AZ_BATCH_APP_PACKAGE_ffmpeg_4_1: path.join(apps, "ffmpeg4.1"),
      AZ_BATCH_APP_PACKAGE_ffmpeg: path.join(apps, "ffmpeg4.1"),
      AZ_BATCH_APP_PACKAGE_agent_linux_x64_1_1_46_0: path.join(apps, "Agent-linux-x641.1.46.0"),
      AZ_BATCH_APP_PACKAGE_Agent_linux_x64_1_1_46_0: path.join(apps, "Agent-linux-x641.1.46.0"),
      AZ_BATCH_APP_PACKAGE_blender_2_7: path.join(apps, "blender2.7"),
      AZ_BATCH_APP_PACKAGE_blender: path.join(apps, "blender2.7"),
      AZ_BATCH_APP_PACKAGE_blender_2_8_beta: path.join(apps, "blender2.8-beta"),
      AZ_BATCH_APP_PACKAGE_BLENDER_2_8_beta: path.join(apps, "blender2.8-beta"),
    });
    assert.equal(readText(path.join(apps, "blender2.8-beta", "blender.txt")), "2.8");
    assert.equal(readText(path.join(apps, "Agent-linux-x641.1.46.0", "agent.txt")), "agent");
    assert.deepEqual(fs.readdirSync(apps).sort(), ["Agent-linux-x641.1.46.0", "blender2.7", "blender2.8-beta", "ffmpeg4.1"]);
  });

  it("reuses a deployed package (once per node), also for concurrent tasks", async () => {
    const marker = path.join(node.rootDir, "applications", "blender2.7", "marker");
    fs.writeFileSync(marker, "kept");
    const pool = h.state.getPool("apps")!.wire;
    const spec = (id: string) => ({ id, commandLine: "/bin/true", applicationPackageReferences: [{ applicationId: "blender", version: "2.7" }] });
    const results = await Promise.all(
      ["r1", "r2", "r3"].map((id) => h.agent.run(launch(node, pool, { kind: "task", jobId: "j", taskId: id, job: { id: "j" }, spec: spec(id) }), never)),
    );
    assert.deepEqual(
      results.map((result) => result.exitCode),
      [0, 0, 0],
    );
    assert.equal(readText(marker), "kept");
  });

  it("a missing version is a pre-processing error (ApplicationPackageError); the command never runs", async () => {
    const pool = h.state.getPool("apps")!.wire;
    const spec = { id: "m1", commandLine: "/usr/bin/touch ran", applicationPackageReferences: [{ applicationId: "blender", version: "9.9" }] };
    const result = await h.agent.run(launch(node, pool, { kind: "task", jobId: "j", taskId: "m1", job: { id: "j" }, spec }), never);
    assert.equal(result.failureKind, "preProcessing");
    assert.equal(result.exitCode, undefined);
    assert.deepEqual([result.failureInfo?.category, result.failureInfo?.code], ["usererror", "ApplicationPackageError"]);
    assert.ok(result.failureInfo?.details?.some((detail) => detail.name === "ApplicationId" && detail.value === "blender"));
    assert.equal(fs.existsSync(path.join(result.workingDir, "ran")), false);
    // it still leaves its task directory, as a Batch node does, though its process never started (and so never made them)
    assert.deepEqual(fs.readdirSync(result.taskDir).sort(), ["certs", "wd"]);
  });

  it("a reference without version to an application without default version fails too", async () => {
    const pool = h.state.getPool("apps")!.wire;
    const spec = { id: "m2", commandLine: "/bin/true", applicationPackageReferences: [{ applicationId: "Agent-linux-x64" }] };
    const result = await h.agent.run(launch(node, pool, { kind: "task", jobId: "j", taskId: "m2", job: { id: "j" }, spec }), never);
    assert.equal(result.failureInfo?.code, "ApplicationPackageError");
  });

  it("a pool package that cannot be deployed makes the node unusable, with the reason in errors[]", async () => {
    addPool(h, "badapps", { applicationPackageReferences: [{ applicationId: "nosuchapp", version: "1" }] });
    const bad = await waitFor("unusable", () => nodesOf(h, "badapps").find((n) => n.wire.state === "unusable"));
    const [error] = bad.wire.errors as { code: string; message: string; errorDetails: { name: string; value: string }[] }[];
    assert.equal(error.code, "ApplicationPackageError");
    assert.ok(error.errorDetails.some((detail) => detail.value === "nosuchapp"));
    assert.equal(bad.wire.startTaskInfo, undefined);
  });
});
