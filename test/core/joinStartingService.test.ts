// Why: a workflow (deploy, debug, the explorer) that finds another process still starting the local service for its data folder joins it once it runs, instead of failing.

import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { dataFolderLockHolder } from "../../src/core/localService/dataFolderLock";
import { acquireLocalService, runningLocalService } from "../../src/core/localService/localServiceLease";
import { LocalServiceController } from "../../src/core/localService/localServiceController";
import { CLI, tempDir } from "../support/localService";

async function startingService(dataDir: string) {
  const child = spawn(process.execPath, [CLI, "local", "start", "--port", "0", "--data", dataDir], { stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 30_000;
  while (!dataFolderLockHolder(dataDir)) {
    assert.ok(Date.now() < deadline && child.exitCode === null, "the first service never took the data folder's lock");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return child;
}

describe("joining a local service that is still starting", () => {
  it("acquireLocalService waits for it and joins; it does not start a second one", async () => {
    const dataDir = path.join(tempDir("join-starting"), "local");
    const first = await startingService(dataDir);
    try {
      assert.equal(runningLocalService(dataDir), undefined, "caught it while starting (no service.json yet)");
      const lease = await acquireLocalService({ cliPath: CLI, dataDir, keepRunning: false });
      assert.equal(lease.started, false);
      assert.equal(lease.connection.batchUrl, runningLocalService(dataDir)?.batchUrl);
      await lease.release();
      assert.ok(runningLocalService(dataDir), "releasing a joined service leaves it running");
    } finally {
      first.kill("SIGTERM");
    }
  });

  it("the extension's controller joins it too, and leaves it running when it stops", async () => {
    const dataDir = path.join(tempDir("join-starting"), "local");
    const first = await startingService(dataDir);
    try {
      const controller = new LocalServiceController({ cliPath: CLI, dataDir: () => dataDir });
      const connection = await controller.start();
      assert.equal(controller.startedElsewhere, true);
      assert.equal(connection.batchUrl, runningLocalService(dataDir)?.batchUrl);
      await controller.stop();
      assert.ok(runningLocalService(dataDir));
    } finally {
      first.kill("SIGTERM");
    }
  });
});
