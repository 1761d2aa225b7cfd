// Why: unit tests (plain node) of LocalServiceController driving the REAL `batch-manager local start` CLI as a child process.

import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isUserCancelled } from "../../../src/extension/errors";
import { createBatchClient } from "../../../src/extension/local/batchClient";
import { resolveLocalDataDir } from "../../../src/extension/local/dataDir";
import { LocalServiceController, type LocalServiceState } from "../../../src/extension/local/localServiceController";
import { controllerProbe } from "../../../src/extension/local/localServiceProbe";
import { CLI, tempDir, waitFor } from "../../support/localService";

function controllerFor(dataDir: string, cliPath = CLI) {
  const lines: string[] = [];
  const states: LocalServiceState[] = [];
  const log = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  const controller = new LocalServiceController({
    cliPath,
    dataDir: () => dataDir,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
  });
  controller.onDidChangeState((state) => states.push(state));
  return { controller, lines, states };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("LocalServiceController", () => {
  it("starts the real service, exposes its connection, and stops it", async () => {
    const dataDir = tempDir("ext-local");
    const { controller, lines, states } = controllerFor(dataDir);
    assert.equal(controller.state, "stopped");
    const connection = await controller.start();
    try {
      assert.equal(controller.state, "running");
      assert.deepEqual(states, ["starting", "running"]);
      assert.equal(connection.accountName, "localbatch");
      assert.equal(connection.dataDir, dataDir);
      assert.match(connection.batchUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await controller.start(), connection, "a second start joins the running service");
      // the connection works with the real SDK
      assert.deepEqual([...(await createBatchClient(connection).pool.list())], []);
      const status = await controllerProbe(controller, createBatchClient).getStatus();
      assert.equal(status.state, "running");
      assert.ok(!lines.join("\n").includes(connection.accountKey), "the key is never logged");
    } finally {
      const pid = controller.pid!;
      await controller.stop();
      assert.equal(isAlive(pid), false, "the process is gone after stop()");
    }
    assert.equal(controller.state, "stopped");
    assert.equal(controller.connection, undefined);
    assert.deepEqual(states, ["starting", "running", "stopped"]);
    assert.equal((await controllerProbe(controller, createBatchClient).getStatus()).state, "stopped");
  });

  it("a cancelled start stops the process and returns to stopped", async () => {
    const { controller, states } = controllerFor(tempDir("ext-local"));
    const abort = new AbortController();
    controller.onDidChangeState((state) => state === "starting" && setTimeout(() => abort.abort(), 50));
    await assert.rejects(controller.start(abort.signal), (error) => isUserCancelled(error));
    assert.equal(controller.state, "stopped");
    assert.deepEqual(states, ["starting", "stopped"]);
    assert.equal(controller.pid, undefined);
  });

  it("stop() during a start cancels the start", async () => {
    const { controller, states } = controllerFor(tempDir("ext-local"));
    const starting = controller.start();
    await waitFor(() => (controller.pid ? true : undefined), "the child process");
    await controller.stop();
    await assert.rejects(starting, (error) => isUserCancelled(error));
    assert.equal(controller.state, "stopped");
    assert.deepEqual(states, ["starting", "stopped"]);
  });

  it("a start that cannot run the CLI ends in failed with the reason", async () => {
    const { controller, lines } = controllerFor(tempDir("ext-local"), path.join(os.tmpdir(), "no-such-cli.js"));
    await assert.rejects(controller.start(), /CLI is missing/);
    assert.equal(controller.state, "failed");
    assert.match(controller.failureMessage ?? "", /no-such-cli\.js/);
    assert.ok(lines.some((l) => l.startsWith("error The local Batch service did not start")));
    const status = await controllerProbe(controller, createBatchClient).getStatus();
    assert.equal(status.state, "failed");
  });

  it("a Node binary that cannot be spawned ends in failed", async () => {
    const controller = new LocalServiceController({ cliPath: CLI, dataDir: () => tempDir("ext-local"), execPath: "/nonexistent/node" });
    await assert.rejects(controller.start(), /ENOENT/);
    assert.equal(controller.state, "failed");
    assert.equal(controller.pid, undefined);
  });

  it("a CLI that exits before its JSON line ends in failed with its stderr", async () => {
    const dataDir = tempDir("ext-local");
    const first = controllerFor(dataDir);
    await first.controller.start();
    try {
      // a second service on the same data folder is refused by the CLI
      const second = controllerFor(dataDir);
      await assert.rejects(second.controller.start(), /exited with code \d+: .*already runs/);
      assert.equal(second.controller.state, "failed");
    } finally {
      await first.controller.stop();
    }
  });

  it("a service that dies on its own is reported as failed", async () => {
    const { controller, states } = controllerFor(tempDir("ext-local"));
    await controller.start();
    process.kill(controller.pid!, "SIGKILL");
    await waitFor(() => (controller.state === "failed" ? true : undefined), "the failed state", 10_000);
    assert.match(controller.failureMessage ?? "", /SIGKILL/);
    assert.deepEqual(states, ["starting", "running", "failed"]);
    await controller.stop();
    assert.equal(controller.state, "stopped");
  });
});

describe("local data folder", () => {
  it("defaults to <globalStorage>/local and honours the setting", () => {
    assert.equal(resolveLocalDataDir(undefined, "/g/storage"), path.join("/g/storage", "local"));
    assert.equal(resolveLocalDataDir("  ", "/g/storage"), path.join("/g/storage", "local"));
    assert.equal(resolveLocalDataDir("/data/batch", "/g"), "/data/batch");
    assert.equal(resolveLocalDataDir("~/batch", "/g"), path.join(os.homedir(), "batch"));
  });
});
