// Why: "Batch: New Workload…" and "Batch: Add Workload Task…" in the REAL extension host, driven with scripted answers
// through api.ui; the generated launch.json against the contributed `batch-task` schema; the CLI on terminals' PATH.

import Ajv from "ajv";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { workloadConfigurations } from "../../../src/extension/host/debugConfigurationProvider";
import { CommandId, DEBUG_TYPE, EXTENSION_ID } from "../../../src/extension/common/ids";
import { activeApi, poll, resetLocalDataFolder, scriptedUi } from "./harness";

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

suite("Scaffold: New Workload wizard in a real extension host", () => {
  let api: BatchManagerApi;
  let original: EditorUi;
  let parent: string;

  suiteSetup(async () => {
    api = await activeApi();
    original = api.ui.current;
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "scaffold-itest-"));
  });

  suiteTeardown(async () => {
    api.ui.current = original;
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await resetLocalDataFolder(api);
  });

  test("the wizard's answers (template, name, folder) create the project", async () => {
    const folder = path.join(parent, "wizard-sweep");
    api.ui.current = scriptedUi(original, { picks: ["typescript", "parameter-sweep"], inputs: ["Wizard Sweep", folder] });
    const dir = await vscode.commands.executeCommand<string>(CommandId.newWorkload, { parentDir: parent, open: false });
    assert.equal(dir, folder);
    const pkg = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8"));
    assert.equal(pkg.name, "wizard-sweep");
    assert.match(fs.readFileSync(path.join(folder, "src", "workload.ts"), "utf8"), /class WizardSweepWorkload extends WorkloadBase/);
    for (const file of ["src/tasks/evaluateTask.ts", "src/tasks/collectResultsTask.ts", "test/workload.test.ts", ".vscode/tasks.json", "README.md"]) {
      assert.ok(fs.existsSync(path.join(folder, file)), `${file} is generated`);
    }
    assert.ok(
      fs.readdirSync(path.join(folder, "vendor")).some((name) => /^batch-manager-runtime-.*\.tgz$/.test(name)),
      "the runtime tarball is copied into the project",
    );
  });

  test("the generated launch configurations are valid against the contributed batch-task schema", function () {
    // the manifest as written (VS Code adds references to its own launch.json definitions to the copy it exposes)
    const manifestFile = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
      contributes: { debuggers?: { type: string; configurationAttributes?: { launch?: object } }[] };
    };
    const schema = manifest.contributes.debuggers?.find((debuggerContribution) => debuggerContribution.type === "batch-task")?.configurationAttributes?.launch;
    if (!schema) this.skip(); // the batch-task debugger (F5 issue) is not contributed yet
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema!);
    const launch = JSON.parse(fs.readFileSync(path.join(parent, "wizard-sweep", ".vscode", "launch.json"), "utf8")) as {
      configurations: Record<string, unknown>[];
    };
    assert.deepEqual(
      launch.configurations.map((configuration) => configuration.name),
      ["Debug EvaluateTask", "Debug CollectResultsTask", "Debug job"],
    );
    for (const configuration of launch.configurations) {
      assert.deepEqual([configuration.type, configuration.request, configuration.workload], ["batch-task", "launch", "${workspaceFolder}"]);
      assert.ok(validate(configuration), `${String(configuration.name)}: ${JSON.stringify(validate.errors)}`);
    }
  });

  test("a non-empty folder is replaced only after a yes; a no leaves it untouched", async () => {
    const folder = path.join(parent, "occupied");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "package.json"), '{"name":"mine"}');
    api.ui.current = scriptedUi(original, { picks: ["typescript", "hello-world"], inputs: ["occupied", folder], confirms: [false] });
    assert.equal(await vscode.commands.executeCommand(CommandId.newWorkload, { parentDir: parent, open: false }), undefined);
    assert.deepEqual(fs.readdirSync(folder), ["package.json"]);
    assert.equal(fs.readFileSync(path.join(folder, "package.json"), "utf8"), '{"name":"mine"}');

    api.ui.current = scriptedUi(original, { picks: ["typescript", "hello-world"], inputs: ["occupied", folder], confirms: [true] });
    assert.equal(await vscode.commands.executeCommand(CommandId.newWorkload, { parentDir: parent, open: false }), folder);
    assert.equal(JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")).name, "occupied");
  });

  test("dismissing a prompt cancels quietly and creates nothing", async () => {
    const before = fs.readdirSync(parent).sort();
    api.ui.current = scriptedUi(original, {}, { pick: async () => undefined });
    assert.equal(await vscode.commands.executeCommand(CommandId.newWorkload, { parentDir: parent, open: false }), undefined);
    assert.deepEqual(fs.readdirSync(parent).sort(), before);
  });

  test("Add Workload Task registers a new task in the workload of the clicked file and opens it", async () => {
    const folder = path.join(parent, "wizard-sweep");
    api.ui.current = scriptedUi(original, { inputs: ["Normalize"] });
    const added = await vscode.commands.executeCommand<{ created: string }>(
      CommandId.addWorkloadTask,
      vscode.Uri.file(path.join(folder, "src", "workload.ts")),
    );
    assert.equal(added?.created, "src/tasks/normalizeTask.ts");
    assert.match(fs.readFileSync(path.join(folder, "src", "workload.ts"), "utf8"), /registerEntryPoint\(NormalizeTask, NormalizeTaskBuilder\);/);
    await poll(
      () => (vscode.window.activeTextEditor?.document.uri.fsPath === path.join(folder, "src", "tasks", "normalizeTask.ts") ? true : undefined),
      "the new task file to open",
    );
  });

  test("integrated terminals get the bundled batch-manager CLI on PATH, with the explorer's data folder", async () => {
    const out = path.join(parent, "terminal-status.json");
    const terminal = vscode.window.createTerminal({
      name: "scaffold itest",
      shellPath: "/bin/sh",
      shellArgs: ["-c", `batch-manager local status > '${out}'; exit 0`],
    });
    try {
      const text = await poll(
        () => (fs.existsSync(out) && fs.readFileSync(out, "utf8").trim() ? fs.readFileSync(out, "utf8") : undefined),
        "batch-manager local status in a terminal",
        60_000,
      );
      const status = JSON.parse(text) as { running: boolean; dataDir: string };
      assert.equal(status.dataDir, api.localService.connection?.dataDir ?? process.env.BATCH_MANAGER_LOCAL_DATA);
    } finally {
      terminal.dispose();
    }
  });

  test("New Workload in Python: the wizard asks the language, writes the Python project, and F5 offers its task and job", async () => {
    const folder = path.join(parent, "wizard-py");
    api.ui.current = scriptedUi(original, { picks: ["python", "hello-world"], inputs: ["wizard-py", folder] });
    assert.equal(await vscode.commands.executeCommand(CommandId.newWorkload, { parentDir: parent, open: false }), folder);
    for (const file of ["pyproject.toml", "main.py", "batch_manager/__init__.py", "tasks/hello_task.py", ".vscode/launch.json"]) {
      assert.ok(fs.existsSync(path.join(folder, file)), `${file} written`);
    }
    assert.ok(!fs.existsSync(path.join(folder, "package.json")), "no npm project for a Python workload");
    const offered = workloadConfigurations(parent).filter((c) => String(c.workload).endsWith("/wizard-py"));
    assert.deepEqual(
      offered.map((c) => c.entryPoint ?? (c.jobManager ? "job" : "?")),
      ["HelloTask", "job"],
    );
  });

  test("F5 on a generated project's 'Debug HelloTask' stops at a breakpoint in src/tasks/helloTask.ts", async function () {
    this.timeout(400_000);
    const folder = path.join(parent, "f5-hello");
    api.ui.current = scriptedUi(original, { picks: ["typescript", "hello-world"], inputs: ["f5-hello", folder] });
    assert.equal(await vscode.commands.executeCommand(CommandId.newWorkload, { parentDir: parent, open: false }), folder);
    await new Promise<void>((resolve, reject) =>
      execFile("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: folder, timeout: 300_000 }, (error, _out, stderr) =>
        error ? reject(new Error(`npm install: ${stderr}`)) : resolve(),
      ),
    );
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    const source = path.join(folder, "src", "tasks", "helloTask.ts");
    const line = fs
      .readFileSync(source, "utf8")
      .split("\n")
      .findIndex((text) => text.includes("const text ="));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(source), new vscode.Position(line, 0)))]);
    const launch = JSON.parse(fs.readFileSync(path.join(folder, ".vscode", "launch.json"), "utf8")) as { configurations: vscode.DebugConfiguration[] };
    const configuration = launch.configurations.find((candidate) => candidate.name === "Debug HelloTask")!;

    let resolveStop: (stop: { session: vscode.DebugSession; threadId: number }) => void = () => undefined;
    const stopped = new Promise<{ session: vscode.DebugSession; threadId: number }>((resolve) => (resolveStop = resolve));
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory("pwa-node", {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
          if (message.type === "event" && message.event === "stopped") resolveStop({ session, threadId: message.body?.threadId ?? 0 });
        },
      }),
    });
    const ended = new Promise<void>((resolve) => {
      const subscription = vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type !== DEBUG_TYPE) return;
        subscription.dispose();
        resolve();
      });
    });
    try {
      assert.equal(await vscode.debug.startDebugging(undefined, { ...configuration, workload: folder }), true);
      const { session, threadId } = await within(stopped, 120_000, "the breakpoint in helloTask.ts");
      const trace = (await session.customRequest("stackTrace", { threadId, levels: 1 })) as { stackFrames: { line: number; source?: { path?: string } }[] };
      const stoppedIn = trace.stackFrames[0]?.source?.path ?? "";
      assert.ok(stoppedIn.endsWith(source), `stopped in the generated .ts source (code-server may prefix vscode-remote://host): ${stoppedIn}`);
      assert.equal(trace.stackFrames[0]?.line, line + 1);
      await session.customRequest("continue", { threadId });
      await within(ended, 60_000, "the Batch debug session to end");
    } finally {
      tracker.dispose();
    }
  });
});
