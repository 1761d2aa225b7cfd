// Why: proves the Azurite launcher gives a working, persistent blob endpoint and never outlives its parent.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as net from "node:net";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../src/local/storage";
import { recordingLogger, tempDir } from "./helpers";

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

describe("startAzurite", () => {
  let root: string;
  let azurite: AzuriteInstance;
  const logger = recordingLogger();

  before(async () => {
    root = await tempDir("azurite");
    azurite = await startAzurite({ dataDir: root, port: 0, logger });
  });

  after(async () => {
    await azurite?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("listens on a free port and reports the devstoreaccount1 endpoint", () => {
    assert.ok(azurite.port > 0);
    assert.equal(azurite.blobEndpoint, `http://127.0.0.1:${azurite.port}/devstoreaccount1`);
    assert.equal(azurite.accountName, "devstoreaccount1");
    assert.match(azurite.connectionString, new RegExp(`BlobEndpoint=${azurite.blobEndpoint};`));
  });

  it("serves blobs through the connection string and keeps data under <dataDir>/azurite", async () => {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient("launcher");
    await container.create();
    await container.getBlockBlobClient("hello.txt").upload("hi", 2);
    assert.equal((await container.getBlobClient("hello.txt").downloadToBuffer()).toString(), "hi");
    assert.ok((await fs.readdir(path.join(root, "azurite"))).length > 0);
  });

  it("stop() ends the process and a restart on the same dataDir keeps the blobs", async () => {
    const dataDir = await tempDir("azurite-restart");
    const first = await startAzurite({ dataDir, logger });
    const service = BlobServiceClient.fromConnectionString(first.connectionString);
    await service.getContainerClient("kept").create();
    await service.getContainerClient("kept").getBlockBlobClient("a.txt").upload("persisted", 9);
    await first.stop();
    assert.equal(await accepts(first.port), false);
    const second = await startAzurite({ dataDir, logger });
    try {
      const again = BlobServiceClient.fromConnectionString(second.connectionString);
      assert.equal((await again.getContainerClient("kept").getBlobClient("a.txt").downloadToBuffer()).toString(), "persisted");
    } finally {
      await second.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it("dies when its parent process is killed", async () => {
    const dataDir = await tempDir("azurite-orphan");
    const entry = path.resolve(__dirname, "../../../src/local/storage/index.js");
    const script = `require(${JSON.stringify(entry)}).startAzurite({ dataDir: ${JSON.stringify(dataDir)}, logger: { debug() {}, info() {}, warn() {}, error() {} } })
      .then((a) => console.log("PORT " + a.port));`;
    const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve, reject) => {
      parent.stdout.on("data", (chunk: Buffer) => {
        const match = /PORT (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
      parent.once("exit", () => reject(new Error("parent exited early")));
    });
    assert.equal(await accepts(port), true);
    parent.kill("SIGKILL");
    assert.equal(await eventually(async () => !(await accepts(port)), 10_000), true, "Azurite still listening after its parent was killed");
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("never logs the account key", () => {
    assert.ok(logger.lines.length > 0);
    for (const line of logger.lines) assert.ok(!line.includes(azurite.accountKey), line);
  });
});
