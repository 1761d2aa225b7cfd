// Why: resource files and output files through the real storage module and a real Azurite: downloads before the command, uploads after, failures.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ContainerClient, ContainerSASPermissions, StorageSharedKeyCredential } from "@azure/storage-blob";
import { silentLogger } from "../../../src/local/common/logger";
import { startAzurite, type AzuriteInstance } from "../../../src/local/storage";
import type { NodeRecord } from "../../../src/local/store/model";
import { harness, launch, never, readText, readyNode, tempDir, type Harness } from "./helpers";

describe("resource and output files (Azurite)", () => {
  let azuriteDir: string;
  let azurite: AzuriteInstance;
  let h: Harness;
  let node: NodeRecord;
  let outputs: ContainerClient;
  let outputSasUrl: string;

  const container = (name: string) =>
    new ContainerClient(`${azurite.blobEndpoint}/${name}`, new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey));
  const run = (taskId: string, spec: Record<string, unknown>) =>
    h.agent.run(launch(node, h.state.getPool("files")!.wire, { kind: "task", jobId: "fj", taskId, job: { id: "fj" }, spec: { id: taskId, ...spec } }), never);

  before(async () => {
    azuriteDir = tempDir("node-agent-azurite");
    azurite = await startAzurite({ dataDir: azuriteDir, logger: silentLogger });
    h = harness({ storage: { blobEndpoint: azurite.blobEndpoint, accountName: azurite.accountName, accountKey: azurite.accountKey } });
    const inputs = container("inputs");
    await inputs.create();
    await inputs.uploadBlockBlob("data/hello.txt", "hello from blob", 15);
    outputs = container("outputs");
    await outputs.create();
    outputSasUrl = await outputs.generateSasUrl({ permissions: ContainerSASPermissions.parse("rwl"), expiresOn: new Date(Date.now() + 3600_000) });
    node = await readyNode(h, "files");
  });
  after(async () => {
    await h?.close();
    await azurite?.stop();
    fs.rmSync(azuriteDir, { recursive: true, force: true });
  });

  it("downloads resource files into the working directory before the command, uploads output files after it", async () => {
    const result = await run("io", {
      commandLine: `/bin/sh -c "cat in/data/hello.txt > result.txt; echo done"`,
      resourceFiles: [{ autoStorageContainerName: "inputs", filePath: "in" }],
      outputFiles: [
        {
          filePattern: "result.txt",
          destination: { container: { containerUrl: outputSasUrl, path: "io/result.txt" } },
          uploadOptions: { uploadCondition: "tasksuccess" },
        },
        {
          filePattern: "../std*.txt",
          destination: { container: { containerUrl: outputSasUrl, path: "io/logs" } },
          uploadOptions: { uploadCondition: "taskcompletion" },
        },
      ],
    });
    assert.equal(result.exitCode, 0);
    assert.equal(result.failureKind, undefined);
    assert.equal(readText(path.join(result.workingDir, "in", "data", "hello.txt")), "hello from blob");
    const uploaded = (await outputs.getBlobClient("io/result.txt").downloadToBuffer()).toString();
    assert.equal(uploaded, "hello from blob");
    const names: string[] = [];
    for await (const blob of outputs.listBlobsFlat({ prefix: "io/logs" })) names.push(blob.name);
    assert.deepEqual(names.sort(), ["io/logs/stderr.txt", "io/logs/stdout.txt"]);
    assert.ok(fs.existsSync(path.join(result.taskDir, "fileuploadout.txt")));
  });

  it("a resource file that cannot be downloaded is a pre-processing error: the command never runs, no exit code", async () => {
    const result = await run("nofile", {
      commandLine: "/usr/bin/touch ran",
      resourceFiles: [{ httpUrl: `${azurite.blobEndpoint}/inputs/missing.txt`, filePath: "missing.txt" }],
      outputFiles: [{ filePattern: "*", destination: { container: { containerUrl: outputSasUrl } }, uploadOptions: { uploadCondition: "taskcompletion" } }],
    });
    assert.equal(result.failureKind, "preProcessing");
    assert.equal(result.exitCode, undefined);
    assert.equal(result.failureInfo?.category, "usererror");
    assert.ok(result.failureInfo?.code);
    assert.equal(fs.existsSync(path.join(result.workingDir, "ran")), false);
    assert.equal(fs.existsSync(path.join(result.taskDir, "stdout.txt")), false);
    assert.equal(fs.existsSync(path.join(result.taskDir, "fileuploadout.txt")), false, "no upload attempted");
  });

  it("an upload to a missing container is a fileUpload failure with the exit code kept; the SAS never reaches the log", async () => {
    const missing = await container("no-such-container").generateSasUrl({
      permissions: ContainerSASPermissions.parse("rwl"),
      expiresOn: new Date(Date.now() + 3600_000),
    });
    const result = await run("badupload", {
      commandLine: "/bin/sh -c 'echo x > out.txt'",
      outputFiles: [{ filePattern: "out.txt", destination: { container: { containerUrl: missing } }, uploadOptions: { uploadCondition: "taskcompletion" } }],
    });
    assert.equal(result.exitCode, 0);
    assert.equal(result.failureKind, "fileUpload");
    assert.equal(result.failureInfo?.code, "FileUploadContainerNotFound");
    const signature = new URL(missing).searchParams.get("sig")!;
    assert.ok(!h.log.some((line) => line.includes(signature)), "no SAS signature in the log");
    assert.ok(!JSON.stringify(result).includes(signature), "no SAS signature in the result");
  });
});
