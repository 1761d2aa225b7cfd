// Why: `batch-manager local start|status|stop` as a user runs them: the JSON line, the service file, logs without secrets.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { CLI, startLocalService, tempDir } from "../support/localService";

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe("batch-manager local", () => {
  it("start prints one JSON line; status and stop find the service by its data folder", async () => {
    const service = await startLocalService({ args: ["--verbose"] });
    const { info } = service;
    assert.match(info.batchUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.accountName, "localbatch");
    assert.ok(info.accountKey.length > 40);
    assert.match(info.blobEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);

    const status = await cli("local", "status", "--data", service.dataDir);
    assert.equal(status.code, 0);
    const running = JSON.parse(status.stdout);
    assert.equal(running.running, true);
    assert.equal(running.batchUrl, info.batchUrl);
    assert.equal(running.pid, service.process.pid);

    // a request, so the log has request lines; then stop
    await service.client().pool.list();
    const stopped = await cli("local", "stop", "--data", service.dataDir);
    assert.equal(JSON.parse(stopped.stdout).stopped, true);
    await service.stop();

    const after = await cli("local", "status", "--data", service.dataDir);
    assert.equal(after.code, 3);
    assert.equal(JSON.parse(after.stdout).running, false);

    const log = fs.readFileSync(path.join(service.dataDir, "logs", "local-batch.log"), "utf8");
    assert.match(log, /listening at/);
    assert.ok(!log.includes(info.accountKey), "the log must not contain the account key");
    const serviceFile = path.join(service.dataDir, "service.json");
    assert.equal(fs.existsSync(serviceFile), false, "stop removes the service file");
  });

  it("refuses a second service on the same data folder", async () => {
    const service = await startLocalService();
    try {
      await assert.rejects(startLocalService({ dataDir: service.dataDir }), /already runs/);
    } finally {
      await service.stop();
    }
  });

  it("rejects a bad --port with a message naming the option", async () => {
    const result = await cli("local", "start", "--port", "abc", "--data", tempDir("cli"));
    assert.notEqual(result.code, 0);
  });
});

describe("batch-manager local start --parent-pid", () => {
  it("stops the service when the parent process ends", async () => {
    const parent = spawn("sleep", ["30"]);
    const service = await startLocalService({ args: ["--parent-pid", String(parent.pid)] });
    parent.kill("SIGKILL");
    const exited = await Promise.race([
      new Promise<boolean>((resolve) => service.process.once("exit", () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
    ]);
    assert.equal(exited, true, "the service must exit after its parent died");
    await service.stop();
  });
});

describe("batch-manager local start --account-name", () => {
  it("answers to the configured account and key only", async () => {
    const key = Buffer.from("a-configured-local-account-key-for-this-test").toString("base64");
    const service = await startLocalService({ args: ["--account-name", "teamlocal"], env: { BATCH_MANAGER_LOCAL_ACCOUNT_KEY: key } });
    try {
      assert.equal(service.info.accountName, "teamlocal");
      assert.equal(service.info.accountKey, key);
      assert.equal((await service.client().pool.list()).length, 0);
      const wrong = new BatchServiceClient(
        new BatchSharedKeyCredentials("localbatch", "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ=="),
        service.info.batchUrl,
      );
      await assert.rejects(wrong.pool.list(), { statusCode: 403 });
    } finally {
      await service.stop();
    }
  });

  it("refuses an invalid account name, naming the option", async () => {
    const result = await cli("local", "start", "--account-name", "Not_Valid", "--data", tempDir("cli"));
    assert.notEqual(result.code, 0);
  });
});
