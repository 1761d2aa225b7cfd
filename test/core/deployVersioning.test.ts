// Why: deploy's versioning and fault paths against the real local service: --bump auto from a Conventional Commit history, an interactive choice, a cancelled deploy leaving nothing behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { UserCancelledError } from "../../src/core/cancellation";
import { deployWorkload } from "../../src/core/deploy";
import { scriptedPromptUi } from "../../src/core/wizard/wizard";
import { CLI, tempDir } from "../support/localService";
import type { WorkloadProject } from "../runtime/support/workloadProject";
import { createWorkloadProject, jsonLine, packageVersions, runCli, stopLocalService } from "./support/deployHarness";

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, env: GIT_ENV, stdio: "pipe" });
const packageVersion = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;

function commit(dir: string, message: string): void {
  fs.appendFileSync(path.join(dir, "CHANGES.txt"), `${message}\n`);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}

describe("deploy versioning and cancellation (local service, real ARM client)", () => {
  const dataDir = tempDir("deploy-versions");
  let project: WorkloadProject;
  const quiet = { report: () => undefined };

  before(async () => {
    project = createWorkloadProject();
    fs.writeFileSync(path.join(project.dir, ".gitignore"), "node_modules\ndist\n");
    git(project.dir, "init", "-q");
    commit(project.dir, "chore: initial workload");
    const first = await deployWorkload({
      workloadDir: project.dir,
      cliPath: CLI,
      dataDir,
      yes: true,
      ui: scriptedPromptUi({}),
      progress: quiet,
      signal: new AbortController().signal,
    });
    assert.equal(first.version, "1.0.0");
  });
  after(() => stopLocalService(dataDir));

  it("--bump auto takes the largest bump the Conventional Commits ask for, since the last deployed version's tag", async () => {
    commit(project.dir, "fix: handle empty lines");
    commit(project.dir, "feat(transform): lower-case mode");
    let result = await runCli(["deploy", project.dir, "--yes", "--bump", "auto", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonLine<{ version: string }>(result).version, "1.1.0");
    assert.match(
      jsonLine<{ plan: string[] }>(result).plan.join("\n"),
      /next minor from Conventional Commits: feat\(transform\): lower-case mode \(the whole history, 3 commits\)/,
    );
    assert.equal(packageVersion(project.dir), "1.1.0", "package.json follows the deployed version");

    git(project.dir, "commit", "-q", "-am", "chore: release 1.1.0");
    git(project.dir, "tag", "v1.1.0");
    commit(project.dir, "fix: typo");
    commit(project.dir, "refactor!: new job arguments");
    result = await runCli(["deploy", project.dir, "--yes", "--bump", "auto", "--json"], { dataDir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonLine<{ version: string }>(result).version, "2.0.0");
    assert.match(result.stdout, /since tag v1\.1\.0, 2 commits/);

    git(project.dir, "commit", "-q", "-am", "chore: release 2.0.0");
    git(project.dir, "tag", "v2.0.0");
    commit(project.dir, "fix: off by one");
    result = await runCli(["deploy", project.dir, "--yes", "--bump", "auto", "--json"], { dataDir });
    assert.equal(jsonLine<{ version: string }>(result).version, "2.0.1");
    // SemVer order, not text order
    assert.deepEqual((await packageVersions(dataDir, "example-workload")).map((v) => v.version).sort(), ["1.0.0", "1.1.0", "2.0.0", "2.0.1"]);
  });

  it("--bump auto outside a git work tree says so and names the other --bump values", async () => {
    const plain = createWorkloadProject();
    await deployWorkload({
      workloadDir: plain.dir,
      cliPath: CLI,
      dataDir,
      yes: true,
      ui: scriptedPromptUi({}),
      progress: quiet,
      signal: new AbortController().signal,
    }).catch(() => undefined);
    const result = await runCli(["deploy", plain.dir, "--yes", "--bump", "auto"], { dataDir, env: { GIT_CEILING_DIRECTORIES: path.dirname(plain.dir) } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--bump auto reads Conventional Commits from git, but .* is not in a git work tree: pass --bump patch\|minor\|major/);
  });

  it("interactively, an existing version offers the next patch/minor/major; declining the confirmation registers nothing", async () => {
    const before = await packageVersions(dataDir, "example-workload");
    const ui = scriptedPromptUi({ picks: ["minor"], confirms: [false] });
    await assert.rejects(
      deployWorkload({ workloadDir: project.dir, cliPath: CLI, dataDir, yes: false, ui, progress: quiet, signal: new AbortController().signal }),
      UserCancelledError,
    );
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), before);
    assert.equal(packageVersion(project.dir), "2.0.1");
  });

  it("a pool that cannot run the workload's engines.node fails the deploy before anything is registered", async () => {
    const strict = createWorkloadProject();
    const packageFile = path.join(strict.dir, "package.json");
    const pkg = JSON.parse(fs.readFileSync(packageFile, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(packageFile, JSON.stringify({ ...pkg, name: "strict-workload", engines: { node: ">=99" } }, null, 2));
    const result = await runCli(["deploy", strict.dir, "--yes"], { dataDir });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the local nodes \(node on the task PATH\) runs Node\.js 20\.\d+\.\d+, which does not satisfy the workload's engines\.node '>=99'/,
    );
    await assert.rejects(packageVersions(dataDir, "strict-workload"), { statusCode: 404, code: "ApplicationNotFound" }, "not even the application was created");
  });

  it("a deploy cancelled during the upload leaves no pending version, no upload and package.json as it was", async () => {
    const before = await packageVersions(dataDir, "example-workload");
    const controller = new AbortController();
    const progress = { report: (message: string) => void (message.startsWith("uploading") && controller.abort()) };
    await assert.rejects(
      deployWorkload({
        workloadDir: project.dir,
        cliPath: CLI,
        dataDir,
        yes: true,
        bump: "major",
        ui: scriptedPromptUi({}),
        progress,
        signal: controller.signal,
      }),
      UserCancelledError,
    );
    assert.deepEqual(await packageVersions(dataDir, "example-workload"), before, "no 3.0.0, pending or active");
    assert.deepEqual(fs.readdirSync(path.join(dataDir, "applications", "example-workload", ".pending")), []);
    assert.equal(fs.existsSync(path.join(dataDir, "applications", "example-workload", "3.0.0.zip")), false);
    assert.equal(packageVersion(project.dir), "2.0.1");
  });
});
