// Why: unit tests (plain node) of LocalServiceController driving the REAL `batch-manager local start` CLI as a child process.

import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isUserCancelled } from "../../../src/extension/common/errors";
import { createBatchClient } from "../../../src/core/localService/batchClient";
import { resolveLocalDataDir } from "../../../src/core/localService/dataDir";
import { LocalServiceController, type LocalServiceState } from "../../../src/core/localService/localServiceController";
import { controllerProbe } from "../../../src/extension/tree/localServiceProbe";
import { LOCAL_ACCOUNT_KEY } from "../../../src/local/common/defaults";
import { CLI, startLocalService, tempDir, waitFor } from "../../support/localService";

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
    // (a second service on the same data folder is no longer such a case: the controller joins it, see below)
    const controller = new LocalServiceController({ cliPath: CLI, dataDir: () => tempDir("ext-local"), extraArgs: ["--nodes", "abc"] });
    await assert.rejects(controller.start(), /exited with code \d+: .*--nodes must be a whole number/);
    assert.equal(controller.state, "failed");
    assert.match(controller.failureMessage ?? "", /--nodes/);
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
  it("a service stopped from a terminal ('local stop') is reported as stopped, not failed", async () => {
    const dataDir = tempDir("ext-local");
    const { controller, states, lines } = controllerFor(dataDir);
    await controller.start();
    execFileSync(process.execPath, [CLI, "local", "stop", "--data", dataDir], { encoding: "utf8" });
    await waitFor(() => (controller.state === "stopped" ? true : undefined), "the stopped state", 20_000);
    assert.equal(controller.failureMessage, undefined);
    assert.deepEqual(states, ["starting", "running", "stopped"]);
    assert.match(lines.join("\n"), /info The local Batch service was stopped from outside this window/);
  });
});

describe("LocalServiceController with a service another window started on the same data folder", () => {
  it("connects to it instead of failing, and leaves it running on stop and dispose", async () => {
    const dataDir = tempDir("ext-local-shared");
    const other = await startLocalService({ dataDir, nodes: 1 });
    try {
      const { controller, lines, states } = controllerFor(dataDir);
      const connection = await controller.start();
      assert.equal(controller.state, "running");
      assert.deepEqual(states, ["starting", "running"]);
      assert.equal(connection.batchUrl, other.info.batchUrl);
      assert.equal(connection.accountName, "localbatch");
      assert.equal(connection.accountKey, LOCAL_ACCOUNT_KEY);
      assert.equal(connection.accountKey, other.info.accountKey);
      assert.equal(connection.blobEndpoint, other.info.blobEndpoint);
      assert.equal(connection.storageAccountName, other.info.storageAccountName);
      assert.equal(connection.dataDir, dataDir);
      assert.equal(controller.startedElsewhere, true);
      assert.equal(controller.externalPid, other.process.pid);
      assert.equal(controller.pid, undefined, "no process of its own");
      assert.equal(await controller.start(), connection, "a second start joins the same connection");
      // the joined connection works with the real SDK and the well-known key
      assert.deepEqual([...(await createBatchClient(connection).pool.list())], []);
      const status = await controllerProbe(controller, createBatchClient).getStatus();
      assert.equal(status.state, "running");

      await controller.stop();
      assert.equal(controller.state, "stopped");
      assert.equal(controller.connection, undefined);
      assert.equal(controller.startedElsewhere, false);
      assert.match(lines.join("\n"), /Leaving the local Batch service \(pid \d+\) running: another window/);
      assert.equal(isAlive(other.process.pid!), true, "stop() left the other window's service running");
      assert.deepEqual([...(await other.client().pool.list())], [], "and it still answers");
      assert.ok(!lines.join("\n").includes(LOCAL_ACCOUNT_KEY), "the key is never logged");

      // joining again, then deactivating (dispose) leaves it running too
      await controller.start();
      assert.equal(controller.startedElsewhere, true);
      await controller.dispose();
      assert.equal(controller.state, "stopped");
      assert.equal(isAlive(other.process.pid!), true, "dispose() left it running");
      assert.deepEqual([...(await other.client().pool.list())], []);
    } finally {
      await other.stop();
    }
  });

  it("a service whose key only its own environment knows cannot be joined: failed with a message naming the variable", async () => {
    const dataDir = tempDir("ext-local-shared");
    const key = crypto.randomBytes(64).toString("base64");
    const other = await startLocalService({ dataDir, nodes: 1, env: { BATCH_MANAGER_LOCAL_ACCOUNT_KEY: key } });
    try {
      const { controller, states } = controllerFor(dataDir);
      await assert.rejects(controller.start(), /BATCH_MANAGER_LOCAL_ACCOUNT_KEY/);
      assert.equal(controller.state, "failed");
      assert.deepEqual(states, ["starting", "failed"]);
      assert.ok(!(controller.failureMessage ?? "").includes(key), "the key is not in the message");
      await controller.stop();
      assert.equal(isAlive(other.process.pid!), true, "the other service is untouched");
    } finally {
      await other.stop();
    }
  });

  it("starts its own service when none runs, and stops it (local status exit code 3)", async () => {
    const dataDir = tempDir("ext-local-shared");
    const { controller } = controllerFor(dataDir);
    await controller.start();
    assert.equal(controller.startedElsewhere, false);
    const pid = controller.pid!;
    assert.ok(pid);
    await controller.stop();
    assert.equal(isAlive(pid), false);
  });
});

describe("local data folder", () => {
  it("defaults to the folder the CLI uses ($BATCH_MANAGER_LOCAL_DATA, else ~/.batch-manager/local) and honours the setting", () => {
    assert.equal(resolveLocalDataDir(undefined, {}), path.join(os.homedir(), ".batch-manager", "local"));
    assert.equal(resolveLocalDataDir("  ", { BATCH_MANAGER_LOCAL_DATA: "/g/shared" }), "/g/shared");
    assert.equal(resolveLocalDataDir("/data/batch", { BATCH_MANAGER_LOCAL_DATA: "/g/shared" }), "/data/batch");
    assert.equal(resolveLocalDataDir("~/batch", {}), path.join(os.homedir(), "batch"));
  });
});
