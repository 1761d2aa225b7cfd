// Why: resource-file downloads against a real Azurite: every source kind, file modes, failure info, and escape attempts.
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BatchServiceError } from "../../../src/local/protocol/batchError";
import { downloadResourceFiles, ResourceFileError, validateResourceFile, type ResourceFile } from "../../../src/local/storage";
import {
  blobSasUrl,
  containerSasUrl,
  createContainer,
  filesBelow,
  forgedSasUrl,
  putRawBlob,
  SAS_SIGNATURE,
  startFixture,
  taskDirWith,
  type StorageFixture,
} from "./helpers";

const isLinux = process.platform !== "win32";

describe("downloadResourceFiles", () => {
  let fixture: StorageFixture;
  let counter = 0;
  const newWorkingDir = async (): Promise<{ taskDir: string; workingDir: string }> => taskDirWith(fixture.root, `task${++counter}`, {});
  const download = async (files: ResourceFile[], workingDir: string, withAutoStorage = false): Promise<void> =>
    downloadResourceFiles(files, { workingDir, logger: fixture.logger, autoStorage: withAutoStorage ? fixture.azurite : undefined });
  const failureOf = async (promise: Promise<void>): Promise<ResourceFileError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ResourceFileError, `expected ResourceFileError, got ${String(error)}`);
    assert.equal(error.failureInfo.category, "usererror");
    assert.doesNotMatch(JSON.stringify(error.failureInfo), SAS_SIGNATURE);
    return error;
  };

  before(async () => {
    fixture = await startFixture("resource");
    await createContainer(fixture, "inputs", {
      "data/a.txt": "A",
      "data/sub/b.txt": "B",
      "other/c.txt": "C",
      "top.txt": "TOP",
      "dir-marker/": "",
    });
    await createContainer(fixture, "evil", { "ok.txt": "ok" });
    await putRawBlob(fixture, "evil", "%2E%2E/escaped.txt", "x");
  });

  after(async () => {
    await fixture.close();
  });

  it("downloads an httpUrl (blob SAS URL) to filePath with the default mode 0770", async () => {
    const { workingDir } = await newWorkingDir();
    await download([{ httpUrl: blobSasUrl(fixture, "inputs", "data/a.txt"), filePath: "in/a-copy.txt" }], workingDir);
    assert.equal(await fs.readFile(path.join(workingDir, "in/a-copy.txt"), "utf8"), "A");
    if (isLinux) assert.equal((await fs.stat(path.join(workingDir, "in/a-copy.txt"))).mode & 0o777, 0o770);
    assert.deepEqual(await filesBelow(workingDir), [path.join("in", "a-copy.txt")]);
  });

  it("applies fileMode", { skip: !isLinux }, async () => {
    const { workingDir } = await newWorkingDir();
    await download([{ httpUrl: blobSasUrl(fixture, "inputs", "top.txt"), filePath: "run.sh", fileMode: "0755" }], workingDir);
    assert.equal((await fs.stat(path.join(workingDir, "run.sh"))).mode & 0o777, 0o755);
  });

  it("downloads a storageContainerUrl with blobPrefix into a filePath directory, keeping blob paths", async () => {
    const { workingDir } = await newWorkingDir();
    await download([{ storageContainerUrl: containerSasUrl(fixture, "inputs", "rl"), blobPrefix: "data/", filePath: "inputs", fileMode: "0640" }], workingDir);
    assert.deepEqual(await filesBelow(workingDir), [path.join("inputs", "data", "a.txt"), path.join("inputs", "data", "sub", "b.txt")]);
    assert.equal(await fs.readFile(path.join(workingDir, "inputs/data/sub/b.txt"), "utf8"), "B");
    if (isLinux) assert.equal((await fs.stat(path.join(workingDir, "inputs/data/a.txt"))).mode & 0o777, 0o640);
  });

  it("downloads a whole container to the working directory when filePath and blobPrefix are omitted", async () => {
    const { workingDir } = await newWorkingDir();
    await download([{ storageContainerUrl: containerSasUrl(fixture, "inputs", "rl") }], workingDir);
    assert.deepEqual(
      await filesBelow(workingDir),
      ["data/a.txt", "data/sub/b.txt", "other/c.txt", "top.txt"].map((name) => path.join(...name.split("/"))),
    );
  });

  it("downloads an autoStorageContainerName with the auto-storage account key", async () => {
    const { workingDir } = await newWorkingDir();
    await download([{ autoStorageContainerName: "inputs", blobPrefix: "other" }], workingDir, true);
    assert.equal(await fs.readFile(path.join(workingDir, "other/c.txt"), "utf8"), "C");
  });

  it("uses the auto-storage key for an identityReference on a URL without SAS", async () => {
    const { workingDir } = await newWorkingDir();
    const identityReference = { resourceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/z" };
    await download(
      [
        { storageContainerUrl: `${fixture.azurite.blobEndpoint}/inputs`, blobPrefix: "top", identityReference },
        { httpUrl: `${fixture.azurite.blobEndpoint}/inputs/data/a.txt`, filePath: "a.txt", identityReference },
      ],
      workingDir,
      true,
    );
    assert.deepEqual(await filesBelow(workingDir), ["a.txt", "top.txt"]);
  });

  it("reports a missing blob as BlobNotFound without the SAS", async () => {
    const { workingDir } = await newWorkingDir();
    const url = blobSasUrl(fixture, "inputs", "missing.txt");
    const error = await failureOf(download([{ httpUrl: url, filePath: "m.txt" }], workingDir));
    assert.equal(error.failureInfo.code, "BlobNotFound");
    assert.deepEqual(error.failureInfo.details?.find((detail) => detail.name === "BlobSource")?.value, `${fixture.azurite.blobEndpoint}/inputs/missing.txt`);
    assert.deepEqual(await filesBelow(workingDir), []);
  });

  it("reports a rejected SAS as ResourceContainerAccessDenied and a missing container as ResourceContainerListMiscError", async () => {
    const { workingDir } = await newWorkingDir();
    const denied = await failureOf(download([{ storageContainerUrl: forgedSasUrl(fixture, "inputs") }], workingDir));
    assert.equal(denied.failureInfo.code, "ResourceContainerAccessDenied");
    const missing = await failureOf(download([{ storageContainerUrl: containerSasUrl(fixture, "no-such-container", "rl") }], workingDir));
    assert.equal(missing.failureInfo.code, "ResourceContainerListMiscError");
    assert.ok(missing.failureInfo.details?.some((detail) => detail.name === "ErrorCode" && detail.value === "ContainerNotFound"));
  });

  it("reports an unreachable httpUrl as BlobDownloadMiscError", async () => {
    const { workingDir } = await newWorkingDir();
    const error = await failureOf(download([{ httpUrl: "http://127.0.0.1:9/nothing?sig=secret", filePath: "x" }], workingDir));
    assert.equal(error.failureInfo.code, "BlobDownloadMiscError");
    assert.doesNotMatch(error.message, /secret/);
  });

  it("rejects filePath escapes and writes nothing outside the working directory", async () => {
    const { taskDir, workingDir } = await newWorkingDir();
    const url = blobSasUrl(fixture, "inputs", "top.txt");
    for (const filePath of ["../outside.txt", "a/../../outside.txt", path.join(fixture.root, "abs.txt"), "/etc/lb-abs.txt"]) {
      const error = await failureOf(download([{ httpUrl: url, filePath }], workingDir));
      assert.equal(error.failureInfo.code, "ResourceFileCreateFailed");
    }
    const evil = await failureOf(download([{ storageContainerUrl: containerSasUrl(fixture, "evil", "rl") }], workingDir));
    assert.equal(evil.failureInfo.code, "ResourceFileCreateFailed");
    for (const name of await filesBelow(taskDir)) assert.ok(name.startsWith(`wd${path.sep}`), `${name} written outside the working directory`);
    await assert.rejects(fs.stat(path.join(taskDir, "outside.txt")));
    await assert.rejects(fs.stat(path.join(taskDir, "escaped.txt")));
    await assert.rejects(fs.stat(path.join(fixture.root, "abs.txt")));
  });

  it("refuses to write through a symbolic link that leaves the working directory", async () => {
    const { taskDir, workingDir } = await newWorkingDir();
    const outside = path.join(taskDir, "outside");
    await fs.mkdir(outside);
    await fs.symlink(outside, path.join(workingDir, "link"), "dir");
    const error = await failureOf(download([{ httpUrl: blobSasUrl(fixture, "inputs", "top.txt"), filePath: "link/x.txt" }], workingDir));
    assert.equal(error.failureInfo.code, "ResourceFileCreateFailed");
    assert.deepEqual(await fs.readdir(outside), []);
  });

  it("replaces a symlink at the destination instead of writing through it", async () => {
    const { taskDir, workingDir } = await newWorkingDir();
    const victim = path.join(taskDir, "victim.txt");
    await fs.writeFile(victim, "untouched");
    await fs.symlink(victim, path.join(workingDir, "target.txt"));
    await download([{ httpUrl: blobSasUrl(fixture, "inputs", "top.txt"), filePath: "target.txt" }], workingDir);
    assert.equal(await fs.readFile(victim, "utf8"), "untouched");
    assert.equal(await fs.readFile(path.join(workingDir, "target.txt"), "utf8"), "TOP");
    assert.equal((await fs.lstat(path.join(workingDir, "target.txt"))).isSymbolicLink(), false);
  });

  it("rethrows an abort instead of reporting a failure", async () => {
    const { workingDir } = await newWorkingDir();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      downloadResourceFiles([{ httpUrl: blobSasUrl(fixture, "inputs", "top.txt"), filePath: "t.txt" }], {
        workingDir,
        logger: fixture.logger,
        signal: controller.signal,
      }),
      (error: unknown) => !(error instanceof ResourceFileError) && (error as Error).name === "AbortError",
    );
  });

  it("never logs SAS signatures", () => {
    for (const line of fixture.logger.lines) assert.doesNotMatch(line, SAS_SIGNATURE, line);
  });
});

describe("validateResourceFile", () => {
  const invalid = (file: ResourceFile, code: string, property: string): void => {
    assert.throws(
      () => validateResourceFile(file, "resourceFiles[0]"),
      (error: unknown) => error instanceof BatchServiceError && error.code === code && error.message.includes(property),
    );
  };

  it("accepts each valid source form", () => {
    validateResourceFile({ httpUrl: "https://a.blob.core.windows.net/c/b.txt?sig=x", filePath: "b.txt" }, "r");
    validateResourceFile({ storageContainerUrl: "https://a.blob.core.windows.net/c?sig=x", blobPrefix: "p/", filePath: "dir", fileMode: "0644" }, "r");
    validateResourceFile({ autoStorageContainerName: "my-container" }, "r");
  });

  it("rejects zero or several sources, a missing filePath and a misplaced blobPrefix", () => {
    invalid({ filePath: "x" }, "InvalidPropertyValue", "resourceFiles[0]");
    invalid({ httpUrl: "https://h/x", storageContainerUrl: "https://h/c", filePath: "x" }, "InvalidPropertyValue", "resourceFiles[0]");
    invalid({ httpUrl: "https://h/x" }, "MissingRequiredProperty", "resourceFiles[0].filePath");
    invalid({ httpUrl: "https://h/x", filePath: "x", blobPrefix: "p" }, "InvalidPropertyValue", "resourceFiles[0].blobPrefix");
  });

  it("rejects bad URLs, container names, file modes and escaping paths without echoing the SAS", () => {
    invalid({ httpUrl: "ftp://h/x", filePath: "x" }, "InvalidPropertyValue", "resourceFiles[0].httpUrl");
    invalid({ autoStorageContainerName: "Bad_Name" }, "InvalidPropertyValue", "resourceFiles[0].autoStorageContainerName");
    invalid({ autoStorageContainerName: "c01", fileMode: "rwx" }, "InvalidPropertyValue", "resourceFiles[0].fileMode");
    for (const filePath of ["../x", "a/../../x", "/etc/x", "C:\\x", "a\\..\\x"])
      invalid({ autoStorageContainerName: "c01", filePath }, "InvalidPropertyValue", "resourceFiles[0].filePath");
    assert.throws(
      () => validateResourceFile({ storageContainerUrl: "notaurl?sig=topsecret" }, "r"),
      (error: unknown) => error instanceof BatchServiceError && !JSON.stringify(error.values).includes("topsecret") && !error.message.includes("topsecret"),
    );
  });
});
