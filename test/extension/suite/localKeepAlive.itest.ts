// Why: integration tests in the REAL extension host of batchManager.local.keepAliveSeconds: the explorer's service outlives its window and the next window adopts it.

import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, Setting } from "../../../src/extension/common/ids";
import { readOwnerFile } from "../../../src/core/localService/ownerFile";
import { isSameProcess } from "../../../src/core/localService/serviceFile";
import { openExplorer, poll, resetLocalDataFolder, treeLookup } from "./harness";

const KEEP_ALIVE = "local.keepAliveSeconds";

suite("Local service keep-alive (survives the editor) in a real extension host", () => {
  let api: BatchManagerApi;
  const { child } = treeLookup(() => api);
  const localNode = async () => child(await child(undefined, "Accounts"), "Local");
  const dataDir = () => process.env.BATCH_MANAGER_LOCAL_DATA!;
  const serviceLog = () => {
    try {
      return fs.readFileSync(path.join(dataDir(), "logs", "local-batch.log"), "utf8");
    } catch {
      return "";
    }
  };

  suiteSetup(async () => {
    api = await openExplorer();
    await resetLocalDataFolder(api);
    await vscode.workspace.getConfiguration(Setting.section).update(KEEP_ALIVE, 30, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand(CommandId.localStop);
    await vscode.workspace.getConfiguration(Setting.section).update(KEEP_ALIVE, undefined, vscode.ConfigurationTarget.Global);
  });

  test("Start runs the service detached, watching this extension host with the configured grace; Stop stops it", async () => {
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    const pid = api.localService.pid!;
    assert.ok(pid);
    assert.equal(api.localService.startedElsewhere, false);
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    assert.equal(args[args.indexOf("--parent-pid") + 1], String(process.pid), "it watches this extension host");
    assert.equal(args[args.indexOf("--parent-grace") + 1], "30", "with the setting's grace period");
    assert.equal(readOwnerFile(dataDir())?.pid, process.pid);
    await vscode.commands.executeCommand(CommandId.localStop);
    assert.equal(isSameProcess(pid, undefined), false, "Stop stopped it");
    assert.equal(api.localService.state, "stopped");
    assert.equal(readOwnerFile(dataDir()), undefined, "its owner file is gone with it");
  });

  test("a service left by a previous extension host that died is adopted on reattach: Local running, and Stop stops it", async () => {
    // the previous window's extension host: its own process with the same controller and setting, killed without deactivating
    const controllerModule = path.join(__dirname, "..", "..", "..", "src", "core", "localService", "localServiceController.js");
    const cli = path.join(__dirname, "..", "..", "..", "..", "dist", "cli.js");
    const host = spawn(
      process.execPath,
      [
        "-e",
        `const { LocalServiceController } = require(${JSON.stringify(controllerModule)});
         const c = new LocalServiceController({ cliPath: ${JSON.stringify(cli)}, dataDir: () => ${JSON.stringify(dataDir())}, keepAliveSeconds: () => 30 });
         c.start().then(() => console.log(JSON.stringify({ pid: c.pid })), (e) => { console.error(e.message); process.exit(1); });
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } },
    );
    let out = "";
    let err = "";
    host.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    host.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const hostExited = new Promise<void>((resolve) => host.once("exit", () => resolve()));
    let pid: number | undefined;
    try {
      ({ pid } = await poll(
        () => (out.includes("\n") ? (JSON.parse(out) as { pid: number }) : err ? assert.fail(err) : undefined),
        "the previous host's service",
        60_000,
      ));
      host.kill("SIGKILL");
      await hostExited;
      await poll(
        () => (serviceLog().includes(`parent process ${host.pid} ended; waiting 30 s`) ? true : undefined),
        "the service to notice its host's end",
        10_000,
      );
      assert.equal(isSameProcess(pid, undefined), true, "the service outlived its extension host");

      // what activation does after a reload (extension.ts): the explorer reattaches without a Start
      assert.equal(await api.localService.reattach(), true);
      assert.equal(api.localService.state, "running");
      assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running", "Start keeps the adopted service");
      assert.equal(api.localService.pid, pid, "the explorer reattached to the same service");
      assert.equal(api.localService.adoptedService, true);
      assert.equal(api.localService.startedElsewhere, false, "adopted as this window's own, not 'started elsewhere'");
      await poll(() => (serviceLog().includes(`adopted by pid ${process.pid}`) ? true : undefined), "the service's adoption log line", 10_000);
      const local = await localNode();
      assert.equal(api.treeProvider.getTreeItem(local).description, `running · ${api.localService.connection!.batchUrl}`);

      await vscode.commands.executeCommand(CommandId.localStop);
      assert.equal(isSameProcess(pid, undefined), false, "Stop stopped the adopted service");
      assert.equal(api.localService.state, "stopped");
    } finally {
      host.kill("SIGKILL");
      if (pid && isSameProcess(pid, undefined)) process.kill(pid, "SIGKILL");
    }
  });
});
