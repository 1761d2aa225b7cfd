// Why: private by default — the data folder's own key (0600, reused), the well-known account only when asked, keys printed only
// when asked, loopback unless --allow-remote, and SharedKey checked before a byte of a request body is read.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { connectionOf } from "../../src/core/localService/connection";
import { LOCAL_ACCOUNT_KEY } from "../../src/local/common/defaults";
import { buildTaskEnvironment } from "../../src/local/node/taskEnvironment";
import { localAccountKey } from "../../src/runtime/settings/localDefaults";
import { CLI, startLocalService, tempDir } from "../support/localService";

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, AZURITE_DISABLE_TELEMETRY: "true" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const keyFile = (dataDir: string) => path.join(dataDir, "key");

describe("the local account key", () => {
  it("is made per data folder on the first start (mode 0600), reused by the next start, and works with the SDK", async () => {
    const dataDir = tempDir("keys-private");
    const first = await startLocalService({ dataDir, privateKey: true, nodes: 1 });
    let key: string;
    try {
      key = fs.readFileSync(keyFile(dataDir), "utf8").trim();
      assert.equal(fs.statSync(keyFile(dataDir)).mode & 0o777, 0o600);
      assert.equal(first.info.accountKey, key);
      assert.notEqual(key, LOCAL_ACCOUNT_KEY);
      assert.equal(Buffer.from(key, "base64").length, 64);
      assert.deepEqual([...(await first.client().pool.list())], []);
      const wellKnown = new BatchServiceClient(new BatchSharedKeyCredentials("localbatch", LOCAL_ACCOUNT_KEY), first.info.batchUrl);
      await assert.rejects(wellKnown.pool.list(), { statusCode: 403 }, "the well-known key is refused");
    } finally {
      await first.stop();
    }
    const second = await startLocalService({ dataDir, privateKey: true, nodes: 1 });
    try {
      assert.equal(second.info.accountKey, key, "a second start reuses the key");
    } finally {
      await second.stop();
    }
  });

  it("status leaves the key out unless --show-key; a detached start too; clients read it through the core API", async () => {
    const dataDir = tempDir("keys-status");
    const started = await cli("local", "start", "--detach", "--port", "0", "--nodes", "1", "--data", dataDir);
    try {
      assert.equal(started.code, 0, started.stderr);
      const line = JSON.parse(started.stdout);
      assert.equal(line.accountKey, undefined, "the start line has no key");
      assert.equal(line.accountKeySource, "keyFile");
      const key = fs.readFileSync(keyFile(dataDir), "utf8").trim();
      assert.ok(!started.stdout.includes(key));
      assert.ok(!fs.readFileSync(path.join(dataDir, "logs", "service-output.log"), "utf8").includes(key), "nor the service's own output");

      const status = await cli("local", "status", "--data", dataDir);
      assert.equal(status.code, 0);
      assert.ok(!status.stdout.includes(key), "status does not print the key");
      assert.equal(JSON.parse(status.stdout).accountKey, undefined);
      assert.ok(!fs.readFileSync(path.join(dataDir, "service.json"), "utf8").includes(key), "nor does the service file hold it");

      const shown = await cli("local", "status", "--data", dataDir, "--show-key");
      assert.equal(JSON.parse(shown.stdout).accountKey, key, "--show-key does");

      const connection = connectionOf(JSON.parse(status.stdout), dataDir);
      assert.equal(connection.accountKey, key);
      const client = new BatchServiceClient(new BatchSharedKeyCredentials(connection.accountName, connection.accountKey), connection.batchUrl);
      assert.deepEqual([...(await client.pool.list())], []);
      assert.equal(localAccountKey({ BATCH_MANAGER_LOCAL_DATA: dataDir }), key, "the runtime's local mode reads it from the data folder");
    } finally {
      await cli("local", "stop", "--data", dataDir);
    }
  });

  it("--well-known-account answers to the documented key and leaves the data folder's key alone", async () => {
    const dataDir = tempDir("keys-well-known");
    const service = await startLocalService({ dataDir, nodes: 1 });
    try {
      assert.equal(service.info.accountKey, LOCAL_ACCOUNT_KEY);
      assert.equal(fs.existsSync(keyFile(dataDir)), false, "no key file is made for it");
      const shown = JSON.parse((await cli("local", "status", "--data", dataDir, "--show-key")).stdout);
      assert.equal(shown.accountKey, LOCAL_ACCOUNT_KEY);
      assert.equal(localAccountKey({ BATCH_MANAGER_LOCAL_DATA: dataDir }), LOCAL_ACCOUNT_KEY);
      assert.deepEqual([...(await service.client().pool.list())], []);
    } finally {
      await service.stop();
    }
  });

  it("a key file others can read is refused, naming the fix", async () => {
    const dataDir = tempDir("keys-mode");
    fs.writeFileSync(keyFile(dataDir), `${Buffer.alloc(64, 7).toString("base64")}\n`, { mode: 0o644 });
    fs.chmodSync(keyFile(dataDir), 0o644);
    const result = await cli("local", "start", "--port", "0", "--data", dataDir);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /can be read by other users.*chmod 600/);
  });

  it("tasks that ask for the local auth mode get the account's name and key from the node, others do not", () => {
    const layout = { taskDir: "/n/t", workingDir: "/n/t/wd", certsDir: "/n/t/certs" };
    const node = { rootDir: "/n", sharedDir: "/n/shared", startupDir: "/n/startup", mountsDir: "/n/fsmounts", applicationsDir: "/n/applications" };
    const base = {
      kind: "task" as const,
      accountName: "localbatch",
      accountUrl: "http://127.0.0.1:1",
      poolId: "p",
      nodeId: "n",
      isDedicated: true,
      node: node as never,
      task: layout as never,
      user: { name: "_azbatch", identity: "" } as never,
      appPackages: {},
      accountKey: "a2V5",
    };
    const local = buildTaskEnvironment({ ...base, jobSettings: [{ name: "BATCH_AUTH_MODE", value: "local" }] });
    assert.equal(local.BATCH_ACCOUNT_KEY, "a2V5");
    assert.equal(local.BATCH_ACCOUNT_NAME, "localbatch");
    const own = buildTaskEnvironment({
      ...base,
      jobSettings: [{ name: "BATCH_AUTH_MODE", value: "local" }],
      taskSettings: [{ name: "BATCH_ACCOUNT_KEY", value: "b3du" }],
    });
    assert.equal(own.BATCH_ACCOUNT_KEY, "b3du", "a key the task gives wins");
    const other = buildTaskEnvironment({ ...base, jobSettings: [{ name: "BATCH_AUTH_MODE", value: "entraId" }] });
    assert.equal(other.BATCH_ACCOUNT_KEY, undefined);
    assert.equal(buildTaskEnvironment(base).BATCH_ACCOUNT_KEY, undefined);
  });
});

describe("binding", () => {
  it("refuses a non-loopback --host without --allow-remote, naming it", async () => {
    const result = await cli("local", "start", "--port", "0", "--host", "0.0.0.0", "--data", tempDir("bind"));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--allow-remote/);
    const detached = await cli("local", "start", "--detach", "--port", "0", "--host", "0.0.0.0", "--data", tempDir("bind"));
    assert.notEqual(detached.code, 0);
    assert.match(detached.stderr, /--allow-remote/);
  });

  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((info) => info && info.family === "IPv4" && !info.internal)?.address;
  it("with --allow-remote binds the service and Azurite to that host", {
    skip: address ? false : "this machine has no non-loopback IPv4 address",
  }, async () => {
    const service = await startLocalService({ args: ["--host", address!, "--allow-remote"], nodes: 1 });
    try {
      assert.equal(new URL(service.info.batchUrl).hostname, address);
      assert.equal(new URL(service.info.blobEndpoint).hostname, address);
      assert.deepEqual([...(await service.client().pool.list())], []);
    } finally {
      await service.stop();
    }
  });
});

/** Sends headers declaring a 1 GiB body and only its first 64 KiB; resolves with the answer (which must not wait for the rest). */
function answerToHugeBody(url: URL, headers: http.OutgoingHttpHeaders): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const request = http.request(url, { method: "POST", headers: { ...headers, "content-length": String(HUGE) } });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body, sent });
      });
    });
    request.on("error", (error) => (sent > 0 ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    request.write(chunk, () => (sent += chunk.length));
  });
}

const HUGE = 1024 * 1024 * 1024; // 1 GiB, never sent

describe("authentication comes before the body", () => {
  let service: Awaited<ReturnType<typeof startLocalService>>;
  before(async () => (service = await startLocalService({ privateKey: true, nodes: 1 })));
  after(async () => service?.stop());

  it("a wrong signature on a huge body gets 403 AuthenticationFailed at once, without the body being sent or read", async () => {
    const answer = await answerToHugeBody(new URL(`${service.info.batchUrl}/jobs?api-version=2022-10-01.16.0`), {
      "content-type": "application/json; odata=minimalmetadata",
      "ocp-date": new Date().toUTCString(),
      authorization: `SharedKey localbatch:${Buffer.alloc(32).toString("base64")}`,
    });
    assert.equal(answer.status, 403);
    const error = JSON.parse(answer.body);
    assert.equal(error.code, "AuthenticationFailed");
    assert.equal(error.message.lang, "en-US");
    assert.match(error.message.value, /Server failed to authenticate the request/);
    assert.equal(error.values[0].key, "AuthenticationErrorDetail");
    assert.ok(answer.sent < HUGE, "answered before the body was sent");
    // and the service goes on answering signed requests
    assert.deepEqual([...(await service.client().job.list())], []);
  });

  it("the management endpoint refuses a bad bearer token the same way (401 before the body)", async () => {
    const resource = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Batch/batchAccounts/localbatch/pools/p";
    const answer = await answerToHugeBody(new URL(`${service.info.batchUrl}${resource}?api-version=2024-07-01`), {
      "content-type": "application/json",
      authorization: "Bearer not-a-token",
    });
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.body).error.code, "InvalidAuthenticationToken");
    assert.ok(answer.sent < HUGE, "answered before the body was sent");
  });
});
