// Why: shared fixtures for the storage tests: a real Azurite, SAS URLs, containers with blobs, task directories and a log recorder.
import * as fs from "node:fs/promises";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { Logger } from "../../../src/local/common/logger";
import { startAzurite, type AzuriteInstance } from "../../../src/local/storage";

export interface RecordingLogger extends Logger {
  lines: string[];
}

/** Keeps every line so tests can assert that no SAS signature or key was logged. */
export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => void lines.push(`[${level}] ${message}`);
  return { lines, debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `lb-storage-${prefix}-`));
}

export interface StorageFixture {
  azurite: AzuriteInstance;
  service: BlobServiceClient;
  credential: StorageSharedKeyCredential;
  root: string;
  logger: RecordingLogger;
  close(): Promise<void>;
}

export async function startFixture(name: string): Promise<StorageFixture> {
  const root = await tempDir(name);
  const logger = recordingLogger();
  const azurite = await startAzurite({ dataDir: root, port: 0, logger });
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const service = new BlobServiceClient(azurite.blobEndpoint, credential);
  return {
    azurite,
    service,
    credential,
    root,
    logger,
    close: async () => {
      await azurite.stop();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

const inOneHour = (): Date => new Date(Date.now() + 3600_000);

export function containerSasUrl(fixture: StorageFixture, container: string, permissions = "racwdl"): string {
  const sas = generateBlobSASQueryParameters(
    { containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: inOneHour() },
    fixture.credential,
  ).toString();
  return `${fixture.azurite.blobEndpoint}/${container}?${sas}`;
}

export function blobSasUrl(fixture: StorageFixture, container: string, blob: string, permissions = "r"): string {
  const sas = generateBlobSASQueryParameters(
    { containerName: container, blobName: blob, permissions: BlobSASPermissions.parse(permissions), expiresOn: inOneHour() },
    fixture.credential,
  ).toString();
  return `${fixture.azurite.blobEndpoint}/${container}/${blob.split("/").map(encodeURIComponent).join("/")}?${sas}`;
}

/** A SAS signed with the wrong key: well-formed, rejected by the service with 403. */
export function forgedSasUrl(fixture: StorageFixture, container: string): string {
  const wrong = new StorageSharedKeyCredential(fixture.azurite.accountName, Buffer.from("not the key").toString("base64"));
  const sas = generateBlobSASQueryParameters(
    { containerName: container, permissions: ContainerSASPermissions.parse("racwl"), expiresOn: inOneHour() },
    wrong,
  ).toString();
  return `${fixture.azurite.blobEndpoint}/${container}?${sas}`;
}

export async function createContainer(fixture: StorageFixture, container: string, blobs: Record<string, string> = {}): Promise<void> {
  const client = fixture.service.getContainerClient(container);
  await client.create();
  for (const [name, content] of Object.entries(blobs)) await client.getBlockBlobClient(name).upload(content, Buffer.byteLength(content));
}

/** Creates a blob through a raw, un-normalized request path, so names such as `../x` can exist (the SDK would normalize them away). */
export async function putRawBlob(fixture: StorageFixture, container: string, encodedName: string, content: string): Promise<void> {
  const query = new URL(containerSasUrl(fixture, container)).search;
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: fixture.azurite.port,
        method: "PUT",
        path: `/${fixture.azurite.accountName}/${container}/${encodedName}${query}`,
        headers: { "x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06", "content-length": Buffer.byteLength(content) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      },
    );
    request.on("error", reject);
    request.end(content);
  });
  if (status !== 201) throw new Error(`raw blob upload answered ${status}`);
}

export async function blobNames(fixture: StorageFixture, container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of fixture.service.getContainerClient(container).listBlobsFlat()) names.push(blob.name);
  return names.sort();
}

export async function blobText(fixture: StorageFixture, container: string, name: string): Promise<string> {
  return (await fixture.service.getContainerClient(container).getBlobClient(name).downloadToBuffer()).toString("utf8");
}

/** Lays out `<root>/<name>/` as a task directory with `wd/` and the given files (paths relative to the task dir). */
export async function taskDirWith(root: string, name: string, files: Record<string, string>): Promise<{ taskDir: string; workingDir: string }> {
  const taskDir = path.join(root, name);
  const workingDir = path.join(taskDir, "wd");
  await fs.mkdir(workingDir, { recursive: true });
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(taskDir, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
  return { taskDir, workingDir };
}

/** Every file below `dir`, relative, sorted. */
export async function filesBelow(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

export const SAS_SIGNATURE = /[?&]sig=(?!REDACTED)/i;
