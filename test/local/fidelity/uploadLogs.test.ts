// Why: ComputeNode_UploadBatchServiceLogs uploads a real node's logs to a real Azurite container, honours the time range and refuses bad input.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { ContainerClient, ContainerSASPermissions, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../../src/local/common/defaults";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { sh, vm } from "../jobs/helpers";

const HOUR = 3_600_000;

/** A 400 InvalidPropertyValue naming `property` (and matching `reason`), with no SAS signature anywhere in it. */
function refused(property: string, reason?: RegExp) {
  return (error: { statusCode?: number; code?: string; message?: unknown; body?: unknown }) => {
    const text = JSON.stringify({ message: error.message, body: error.body });
    assert.equal(error.statusCode, 400, text);
    assert.equal(error.code, "InvalidPropertyValue", text);
    assert.ok(text.includes(property), text);
    if (reason) assert.match(text, reason);
    assert.doesNotMatch(text, /sig=/);
    return true;
  };
}

describe("ComputeNode_UploadBatchServiceLogs", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let container: ContainerClient;
  let nodeId: string;
  const sasUrl = (permissions: string) =>
    container.generateSasUrl({ permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + HOUR) });

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
    await client.pool.add({
      id: "logs-pool",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: vm,
      targetDedicatedNodes: 1,
      startTask: { commandLine: sh("echo started; echo warned >&2"), waitForSuccess: true },
    });
    const node = await waitFor(async () => (await client.computeNode.list("logs-pool")).find((entry) => entry.state === "idle"), "an idle node");
    nodeId = node.id!;
    container = new ContainerClient(`${service.info.blobEndpoint}/node-logs`, new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY));
    await container.create();
  });
  after(async () => {
    await service?.stop();
    if (service) fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it("uploads the node's agent log and start task output under <poolId>/<nodeId>/<unique id>", async () => {
    const result = await client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, {
      containerUrl: await sasUrl("rwc"),
      startTime: new Date(Date.now() - HOUR),
    });
    assert.match(result.virtualDirectoryName, new RegExp(`^logs-pool/${nodeId}/[0-9a-f-]{36}$`));
    const blobs: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${result.virtualDirectoryName}/` }))
      blobs.push(blob.name.slice(result.virtualDirectoryName.length + 1));
    assert.deepEqual(blobs.sort(), ["agent.log", "startup/stderr.txt", "startup/stdout.txt"]);
    assert.equal(result.numberOfFilesUploaded, 3);
    const agentLog = (await container.getBlobClient(`${result.virtualDirectoryName}/agent.log`).downloadToBuffer()).toString();
    assert.ok(
      agentLog.length > 0 &&
        agentLog
          .split("\n")
          .filter(Boolean)
          .every((line) => line.includes(nodeId)),
      agentLog,
    );
    const stdout = (await container.getBlobClient(`${result.virtualDirectoryName}/startup/stdout.txt`).downloadToBuffer()).toString();
    assert.equal(stdout.trim(), "started");

    const second = await client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, {
      containerUrl: await sasUrl("rwc"),
      startTime: new Date(Date.now() - HOUR),
    });
    assert.notEqual(second.virtualDirectoryName, result.virtualDirectoryName, "each request gets its own directory");
  });

  it("uploads nothing when no log has a message in the time range", async () => {
    const later = await client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, {
      containerUrl: await sasUrl("rwc"),
      startTime: new Date(Date.now() + HOUR),
    });
    assert.equal(later.numberOfFilesUploaded, 0);
    const before = await client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, {
      containerUrl: await sasUrl("rwc"),
      startTime: new Date(Date.now() - 3 * HOUR),
      endTime: new Date(Date.now() - 2 * HOUR),
    });
    assert.equal(before.numberOfFilesUploaded, 0);
  });

  it("refuses a bad containerUrl, a read-only SAS, an inverted range and an unknown node, naming the field without the SAS", async () => {
    const startTime = new Date(Date.now() - HOUR);
    await assert.rejects(client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, { containerUrl: "not a url", startTime }), refused("containerUrl"));
    const readOnly = await sasUrl("r");
    await assert.rejects(client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, { containerUrl: readOnly, startTime }), refused("containerUrl", /403/));
    await assert.rejects(
      client.computeNode.uploadBatchServiceLogs("logs-pool", nodeId, {
        containerUrl: await sasUrl("rwc"),
        startTime,
        endTime: new Date(startTime.getTime() - HOUR),
      }),
      refused("endTime"),
    );
    await assert.rejects(client.computeNode.uploadBatchServiceLogs("logs-pool", "tvmps_nope_d", { containerUrl: await sasUrl("rwc"), startTime }), {
      statusCode: 404,
      code: "NodeNotFound",
    });
    assert.doesNotMatch(service.log(), /sig=[^R]/, "no SAS signature in the service log");
  });
});
