// Why: file operations through the real SDK on files written straight into a real task's directory: escapes, 1 GiB, ranges, deletes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import type { AbortSignalLike } from "@azure/ms-rest-js";
import { startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, vm, waitForTask } from "../nodes/poolNodes";
import { allPages, bodyOf, getBuffered, names, nodeFileUrl, pick, taskFileUrl, textOf } from "./fileHelpers";

const POOL = "files-pool";
const GB = 1024 ** 3;

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

describe("files (written into a task's directory)", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let NODE: string;
  let task: string;
  let node: string;
  let outside: string;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    [{ id: NODE }] = (await poolWithIdleNodes(client, POOL, 1)) as { id: string }[];
    await client.job.add({ id: "job1", poolInfo: { poolId: POOL } });
    await client.task.add("job1", { id: "task1", commandLine: "/bin/true" });
    const ran = await waitForTask(client, "job1", "task1", "completed");
    // the node layout: <data>/nodes/<poolId>/<nodeId>/, the task's directory relative to it in nodeInfo
    node = path.join(service.dataDir, "nodes", POOL, NODE);
    task = path.join(node, ran.nodeInfo!.taskRootDirectory!);
    fs.rmSync(task, { recursive: true, force: true });
    outside = tempDir("outside-node");
    write(path.join(outside, "secret.txt"), "do not read or delete me");
    write(path.join(task, "stdout.txt"), "hello world\n");
    write(path.join(task, "stderr.txt"), "");
    write(path.join(task, "wd", "out.txt"), "0123456789");
    write(path.join(task, "wd", "sub", "deep.txt"), "deep");
    fs.mkdirSync(path.join(task, "wd", "empty"));
    fs.symlinkSync(path.join(task, "wd", "out.txt"), path.join(task, "wd", "inlink"));
    fs.symlinkSync(outside, path.join(task, "wd", "outdir"));
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(task, "wd", "outfile"));
    const big = fs.openSync(path.join(task, "wd", "big.bin"), "w");
    fs.ftruncateSync(big, GB); // sparse: 1 GiB of zeros without using the disk
    fs.writeSync(big, "THE-END", GB - 7);
    fs.closeSync(big);
    write(path.join(node, "startup", "stdout.txt"), "start task ran\n");
    write(path.join(node, "shared", "tool.sh"), "#!/bin/sh\n");
  });
  after(async () => {
    await service?.stop();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it("lists the task directory's top level relative to it, directories without properties", async () => {
    const files = await client.file.listFromTask("job1", "task1");
    assert.deepEqual(names(files), ["stderr.txt", "stdout.txt", "wd"]);
    const wd = files.find((file) => file.name === "wd")!;
    assert.equal(wd.isDirectory, true);
    assert.equal(wd.properties, undefined);
    const stdout = files.find((file) => file.name === "stdout.txt")!;
    assert.equal(stdout.isDirectory, false);
    assert.equal(stdout.url, `${service.info.batchUrl}/jobs/job1/tasks/task1/files/stdout.txt`);
    assert.equal(stdout.properties?.contentLength, 12);
    assert.equal(stdout.properties?.contentType, "application/octet-stream");
    assert.equal(stdout.properties?.fileMode, "0100644");
    assert.ok(stdout.properties?.lastModified instanceof Date);
  });

  it("lists recursively with `/` names, shows links inside and hides links leading out", async () => {
    const files = await client.file.listFromTask("job1", "task1", { recursive: true });
    assert.deepEqual(names(files), ["stderr.txt", "stdout.txt", "wd", "wd/big.bin", "wd/empty", "wd/inlink", "wd/out.txt", "wd/sub", "wd/sub/deep.txt"]);
    assert.equal(files.find((file) => file.name === "wd/inlink")?.properties?.contentLength, 10);
    assert.equal(files.find((file) => file.name === "wd/big.bin")?.properties?.contentLength, GB);
    assert.equal(
      files.find((file) => file.name === "wd/sub/deep.txt")?.url,
      `${service.info.batchUrl}/jobs/job1/tasks/task1/files/${encodeURIComponent("wd/sub/deep.txt")}`,
    );
  });

  it("filters with startswith(name,…) and pages with maxresults", async () => {
    const filtered = await client.file.listFromTask("job1", "task1", { recursive: true, fileListFromTaskOptions: { filter: "startswith(name,'wd/s')" } });
    assert.deepEqual(names(filtered), ["wd/sub", "wd/sub/deep.txt"]);
    const first = await client.file.listFromTask("job1", "task1", { recursive: true, fileListFromTaskOptions: { maxResults: 4 } });
    assert.equal(first.length, 4);
    const all = await allPages(first, (link) => client.file.listFromTaskNext(link));
    assert.equal(all.length, 9);
  });

  it("downloads a file and byte ranges of it (ocp-range, inclusive end, clamped to the file)", async () => {
    const whole = await client.file.getFromTask("job1", "task1", "stdout.txt");
    assert.equal(await textOf(whole), "hello world\n");
    assert.equal(whole.contentLength, 12);
    assert.equal(whole.ocpBatchFileIsdirectory, false);
    assert.equal(whole.ocpBatchFileUrl, `${service.info.batchUrl}/jobs/job1/tasks/task1/files/stdout.txt`);
    assert.equal(whole.ocpBatchFileMode, "0100644");
    assert.ok(whole.lastModified instanceof Date);
    const range = async (ocpRange: string) => textOf(await client.file.getFromTask("job1", "task1", "stdout.txt", { fileGetFromTaskOptions: { ocpRange } }));
    assert.equal(await range("bytes=0-4"), "hello");
    assert.equal(await range("bytes=6-"), "world\n");
    assert.equal(await range("bytes=-3"), "ld\n");
    assert.equal(await range("bytes=6-1000"), "world\n");
    const partial = await client.file.getFromTask("job1", "task1", "stdout.txt", { fileGetFromTaskOptions: { ocpRange: "bytes=0-4" } });
    assert.equal(partial.contentLength, 5);
    await bodyOf(partial);
    assert.equal(await textOf(await client.file.getFromTask("job1", "task1", "wd/out.txt")), "0123456789");
    assert.equal(await textOf(await client.file.getFromTask("job1", "task1", "wd\\sub\\deep.txt")), "deep", "the service's Windows-style separator works too");
  });

  it("refuses a range past the end (416 InvalidRange) and a malformed one (400 InvalidHeaderValue)", async () => {
    const url = taskFileUrl("job1", "task1", "stdout.txt");
    assert.deepEqual(pick(await getBuffered(service, url, { "ocp-range": "bytes=12-20" })), { status: 416, code: "InvalidRange" });
    assert.deepEqual(pick(await getBuffered(service, url, { "ocp-range": "lines=1-2" })), { status: 400, code: "InvalidHeaderValue" });
    assert.deepEqual(pick(await getBuffered(service, url, { "ocp-range": "bytes=5-2" })), { status: 400, code: "InvalidHeaderValue" });
  });

  it("streams a 1 GiB file without holding it in memory, and serves its last bytes by range", async () => {
    const tail = await client.file.getFromTask("job1", "task1", "wd/big.bin", { fileGetFromTaskOptions: { ocpRange: `bytes=${GB - 7}-${GB - 1}` } });
    assert.equal(await textOf(tail), "THE-END");
    const before = peakMemory(service);
    const download = await client.file.getFromTask("job1", "task1", "wd/big.bin");
    assert.equal(download.contentLength, GB);
    let total = 0;
    for await (const chunk of download.readableStreamBody!) total += (chunk as Buffer).length;
    assert.equal(total, GB);
    const growth = peakMemory(service) - before;
    assert.ok(growth < 256 * 1024 ** 2, `the service's peak memory grew by ${Math.round(growth / 1024 ** 2)} MiB while streaming 1 GiB`);
  });

  it("closes the file when the client abandons a download", async () => {
    const abort = new AbortController();
    const download = await client.file.getFromTask("job1", "task1", "wd/big.bin", { abortSignal: abort.signal as AbortSignalLike });
    for await (const _chunk of download.readableStreamBody!) break;
    abort.abort(); // the connection goes away mid-download
    const bigFile = fs.realpathSync(path.join(task, "wd", "big.bin"));
    await waitFor(() => (openFiles(service).includes(bigFile) ? undefined : true), "the service to close big.bin", 10_000);
  });

  it("gets file properties with HEAD (size, directory flag, mode, url)", async () => {
    const file = await client.file.getPropertiesFromTask("job1", "task1", "wd/big.bin");
    assert.equal(file.contentLength, GB);
    assert.equal(file.ocpBatchFileIsdirectory, false);
    assert.equal(file.ocpBatchFileMode, "0100644");
    assert.ok(file.lastModified instanceof Date);
    const dir = await client.file.getPropertiesFromTask("job1", "task1", "wd");
    assert.equal(dir.ocpBatchFileIsdirectory, true);
    await assert.rejects(client.file.getPropertiesFromTask("job1", "task1", "nope.txt"), { statusCode: 404 });
  });

  it("refuses paths that escape the task directory, reading and deleting nothing", async () => {
    const escapes = ["../../../../../../etc/passwd", "/etc/passwd", "wd/../../stdout.txt", "wd/outdir/secret.txt", "wd/outfile", "wd\\..\\..\\x", "wd/./../.."];
    // (a bare ".." or "." never reaches a server: URL normalization removes it before the request is sent)
    for (const filePath of escapes) {
      assert.deepEqual(pick(await getBuffered(service, taskFileUrl("job1", "task1", filePath))), { status: 400, code: "InvalidUri" }, `get ${filePath}`);
      await assert.rejects(client.file.getPropertiesFromTask("job1", "task1", filePath), { statusCode: 400 }, `properties ${filePath}`);
      await assert.rejects(client.file.deleteFromTask("job1", "task1", filePath, { recursive: true }), { statusCode: 400 }, `delete ${filePath}`);
    }
    assert.equal(fs.readFileSync(path.join(outside, "secret.txt"), "utf8"), "do not read or delete me");
    assert.ok(fs.lstatSync(path.join(task, "wd", "outfile")).isSymbolicLink());
  });

  it("answers 404 FileNotFound, JobNotFound, TaskNotFound, and 409 for a task that has not run", async () => {
    assert.deepEqual(pick(await getBuffered(service, taskFileUrl("job1", "task1", "missing.txt"))), { status: 404, code: "FileNotFound" });
    await assert.rejects(client.file.deleteFromTask("job1", "task1", "wd/missing"), { statusCode: 404, code: "FileNotFound" });
    await assert.rejects(client.file.listFromTask("nojob", "task1"), { statusCode: 404, code: "JobNotFound" });
    await assert.rejects(client.file.listFromTask("job1", "notask"), { statusCode: 404, code: "TaskNotFound" });
    await client.pool.add({ id: "no-nodes", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    await client.job.add({ id: "waiting-job", poolInfo: { poolId: "no-nodes" } });
    await client.task.add("waiting-job", { id: "never-ran", commandLine: "/bin/true" });
    await assert.rejects(client.file.listFromTask("waiting-job", "never-ran"), { statusCode: 409, code: "OperationInvalidForCurrentState" });
    assert.deepEqual(pick(await getBuffered(service, taskFileUrl("waiting-job", "never-ran", "stdout.txt"))), {
      status: 409,
      code: "OperationInvalidForCurrentState",
    });
  });

  it("answers 409 TaskFilesUnavailable once the node a task ran on has left the pool", async () => {
    await poolWithIdleNodes(client, "shrinks", 1);
    await client.job.add({ id: "gone-job", poolInfo: { poolId: "shrinks" } });
    await client.task.add("gone-job", { id: "ran-there", commandLine: "/bin/true" });
    await waitForTask(client, "gone-job", "ran-there", "completed");
    await client.pool.resize("shrinks", { targetDedicatedNodes: 0 });
    await waitFor(async () => ((await client.computeNode.list("shrinks")).length === 0 ? true : undefined), "the node to leave", 30_000, 100);
    await assert.rejects(client.file.listFromTask("gone-job", "ran-there"), { statusCode: 409, code: "TaskFilesUnavailable" });
  });

  it("deletes files, links (not their targets) and directories (non-empty only with recursive)", async () => {
    await client.file.deleteFromTask("job1", "task1", "wd/inlink");
    assert.equal(fs.existsSync(path.join(task, "wd", "inlink")), false);
    assert.equal(fs.readFileSync(path.join(task, "wd", "out.txt"), "utf8"), "0123456789");
    await client.file.deleteFromTask("job1", "task1", "wd/empty");
    await assert.rejects(client.file.deleteFromTask("job1", "task1", "wd/sub"), { statusCode: 409, code: "DirectoryNotEmpty" });
    await assert.rejects(client.file.deleteFromTask("job1", "task1", "wd/sub", { recursive: false }), { statusCode: 409, code: "DirectoryNotEmpty" });
    assert.equal(fs.existsSync(path.join(task, "wd", "sub", "deep.txt")), true);
    await client.file.deleteFromTask("job1", "task1", "wd/sub", { recursive: true });
    await client.file.deleteFromTask("job1", "task1", "stderr.txt");
    const left = names(await client.file.listFromTask("job1", "task1", { recursive: true }));
    assert.deepEqual(left, ["stdout.txt", "wd", "wd/big.bin", "wd/out.txt"]);
    assert.deepEqual(pick(await getBuffered(service, taskFileUrl("job1", "task1", "stderr.txt"))), { status: 404, code: "FileNotFound" });
  });

  it("lists, reads and deletes a node's files relative to its root directory", async () => {
    const top = await client.file.listFromComputeNode(POOL, NODE);
    assert.deepEqual(names(top), ["applications", "fsmounts", "shared", "startup", "workitems"]);
    assert.ok(top.every((file) => file.isDirectory));
    assert.equal(top[0].url, `${service.info.batchUrl}/pools/${POOL}/nodes/${NODE}/files/applications`);
    const all = await client.file.listFromComputeNode(POOL, NODE, {
      recursive: true,
      fileListFromComputeNodeOptions: { filter: "startswith(name,'workitems/job1/job-1/task1/wd/o')" },
    });
    assert.deepEqual(names(all), ["workitems/job1/job-1/task1/wd/out.txt"]);
    assert.equal(await textOf(await client.file.getFromComputeNode(POOL, NODE, "startup/stdout.txt")), "start task ran\n");
    const range = await client.file.getFromComputeNode(POOL, NODE, "workitems/job1/job-1/task1/stdout.txt", {
      fileGetFromComputeNodeOptions: { ocpRange: "bytes=0-4" },
    });
    assert.equal(await textOf(range), "hello");
    const properties = await client.file.getPropertiesFromComputeNode(POOL, NODE, "shared/tool.sh");
    assert.equal(properties.contentLength, 10);
    assert.equal(properties.ocpBatchFileUrl, `${service.info.batchUrl}/pools/${POOL}/nodes/${NODE}/files/${encodeURIComponent("shared/tool.sh")}`);
    await client.file.deleteFromComputeNode(POOL, NODE, "shared/tool.sh");
    assert.equal(fs.existsSync(path.join(node, "shared", "tool.sh")), false);
    await assert.rejects(client.file.deleteFromComputeNode(POOL, NODE, "startup"), { statusCode: 409, code: "DirectoryNotEmpty" });
  });

  it("refuses node paths that escape the node root, and answers 404 for an unknown pool or node", async () => {
    for (const filePath of ["../../../../etc/passwd", "/etc/hostname", "workitems/job1/job-1/task1/wd/outfile", "startup/../.."]) {
      assert.deepEqual(pick(await getBuffered(service, nodeFileUrl(POOL, NODE, filePath))), { status: 400, code: "InvalidUri" }, `get ${filePath}`);
      await assert.rejects(client.file.deleteFromComputeNode(POOL, NODE, filePath, { recursive: true }), { statusCode: 400 }, `delete ${filePath}`);
    }
    assert.equal(fs.readFileSync(path.join(outside, "secret.txt"), "utf8"), "do not read or delete me");
    await assert.rejects(client.file.listFromComputeNode("nopool", NODE), { statusCode: 404, code: "PoolNotFound" });
    await assert.rejects(client.file.listFromComputeNode(POOL, "nonode"), { statusCode: 404, code: "NodeNotFound" });
  });
});

/** The files the service process has open. */
function openFiles(service: LocalServiceHandle): string[] {
  const dir = `/proc/${service.process.pid}/fd`;
  return fs.readdirSync(dir).flatMap((fd) => {
    try {
      return [fs.readlinkSync(path.join(dir, fd))];
    } catch {
      return [];
    }
  });
}

/** The service process's peak resident memory (VmHWM) in bytes. */
function peakMemory(service: LocalServiceHandle): number {
  const status = fs.readFileSync(`/proc/${service.process.pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
