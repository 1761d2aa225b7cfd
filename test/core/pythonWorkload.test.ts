// Why: `new --language python`, deploy and run of a Python workload against the real local service: the generated
// project's own pytest passes, the package is reproducible, and bad projects get errors naming the fix.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { deployWorkload } from "../../src/core/deploy";
import { pythonPackageFiles } from "../../src/core/deploy/pythonWorkload";
import { scriptedPromptUi } from "../../src/core/wizard/wizard";
import { CLI, tempDir } from "../support/localService";
import { jsonLine, runCli, stopLocalService } from "./support/deployHarness";
import { run } from "./scaffoldSupport";

const PYTHON = "/usr/bin/python3";
const quiet = { report: () => undefined };

describe("Python workloads: scaffold, deploy, run (local service)", () => {
  const dataDir = tempDir("python-workload");
  const projectDir = path.join(tempDir("python-project"), "hello-py");
  const env = { BATCH_MANAGER_LOCAL_DATA: dataDir, BATCH_MANAGER_CLI: `${process.execPath} ${CLI}`, BATCH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: "1" };

  before(async () => {
    const made = await runCli(["new", projectDir, "--language", "python", "--json"], { dataDir, env });
    assert.equal(made.code, 0, made.stderr);
    const files = jsonLine<{ files: string[] }>(made).files;
    for (const file of [
      "main.py",
      "pyproject.toml",
      "logging.yaml",
      "workload.py",
      "tasks/hello_task.py",
      "tests/test_workload.py",
      ".vscode/launch.json",
      "batch_manager/__init__.py",
    ])
      assert.ok(files.includes(file), `${file} is generated`);
  });
  after(() => stopLocalService(dataDir));

  it("the generated project's pytest deploys and runs it on the local service, FinalizeTask callback included", { timeout: 300_000 }, async () => {
    const tested = await run(PYTHON, ["-m", "pytest", "-q"], { cwd: projectDir, env, timeoutMs: 280_000 });
    assert.equal(tested.code, 0, `${tested.stdout}\n${tested.stderr}`);
    assert.match(tested.stdout, /1 passed/);
    assert.match(fs.readFileSync(path.join(projectDir, "pyproject.toml"), "utf8"), /^version = "1\.0\.0"$/m, "test versions leave pyproject.toml alone");
  });

  it("deploys a reproducible zip of main.py, the modules and batch_manager (no tests), and run --wait succeeds", { timeout: 200_000 }, async () => {
    const deploy = (version: string) =>
      deployWorkload({
        workloadDir: projectDir,
        cliPath: CLI,
        dataDir,
        yes: true,
        version,
        ui: scriptedPromptUi({}),
        progress: quiet,
        signal: new AbortController().signal,
      });
    const [first, second] = [await deploy("2.0.0-a"), await deploy("2.0.0-b")];
    assert.equal(first.zipSha256, second.zipSha256, "the same sources give the same application package");
    const files = pythonPackageFiles(projectDir);
    assert.ok(files.includes("main.py") && files.includes("tasks/hello_task.py") && files.includes("batch_manager/application/application.py"));
    assert.ok(!files.some((file) => file.startsWith("tests/") || file.includes("__pycache__")), files.join(", "));

    const ran = await runCli(["run", projectDir, "--wait", "--json", "--package-version", "2.0.0-b"], { dataDir, env, timeoutMs: 180_000 });
    assert.equal(ran.code, 0, ran.stderr);
    const result = jsonLine<{ succeeded: boolean; taskCounts: { succeeded: number } }>(ran);
    assert.equal(result.succeeded, true);
    assert.equal(result.taskCounts.succeeded, 4, "job manager, finalize-guard, HelloTask and FinalizeTask");
  });

  it("refuses a pyproject.toml without a SemVer version, naming the field", async () => {
    const broken = path.join(tempDir("python-broken"), "w");
    fs.cpSync(projectDir, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, "pyproject.toml"), '[project]\nname = "w"\nversion = "one"\n');
    const result = await runCli(["deploy", broken, "--yes", "--dry-run"], { dataDir, env });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /\[project\] 'version' must be a SemVer version such as 1\.0\.0 \(got "one"\)/);
  });

  it("refuses a Python workload without batch_manager beside main.py, saying where to get it; nothing is registered", async () => {
    const bare = path.join(tempDir("python-bare"), "bare");
    fs.cpSync(projectDir, bare, { recursive: true });
    fs.rmSync(path.join(bare, "batch_manager"), { recursive: true });
    fs.writeFileSync(path.join(bare, "pyproject.toml"), '[project]\nname = "bare-py"\nversion = "1.0.0"\n');
    const result = await runCli(["deploy", bare, "--yes", "--json"], { dataDir, env });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no batch_manager package beside main\.py: copy it from a project made with 'batch-manager new --language python'/);
    const listed = await runCli(["run", bare, "--json"], { dataDir, env });
    assert.match(listed.stderr, /bare-py version 1\.0\.0 \(pyproject\.toml\) is not deployed/);
  });

  for (const template of ["scatter-gather", "parameter-sweep"]) {
    it(`the ${template} template's own pytest passes on the local service (inputs uploaded, outputs read back)`, { timeout: 300_000 }, async () => {
      const dir = path.join(tempDir(`python-${template}`), template);
      const made = await runCli(["new", dir, "--language", "python", "--template", template], { dataDir, env });
      assert.equal(made.code, 0, made.stderr);
      const tested = await run(PYTHON, ["-m", "pytest", "-q"], { cwd: dir, env, timeoutMs: 280_000 });
      assert.equal(tested.code, 0, `${tested.stdout}\n${tested.stderr}`);
      assert.match(tested.stdout, /1 passed/);
    });
  }

  it("refuses an unknown template or language, writing nothing", async () => {
    const parent = tempDir("python-refused");
    const unknown = await runCli(["new", path.join(parent, "s"), "--language", "python", "--template", "map-reduce"], { dataDir, env });
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /unknown template 'map-reduce': use one of hello-world, scatter-gather, parameter-sweep/);
    const cobol = await runCli(["new", path.join(parent, "c"), "--language", "cobol"], { dataDir, env });
    assert.match(cobol.stderr, /unknown language 'cobol': use one of typescript, python/);
    assert.deepEqual(fs.readdirSync(parent), []);
  });
});
