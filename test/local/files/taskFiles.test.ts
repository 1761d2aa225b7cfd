// Why: task and node files end to end through the real SDK: what a start task and a task really wrote, listed and downloaded.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, waitForTask } from "../nodes/poolNodes";
import { getBuffered, names, nodeFileUrl, pick, taskFileUrl, textOf } from "./fileHelpers";

const POOL = "files-e2e";
const JOB = "files-job";
const script = [
  "echo hello world",
  "echo oops >&2",
  "mkdir -p sub/empty",
  "printf 0123456789 > out.txt",
  "echo deep > sub/deep.txt",
  "ln -s /etc/hostname escape",
  "ln -s out.txt inside",
].join("; ");

describe("files (end to end)", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  let nodeId: string;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    const [node] = await poolWithIdleNodes(client, POOL, 1, { startTask: { commandLine: `/bin/sh -c "echo start task ran"`, waitForSuccess: true } });
    nodeId = node.id!;
    await client.job.add({ id: JOB, poolInfo: { poolId: POOL } });
    await client.task.add(JOB, { id: "writer", commandLine: `/bin/sh -c "${script}"` });
    const task = await waitForTask(client, JOB, "writer", "completed");
    assert.equal(task.executionInfo?.exitCode, 0, "the writer task succeeded");
  });
  after(() => service.stop());

  it("lists the task directory's top level and, recursively, what the task wrote", async () => {
    const top = names(await client.file.listFromTask(JOB, "writer"));
    for (const name of ["stderr.txt", "stdout.txt", "wd"]) assert.ok(top.includes(name), `${name} in ${top.join(", ")}`);
    assert.ok(top.every((name) => !name.includes("/")));
    const all = names(await client.file.listFromTask(JOB, "writer", { recursive: true }));
    for (const name of ["wd/out.txt", "wd/inside", "wd/sub", "wd/sub/deep.txt", "wd/sub/empty"]) assert.ok(all.includes(name), `${name} in ${all.join(", ")}`);
    assert.ok(!all.includes("wd/escape"), "a link leading out of the task directory is not listed");
    const filtered = names(
      await client.file.listFromTask(JOB, "writer", { recursive: true, fileListFromTaskOptions: { filter: "startswith(name,'wd/sub')" } }),
    );
    assert.deepEqual(filtered, ["wd/sub", "wd/sub/deep.txt", "wd/sub/empty"]);
  });

  it("downloads stdout, stderr and byte ranges, and reads file properties", async () => {
    assert.equal(await textOf(await client.file.getFromTask(JOB, "writer", "stdout.txt")), "hello world\n");
    assert.equal(await textOf(await client.file.getFromTask(JOB, "writer", "stderr.txt")), "oops\n");
    assert.equal(await textOf(await client.file.getFromTask(JOB, "writer", "stdout.txt", { fileGetFromTaskOptions: { ocpRange: "bytes=0-4" } })), "hello");
    assert.equal(await textOf(await client.file.getFromTask(JOB, "writer", "wd/out.txt", { fileGetFromTaskOptions: { ocpRange: "bytes=5-" } })), "56789");
    const properties = await client.file.getPropertiesFromTask(JOB, "writer", "wd/out.txt");
    assert.equal(properties.contentLength, 10);
    assert.equal(properties.ocpBatchFileIsdirectory, false);
    assert.equal(properties.ocpBatchFileUrl, `${service.info.batchUrl}/jobs/${JOB}/tasks/writer/files/${encodeURIComponent("wd/out.txt")}`);
  });

  it("refuses a link the task made that leads out of its directory", async () => {
    assert.deepEqual(pick(await getBuffered(service, taskFileUrl(JOB, "writer", "wd/escape"))), { status: 400, code: "InvalidUri" });
    await assert.rejects(client.file.deleteFromTask(JOB, "writer", "wd/escape"), { statusCode: 400 });
    await client.file.deleteFromTask(JOB, "writer", "wd/sub", { recursive: true });
    assert.ok(!names(await client.file.listFromTask(JOB, "writer", { recursive: true })).some((name) => name.startsWith("wd/sub")));
  });

  it("lists and reads the node's files relative to its root: start task output, the task's directory", async () => {
    const top = names(await client.file.listFromComputeNode(POOL, nodeId));
    for (const name of ["applications", "fsmounts", "shared", "startup", "workitems"]) assert.ok(top.includes(name), `${name} in ${top.join(", ")}`);
    assert.equal(await textOf(await client.file.getFromComputeNode(POOL, nodeId, "startup/stdout.txt")), "start task ran\n");
    const task = await client.task.get(JOB, "writer");
    assert.equal(task.nodeInfo?.taskRootDirectory, `workitems/${JOB}/job-1/writer`);
    assert.equal(await textOf(await client.file.getFromComputeNode(POOL, nodeId, `${task.nodeInfo!.taskRootDirectory}/wd/out.txt`)), "0123456789");
    const workitems = names(
      await client.file.listFromComputeNode(POOL, nodeId, { recursive: true, fileListFromComputeNodeOptions: { filter: "startswith(name,'workitems/')" } }),
    );
    assert.ok(workitems.includes(`workitems/${JOB}/job-1/writer/stdout.txt`), workitems.join(", "));
    assert.deepEqual(pick(await getBuffered(service, nodeFileUrl(POOL, nodeId, "../../../../etc/passwd"))), { status: 400, code: "InvalidUri" });
  });
});
