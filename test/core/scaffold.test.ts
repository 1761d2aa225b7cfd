// Why: `batch-manager new` / `add-task` as a user runs them — from the installed CLI tarball, with real npm installs, tsc,
// and each generated project's own tests running the workload on a real local Batch service.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { tempDir } from "../support/localService";
import { installCliFromTarball, NPM_QUICK, run, snapshot } from "./scaffoldSupport";

describe("scaffold: batch-manager new and add-task from the installed CLI tarball", () => {
  let cli: string;
  let workspace: string;
  const env = { BATCH_MANAGER_LOCAL_DATA: tempDir("scaffold-local-data"), AZURITE_DISABLE_TELEMETRY: "true" };
  const batchManager = (args: string[], cwd = workspace) => run(cli, args, { cwd, env, timeoutMs: 120_000 });
  const npm = (args: string[], cwd: string) => run("npm", args, { cwd, env, timeoutMs: 400_000 });

  before(() => {
    cli = installCliFromTarball().binary;
    workspace = tempDir("scaffold-workspace");
  });

  async function assertOwnTestsPass(project: string): Promise<void> {
    const typecheck = await run(path.join(project, "node_modules", ".bin", "tsc"), ["-p", ".", "--noEmit"], { cwd: project, timeoutMs: 120_000 });
    assert.equal(typecheck.code, 0, `tsc is not clean:\n${typecheck.stdout}${typecheck.stderr}`);
    const test = await npm(["test"], project);
    assert.equal(test.code, 0, `the generated project's npm test failed:\n${test.stdout}\n${test.stderr}`);
    assert.match(test.stdout, /# pass 1\n# fail 0/);
  }

  it("hello-world: installs, type-checks, and its own npm test runs it on the local service (leaving none running)", { timeout: 600_000 }, async () => {
    const created = await batchManager(["new", "hello-batch", "--template", "hello-world", "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const project = path.join(workspace, "hello-batch");
    const { files } = JSON.parse(created.stdout) as { files: string[] };
    for (const file of [
      "package.json",
      "tsconfig.json",
      "src/main.ts",
      "src/workload.ts",
      "src/jobManager.ts",
      "src/tasks/helloTask.ts",
      "logging.yaml",
      "test/workload.test.ts",
      ".vscode/launch.json",
      ".vscode/tasks.json",
      "README.md",
      ".gitignore",
    ]) {
      assert.ok(files.includes(file) && fs.existsSync(path.join(project, file)), `${file} is generated`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
    assert.equal(pkg.name, "hello-batch");
    assert.match(pkg.dependencies["@batch-manager/runtime"], /^file:vendor\/batch-manager-runtime-.*\.tgz$/);
    assert.match(pkg.devDependencies["@batch-manager/cli"], /^file:vendor\/batch-manager-cli-.*\.tgz$/);
    assert.match(fs.readFileSync(path.join(project, "src", "workload.ts"), "utf8"), /class HelloBatchWorkload extends WorkloadBase/);

    const install = await npm(["install", ...NPM_QUICK], project);
    assert.equal(install.code, 0, install.stderr);
    await assertOwnTestsPass(project);
    // a rerun deploys the next version (deployed ones are never overwritten) and leaves package.json as it was
    const packageJson = fs.readFileSync(path.join(project, "package.json"), "utf8");
    await assertOwnTestsPass(project);
    assert.equal(fs.readFileSync(path.join(project, "package.json"), "utf8"), packageJson);
    const status = await batchManager(["local", "status"]);
    assert.equal(status.code, 3, `the tests leave the local service as they found it (stopped): ${status.stdout}`);
  });

  it("add-task: registers the task through the compiler API; the project still type-checks, builds, and the new task runs", { timeout: 300_000 }, async () => {
    const project = path.join(workspace, "hello-batch");
    const added = await batchManager(["add-task", "ResizeImage"], project);
    assert.equal(added.code, 0, added.stderr);
    const workload = fs.readFileSync(path.join(project, "src", "workload.ts"), "utf8");
    assert.match(workload, /import \{ ResizeImageTask, ResizeImageTaskBuilder \} from "\.\/tasks\/resizeImageTask";/);
    assert.match(
      workload,
      /registerEntryPoint\(HelloTask, HelloTaskBuilder\);\n {4}this\.entryPointsRepository\.registerEntryPoint\(ResizeImageTask, ResizeImageTaskBuilder\);/,
    );
    const launch = JSON.parse(fs.readFileSync(path.join(project, ".vscode", "launch.json"), "utf8")) as {
      configurations: { name: string; entryPoint?: string }[];
    };
    assert.ok(launch.configurations.some((c) => c.name === "Debug ResizeImageTask" && c.entryPoint === "ResizeImageTask"));

    const build = await npm(["run", "build"], project);
    assert.equal(build.code, 0, `${build.stdout}\n${build.stderr}`);
    const working = tempDir("scaffold-task-wd");
    const task = await run(
      process.execPath,
      [path.join(project, "dist", "main.js"), "task", "--entry-point", "ResizeImageTask", "--args", '{"message":"hi"}', "--job-id", "job-1", "--task-id", "7"],
      {
        cwd: working,
        env: { BATCH_AUTH_MODE: "local", BATCH_ACCOUNT_URL: "http://127.0.0.1:9" },
      },
    );
    assert.equal(task.code, 0, task.stderr);
    assert.equal(fs.readFileSync(path.join(working, "resizeImageTask.txt"), "utf8"), "ResizeImageTask ran in job job-1: hi\n");

    const again = await batchManager(["add-task", "ResizeImage"], project);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /ResizeImageTask already exists/);
  });

  for (const template of ["scatter-gather", "parameter-sweep"]) {
    it(`${template}: installs, type-checks, and its own npm test runs it on the local service`, { timeout: 600_000 }, async () => {
      const created = await batchManager(["new", template, "--template", template]);
      assert.equal(created.code, 0, created.stderr);
      const project = path.join(workspace, template);
      // the packages are the same as hello-batch's: start from its node_modules so npm only links what differs
      fs.cpSync(path.join(workspace, "hello-batch", "node_modules"), path.join(project, "node_modules"), { recursive: true, verbatimSymlinks: true });
      const install = await npm(["install", ...NPM_QUICK], project);
      assert.equal(install.code, 0, install.stderr);
      await assertOwnTestsPass(project);
    });
  }

  it("never overwrites without --force; --force replaces only the project's files", { timeout: 120_000 }, async () => {
    const project = path.join(workspace, "kept");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), '{"name":"mine"}');
    fs.writeFileSync(path.join(project, "notes.txt"), "keep me");
    const before = snapshot(project);
    const refused = await batchManager(["new", "kept"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already has package\.json.*--force/);
    assert.deepEqual(snapshot(project), before, "nothing changed");
    assert.deepEqual(
      fs.readdirSync(workspace).filter((name) => name.includes(".scaffold-")),
      [],
      "no staging folder is left",
    );

    const forced = await batchManager(["new", "kept", "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")).name, "kept");
    assert.equal(fs.readFileSync(path.join(project, "notes.txt"), "utf8"), "keep me");
  });

  it("invalid names and templates are refused with what is allowed, and nothing is created", { timeout: 120_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [["new", "9lives"], /'9lives' is not a valid workload name: a workload name starts with a letter/],
      [["new", "ok-folder", "--name", "bad!name"], /'bad!name' is not a valid workload name/],
      [["new", "other", "--template", "mapreduce"], /unknown template 'mapreduce': use one of hello-world, scatter-gather, parameter-sweep/],
      [["new", "cb", "--callback-url", "http://example.com/x"], /--callback-url .* must be https/],
    ];
    for (const [args, message] of cases) {
      const result = await batchManager(args);
      assert.equal(result.code, 1, args.join(" "));
      assert.match(result.stderr, message);
      assert.ok(!fs.existsSync(path.join(workspace, args[1]!)), `${args[1]} is not created`);
    }
    const badTask = await batchManager(["add-task", "resize-image"], path.join(workspace, "hello-batch"));
    assert.equal(badTask.code, 1);
    assert.match(badTask.stderr, /'resize-image' is not a valid task name: a task name is a PascalCase identifier/);
  });

  it("add-task refuses a workload file of unknown shape and leaves the project byte-for-byte unchanged", { timeout: 120_000 }, async () => {
    const project = path.join(workspace, "odd");
    fs.mkdirSync(path.join(project, "src"), { recursive: true });
    const shapes = [
      'import { WorkloadBase } from "@batch-manager/runtime";\nexport const make = () => class extends WorkloadBase {};\n',
      'import { WorkloadBase } from "@batch-manager/runtime";\nexport class A extends WorkloadBase {}\nexport class B extends WorkloadBase {\n  constructor(c: never) { super(c, X); }\n}\n',
      'import { WorkloadBase } from "@batch-manager/runtime";\nexport class A extends WorkloadBase {\n  constructor(c: never) {\n    setup(this);\n  }\n}\n',
      "export class A extends WorkloadBase {\n  constructor( {\n",
    ];
    for (const shape of shapes) {
      fs.writeFileSync(path.join(project, "src", "workload.ts"), shape);
      const before = snapshot(project);
      const result = await batchManager(["add-task", "Extra"], project);
      assert.equal(result.code, 1, shape);
      assert.match(result.stderr, /src\/workload\.ts.*(expected exactly one class extending WorkloadBase|neither calls super|does not parse)/);
      assert.deepEqual(snapshot(project), before, `the project is unchanged for:\n${shape}`);
    }
  });
});
