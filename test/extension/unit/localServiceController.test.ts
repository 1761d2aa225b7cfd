// Why: unit tests (plain node) of LocalServiceController driving the REAL `batch-manager local start` CLI as a child process.

import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isUserCancelled } from "../../../src/extension/common/errors";
import { createBatchClient } from "../../../src/core/localService/batchClient";
import { resolveLocalDataDir } from "../../../src/core/localService/dataDir";
import { LocalServiceController, type LocalServiceState } from "../../../src/core/localService/localServiceController";
import { readOwnerFile } from "../../../src/core/localService/ownerFile";
import { isSameProcess, readServiceFile } from "../../../src/core/localService/serviceFile";
import { controllerProbe } from "../../../src/extension/tree/localServiceProbe";
import { LOCAL_ACCOUNT_KEY, LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";
import { CLI, REPO_ROOT, startLocalService, tempDir, waitFor } from "../../support/localService";

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

describe("LocalServiceController keepAliveSeconds: the service survives a window reload and is adopted", () => {
  const keepAliveController = (dataDir: string, keepAliveSeconds: number) => {
    const made = controllerFor(dataDir);
    const controller = new LocalServiceController({
      cliPath: CLI,
      dataDir: () => dataDir,
      keepAliveSeconds: () => keepAliveSeconds,
      logger: {
        debug: () => undefined,
        info: (m) => made.lines.push(`info ${m}`),
        warn: (m) => made.lines.push(`warn ${m}`),
        error: (m) => made.lines.push(`error ${m}`),
      },
    });
    const states: LocalServiceState[] = [];
    controller.onDidChangeState((state) => states.push(state));
    return { controller, lines: made.lines, states };
  };
  const serviceLog = (dataDir: string) => {
    try {
      return fs.readFileSync(path.join(dataDir, "logs", "local-batch.log"), "utf8");
    } catch {
      return "";
    }
  };

  it("dispose() leaves the service and its running task alive; a new controller adopts it, the task completes, and Stop stops it", async () => {
    const dataDir = tempDir("ext-local-keep");
    const first = keepAliveController(dataDir, 60);
    const connection = await first.controller.start();
    const pid = first.controller.pid!;
    assert.ok(pid);
    try {
      assert.equal(first.controller.startedElsewhere, false);
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      assert.equal(args[args.indexOf("--parent-grace") + 1], "60", "started with the grace period");
      const client = createBatchClient(connection);
      await client.pool.add({ id: "pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION, targetDedicatedNodes: 1 });
      await client.job.add({ id: "job", poolInfo: { poolId: "pool" } });
      const marker = path.join(dataDir, "task-finished");
      await client.task.add("job", { id: "long", commandLine: `/bin/sh -c 'sleep 6; echo done > ${marker}'` });
      await waitFor(async () => ((await client.task.get("job", "long")).state === "running" ? true : undefined), "the task running", 60_000);

      // the window reloads: deactivate disposes the controller, the service is let go but keeps running
      await first.controller.dispose();
      assert.equal(isServiceAlive(pid), true, "dispose() left the service running");
      assert.equal(readOwnerFile(dataDir)?.released, true, "its owner file says the window let it go");
      assert.match(first.lines.join("\n"), /Leaving the local Batch service \(pid \d+\) running: a reloaded window adopts it, else it stops in 60 s/);
      await waitFor(
        () => (/owner pid \d+ let the service go; waiting 60 s/.test(serviceLog(dataDir)) ? true : undefined),
        "the service's grace log line",
        10_000,
      );

      // the reloaded window's controller adopts it: same process, its own from now on
      const second = keepAliveController(dataDir, 60);
      assert.equal(await second.controller.reattach(), true, "reattach() (on activation) adopts it");
      const adopted = second.controller.connection!;
      assert.equal(await second.controller.start(), adopted, "Start then keeps the adopted connection");
      assert.equal(second.controller.pid, pid, "the same service process");
      assert.equal(second.controller.adoptedService, true);
      assert.equal(second.controller.startedElsewhere, false, "adopted, not joined");
      assert.equal(second.controller.state, "running");
      assert.equal(adopted.batchUrl, connection.batchUrl);
      assert.match(second.lines.join("\n"), /Adopted the local Batch service left running/);
      await waitFor(() => (/adopted by pid \d+: watching it instead/.test(serviceLog(dataDir)) ? true : undefined), "the service's adoption log line", 10_000);
      assert.equal(readOwnerFile(dataDir)?.released, undefined);
      const task = await waitFor(
        async () => {
          const t = await createBatchClient(adopted).task.get("job", "long");
          return t.state === "completed" ? t : undefined;
        },
        "the task started before the reload to complete",
        60_000,
      );
      assert.equal(task.executionInfo?.exitCode, 0);
      assert.equal(fs.readFileSync(marker, "utf8").trim(), "done");
      assert.ok(!second.lines.join("\n").includes(adopted.accountKey), "the key is never logged");

      // Stop stops the adopted service
      await second.controller.stop();
      assert.equal(isServiceAlive(pid), false, "Stop stopped the adopted service");
      assert.equal(second.controller.state, "stopped");
      assert.deepEqual(second.states, ["starting", "running", "stopped"]);
    } finally {
      if (isServiceAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("an extension host that dies (no dispose) leaves the service running; the next window adopts it within the grace period", async () => {
    const dataDir = tempDir("ext-local-keep");
    // a stand-in extension host: its own process, a controller with keepAlive, killed without deactivating
    const host = spawn(
      process.execPath,
      [
        "-e",
        `const { LocalServiceController } = require(${JSON.stringify(path.join(REPO_ROOT, "out", "src", "core", "localService", "localServiceController.js"))});
         const c = new LocalServiceController({ cliPath: ${JSON.stringify(CLI)}, dataDir: () => ${JSON.stringify(dataDir)}, keepAliveSeconds: () => 60 });
         c.start().then(() => console.log(JSON.stringify({ pid: c.pid })), (e) => { console.error(e.message); process.exit(1); });
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    host.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const hostExited = new Promise<void>((resolve) => host.once("exit", () => resolve()));
    const { pid } = await waitFor(
      () => (out.includes("\n") ? (JSON.parse(out) as { pid: number }) : undefined),
      "the host's controller to start the service",
      60_000,
    );
    try {
      host.kill("SIGKILL");
      await hostExited;
      await waitFor(
        () => (new RegExp(`parent process ${host.pid} ended; waiting 60 s`).test(serviceLog(dataDir)) ? true : undefined),
        "the service to notice its host's end",
        10_000,
      );
      assert.equal(isServiceAlive(pid), true, "the service outlived its extension host");
      const next = keepAliveController(dataDir, 60);
      const connection = await next.controller.start();
      assert.equal(next.controller.pid, pid);
      assert.equal(next.controller.adoptedService, true);
      assert.deepEqual([...(await createBatchClient(connection).pool.list())], [], "it answers the adopting window");
      await next.controller.stop();
      assert.equal(isServiceAlive(pid), false);
    } finally {
      host.kill("SIGKILL");
      if (isServiceAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("a service whose live owner did not let it go is joined, not adopted; it is adopted when that owner lets it go", async () => {
    const dataDir = tempDir("ext-local-keep");
    const first = keepAliveController(dataDir, 30);
    await first.controller.start();
    const pid = first.controller.pid!;
    try {
      const second = keepAliveController(dataDir, 30);
      await second.controller.start();
      assert.equal(second.controller.startedElsewhere, true, "another live window's service: joined");
      assert.equal(second.controller.adoptedService, false);
      await second.controller.stop();
      assert.equal(isServiceAlive(first.controller.pid!), true, "the joining window's Stop leaves it running");

      // a second window still connected when the owning window closes adopts the service: its tasks survive that window
      const third = keepAliveController(dataDir, 30);
      await third.controller.start();
      assert.equal(third.controller.startedElsewhere, true);
      await first.controller.dispose();
      await waitFor(() => (third.controller.adoptedService ? true : undefined), "the connected window to adopt the service", 10_000);
      assert.equal(third.controller.pid, pid);
      assert.equal(third.controller.startedElsewhere, false);
      assert.equal(third.controller.state, "running");
      assert.deepEqual(third.states, ["starting", "running"], "no stopped/failed flicker on adoption");
      await third.controller.stop();
      assert.equal(isServiceAlive(pid), false, "and its Stop stops it");
    } finally {
      await first.controller.stop();
      if (isServiceAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("a detached service that is killed is reported as failed; one stopped with 'local stop' as stopped", async () => {
    const dataDir = tempDir("ext-local-keep");
    const { controller, states } = keepAliveController(dataDir, 30);
    await controller.start();
    process.kill(controller.pid!, "SIGKILL");
    await waitFor(() => (controller.state === "failed" ? true : undefined), "the failed state", 10_000);
    assert.match(controller.failureMessage ?? "", /exited without stopping cleanly/);
    assert.deepEqual(states, ["starting", "running", "failed"]);

    await controller.start();
    assert.equal(controller.state, "running");
    execFileSync(process.execPath, [CLI, "local", "stop", "--data", dataDir], { encoding: "utf8" });
    await waitFor(() => (controller.state === "stopped" ? true : undefined), "the stopped state", 20_000);
    assert.equal(controller.failureMessage, undefined);
  });

  it("keepAliveSeconds 0: the service is a child that dispose() stops, as before", async () => {
    const dataDir = tempDir("ext-local-keep");
    const { controller, states } = keepAliveController(dataDir, 0);
    assert.equal(await controller.reattach(), false, "nothing left running: reattach() starts nothing");
    assert.deepEqual(states, []);
    await controller.start();
    const pid = controller.pid!;
    assert.doesNotMatch(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"), /--parent-grace/);
    assert.equal(readOwnerFile(dataDir), undefined, "no owner file: nobody can adopt it");
    await controller.dispose();
    assert.equal(isServiceAlive(pid), false, "dispose() stopped it");
  });
});

describe("local start --parent-pid --parent-grace", () => {
  it("keeps running for the grace period after the parent dies, then stops when nobody adopts it", async () => {
    const dataDir = tempDir("ext-local-grace");
    const parent = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const service = spawn(
      process.execPath,
      [CLI, "local", "start", "--port", "0", "--data", dataDir, "--parent-pid", String(parent.pid), "--parent-grace", "2"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((resolve) => service.once("exit", (code) => resolve(code)));
    try {
      await waitFor(() => (readServiceFile(dataDir)?.pid === service.pid ? true : undefined), "the service to start", 60_000);
      assert.equal(readOwnerFile(dataDir)?.pid, parent.pid, "its owner file names the parent");
      parent.kill("SIGKILL");
      const killedAt = Date.now();
      await waitFor(
        () =>
          new RegExp(`parent process ${parent.pid} ended; waiting 2 s`).test(fs.readFileSync(path.join(dataDir, "logs", "local-batch.log"), "utf8"))
            ? true
            : undefined,
        "the service to notice its parent's end",
        10_000,
      );
      assert.equal(isServiceAlive(service.pid!), true, "still running in the grace period");
      const code = await Promise.race([exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 20_000).unref())]);
      assert.equal(code, 0, "it stopped cleanly on its own");
      assert.ok(Date.now() - killedAt >= 2000, "not before the grace period");
      const log = fs.readFileSync(path.join(dataDir, "logs", "local-batch.log"), "utf8");
      assert.match(log, /grace period of 2 s expired without an adoption; stopping/);
      assert.equal(readServiceFile(dataDir), undefined, "service.json removed");
      assert.equal(readOwnerFile(dataDir), undefined, "service.owner removed");
    } finally {
      parent.kill("SIGKILL");
      service.kill("SIGKILL");
    }
  });
});

const isServiceAlive = (pid: number) => isSameProcess(pid, undefined);
