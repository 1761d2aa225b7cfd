// Why: input/output file specifications → Batch resource/output files: managed identity without SAS, otherwise short-lived SAS that really work against Azurite.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BlobClient, ContainerClient } from "@azure/storage-blob";
import { BatchClientSettings, inputFromOutput, StorageAccess, toOutputFile, toResourceFile } from "../../src/runtime";
import { startLocalService, type LocalServiceHandle } from "../support/localService";
import { azuriteBlobService, uploadTexts } from "./support/localWorkloadEnvironment";

const IDENTITY = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch-pool";
const NOW = new Date("2030-01-01T12:00:00Z");

function sasOf(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

describe("file mapping (identity or SAS)", () => {
  const azure = BatchClientSettings.fromEnvironment({
    BATCH_ACCOUNT_URL: "https://a.westeurope.batch.azure.com",
    BATCH_AUTH_MODE: "entraId",
    BATCH_STORAGE_ACCOUNT_NAME: "store",
    BATCH_STORAGE_ACCOUNT_KEY: "c3RvcmFnZWtleQ==",
    BATCH_SAS_LIFETIME_MINUTES: "60",
  });
  const storage = new StorageAccess(azure, undefined, () => NOW);

  it("with identityReference: plain blob URL (no SAS) and the identity's resource id", async () => {
    const resourceFile = await toResourceFile(
      { storageAccountName: "store", containerName: "in", sourceBlobPath: "dir/a b.txt", targetFilePath: "a.txt", identityReference: IDENTITY },
      storage,
    );
    assert.deepEqual(resourceFile, {
      httpUrl: "https://store.blob.core.windows.net/in/dir/a%20b.txt",
      filePath: "a.txt",
      identityReference: { resourceId: IDENTITY },
    });
    const outputFile = await toOutputFile(
      { sourceFilePath: "out/*.csv", storageAccountName: "other", containerName: "results", targetBlobPath: "run1", identityReference: IDENTITY },
      storage,
      "tasksuccess",
    );
    assert.deepEqual(outputFile, {
      filePattern: "out/*.csv",
      destination: { container: { containerUrl: "https://other.blob.core.windows.net/results", path: "run1", identityReference: { resourceId: IDENTITY } } },
      uploadOptions: { uploadCondition: "tasksuccess" },
    });
  });

  it("without identity: a read SAS for one blob, https only, valid from 5 minutes ago for BATCH_SAS_LIFETIME_MINUTES", async () => {
    const resourceFile = await toResourceFile(
      { storageAccountName: "store", containerName: "in", sourceBlobPath: "a.txt", targetFilePath: "inputs/a.txt" },
      storage,
    );
    assert.equal(resourceFile.identityReference, undefined);
    assert.ok(resourceFile.httpUrl!.startsWith("https://store.blob.core.windows.net/in/a.txt?"));
    const sas = sasOf(resourceFile.httpUrl!);
    assert.deepEqual(
      [sas.get("sp"), sas.get("sr"), sas.get("spr"), sas.get("st"), sas.get("se")],
      ["r", "b", "https", "2030-01-01T11:55:00Z", "2030-01-01T13:00:00Z"],
    );
    assert.ok(sas.get("sig"));
  });

  it("a prefix ending in / becomes a container resource file with a read+list SAS and blobPrefix", async () => {
    const resourceFile = await toResourceFile({ storageAccountName: "store", containerName: "in", sourceBlobPath: "batch/", targetFilePath: "data" }, storage);
    assert.equal(resourceFile.blobPrefix, "batch/");
    assert.equal(resourceFile.filePath, "data");
    assert.deepEqual([sasOf(resourceFile.storageContainerUrl!).get("sp"), sasOf(resourceFile.storageContainerUrl!).get("sr")], ["rl", "c"]);
  });

  it("outputs get a create+write container SAS", async () => {
    const outputFile = await toOutputFile(
      { sourceFilePath: "report.json", storageAccountName: "store", containerName: "results", targetBlobPath: "job/report.json" },
      storage,
      "tasksuccess",
    );
    const url = outputFile.destination.container!.containerUrl;
    assert.ok(url.startsWith("https://store.blob.core.windows.net/results?"));
    assert.deepEqual([sasOf(url).get("sp"), sasOf(url).get("sr")], ["cw", "c"]);
    assert.equal(outputFile.destination.container!.path, "job/report.json");
  });

  it("an account without key or Entra ID credential cannot be signed for, and says what to do", async () => {
    await assert.rejects(
      toResourceFile({ storageAccountName: "elsewhere", containerName: "in", sourceBlobPath: "a", targetFilePath: "a" }, storage),
      /identityReference, set BATCH_STORAGE_ACCOUNT_KEY/,
    );
  });

  it("inputFromOutput reads back what an output uploads (file or pattern directory)", () => {
    const output = { sourceFilePath: "r.txt", storageAccountName: "store", containerName: "results", targetBlobPath: "job/r.txt", taskId: "3" };
    assert.deepEqual(inputFromOutput(output, "in/r.txt"), {
      storageAccountName: "store",
      containerName: "results",
      sourceBlobPath: "job/r.txt",
      targetFilePath: "in/r.txt",
      identityReference: undefined,
    });
    assert.equal(inputFromOutput({ ...output, sourceFilePath: "*.txt", targetBlobPath: "job/parts" }, "parts").sourceBlobPath, "job/parts/");
  });

  describe("against Azurite (the local service's storage)", () => {
    let service: LocalServiceHandle;
    let local: StorageAccess;

    before(async () => {
      service = await startLocalService({ nodes: 1 });
      const settings = BatchClientSettings.fromEnvironment({
        BATCH_ACCOUNT_URL: service.info.batchUrl,
        BATCH_AUTH_MODE: "local",
        BATCH_STORAGE_BLOB_ENDPOINT: service.info.blobEndpoint,
      });
      local = new StorageAccess(settings);
      await uploadTexts(azuriteBlobService(service.info), "inputs", { "x/1.txt": "one", "x/2.txt": "two" });
    });
    after(() => service.stop());

    it("the read SAS downloads the blob (http allowed for Azurite) and cannot write", async () => {
      const resourceFile = await toResourceFile(
        { storageAccountName: "devstoreaccount1", containerName: "inputs", sourceBlobPath: "x/1.txt", targetFilePath: "1.txt" },
        local,
      );
      assert.equal(sasOf(resourceFile.httpUrl!).get("spr"), "https,http");
      assert.equal((await new BlobClient(resourceFile.httpUrl!).downloadToBuffer()).toString(), "one");
      await assert.rejects(new BlobClient(resourceFile.httpUrl!).getBlockBlobClient().upload("x", 1), { statusCode: 403 });
    });

    it("the container read+list SAS lists the prefix; the output SAS uploads but cannot read", async () => {
      const listing = await toResourceFile(
        { storageAccountName: "devstoreaccount1", containerName: "inputs", sourceBlobPath: "x/", targetFilePath: "x" },
        local,
      );
      const names: string[] = [];
      for await (const blob of new ContainerClient(listing.storageContainerUrl!).listBlobsFlat({ prefix: listing.blobPrefix })) names.push(blob.name);
      assert.deepEqual(names, ["x/1.txt", "x/2.txt"]);
      const output = await toOutputFile(
        { sourceFilePath: "o.txt", storageAccountName: "devstoreaccount1", containerName: "inputs", targetBlobPath: "o.txt" },
        local,
        "tasksuccess",
      );
      const container = new ContainerClient(output.destination.container!.containerUrl);
      await container.getBlockBlobClient("written/o.txt").upload("out", 3);
      await assert.rejects(container.getBlobClient("x/1.txt").downloadToBuffer(), { statusCode: 403 });
    });
  });
});
