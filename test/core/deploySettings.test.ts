// Why: the deterministic rules under deploy: settings validation messages, application ids from package names, SemVer ordering and bumps, Conventional Commit classification.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { compareVersions } from "../../src/core/deploy/applicationPackages";
import { bumpOf } from "../../src/core/deploy/conventionalCommits";
import { checkDeploymentSettings, DeploymentSettingsError } from "../../src/core/deploy/deploySettings";
import { nextVersion } from "../../src/core/deploy/versioning";
import { applicationIdFromName, readWorkloadManifest } from "../../src/core/deploy/workloadManifest";
import { REPO_ROOT, tempDir } from "../support/localService";

const problems = (value: unknown) => {
  try {
    checkDeploymentSettings(value, "batch-manager.json");
  } catch (error) {
    assert.ok(error instanceof DeploymentSettingsError);
    return error.problems;
  }
  return [];
};

describe("deployment settings and versions", () => {
  it("accepts a complete Azure settings file and a bare local one", () => {
    assert.deepEqual(problems({ target: "local" }), []);
    const azure = {
      subscriptionId: "11111111-2222-3333-4444-555555555555",
      resourceGroup: "rg",
      accountName: "contosodev",
      pool: { id: "p", create: { vmSize: "standard_d2s_v3", nodeRuntime: { applicationId: "nodejs", version: "20.19.0", nodeVersion: "20.19.0" } } },
      identity: {
        resourceId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
        clientId: "66666666-7777-8888-9999-000000000000",
      },
      callbackUrl: "https://hooks.example.com/x",
    };
    assert.deepEqual(problems(azure), []);
  });

  it("names every bad setting, and refuses secrets by name", () => {
    const found = problems({ accountName: "Bad_Name", storageAccountKey: "k", pool: { id: "p", create: { vmSize: "x" } } });
    assert.ok(
      found.includes(
        "'storageAccountKey' looks like a secret: secrets never go in deployment settings (sign in with VS Code or @azure/identity instead); remove it",
      ),
      found.join("\n"),
    );
    assert.ok(found.includes("'accountName' must match pattern \"^[a-z0-9]{3,24}$\""), found.join("\n"));
    assert.ok(found.includes("'pool.create.nodeRuntime' is required"), found.join("\n"));
    assert.ok(found.includes("'subscriptionId' is required"), found.join("\n"));
  });

  it("the schema package.json contributes is the one the CLI validates with", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    const entry = pkg.contributes.jsonValidation.find((e) => e.fileMatch === "batch-manager.json");
    assert.equal(entry?.url, "./schemas/deployment-settings.schema.json");
    assert.ok(fs.existsSync(path.join(REPO_ROOT, entry.url)));
  });

  it("makes a valid Batch application id of a package name", () => {
    assert.equal(applicationIdFromName("@team/My Workload.v2"), "team-My-Workload-v2");
    assert.equal(applicationIdFromName("x".repeat(80)).length, 64);
    assert.equal(applicationIdFromName("@@@"), "workload");
  });

  it("refuses a package.json version that is not SemVer, naming the field", () => {
    const dir = tempDir("manifest");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "w", version: "1.0" }));
    assert.throws(() => readWorkloadManifest(dir), /'version' must be a SemVer version such as 1\.0\.0 \(got "1\.0"\)/);
  });

  it("orders versions as SemVer and bumps above every deployed one", () => {
    assert.deepEqual(["1.10.0", "1.9.0", "1.2.3-beta.1", "1.2.3"].sort(compareVersions), ["1.2.3-beta.1", "1.2.3", "1.9.0", "1.10.0"]);
    assert.equal(nextVersion("1.0.0", ["1.0.0", "1.9.0", "1.10.0"], "patch"), "1.10.1");
    assert.equal(nextVersion("1.0.0", ["1.0.0", "1.10.0"], "minor"), "1.11.0");
    assert.equal(nextVersion("1.0.0", ["1.0.0"], "major"), "2.0.0");
  });

  it("classifies Conventional Commit messages", () => {
    assert.equal(bumpOf("fix: x", ""), "patch");
    assert.equal(bumpOf("feat(api): x", ""), "minor");
    assert.equal(bumpOf("feat!: x", ""), "major");
    assert.equal(bumpOf("refactor(core)!: x", ""), "major");
    assert.equal(bumpOf("chore: x", "details\n\nBREAKING CHANGE: args renamed"), "major");
    assert.equal(bumpOf("docs: feat: in the middle", ""), "patch");
  });
});
