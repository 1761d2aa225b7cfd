// Why: unit tests (plain node) of task and node files against a REAL local Batch service: tail-only ranged reads, the file tree, follow mode.

import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type BatchFilesClientLike, FileAccess } from "../../../src/extension/files/batchFileClient";
import { Follower, type FollowEnd } from "../../../src/extension/files/follower";
import { TailView } from "../../../src/extension/files/tailView";
import { CommandId } from "../../../src/extension/common/ids";
import type { LocalServiceProbe } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { LOAD_MORE_LABEL } from "../../../src/extension/tree/paging";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { type LocalServiceHandle, startLocalService, waitFor } from "../../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

const vm = LOCAL_POOL_VM_CONFIGURATION;
const BIG = 20_000_000;
const MiB = 1024 * 1024;

/** The real client with every file read's `ocp-range` recorded. */
function recordingReads(service: LocalServiceHandle): { client: BatchFilesClientLike; ranges: string[] } {
  const real = service.client();
  const ranges: string[] = [];
  const getFromTask = real.file.getFromTask.bind(real.file);
  real.file.getFromTask = ((jobId: string, taskId: string, path: string, options?: { fileGetFromTaskOptions?: { ocpRange?: string } }) => {
    ranges.push(options?.fileGetFromTaskOptions?.ocpRange ?? "whole file");
    return getFromTask(jobId, taskId, path, options);
  }) as typeof real.file.getFromTask;
  const client: BatchFilesClientLike = real; // compile-time proof that the real client fits
  return { client, ranges };
}

async function completed(service: LocalServiceHandle, jobId: string, taskId: string): Promise<void> {
  await waitFor(
    async () => ((await service.client().task.get(jobId, taskId)).state === "completed" ? true : undefined),
    `task ${taskId} to complete`,
    90_000,
    200,
  );
}

describe("task and node files against a real local Batch service", () => {
  let service: LocalServiceHandle;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    const client = service.client();
    await client.pool.add({ id: "files-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1, taskSlotsPerNode: 4 });
    await client.job.add({ id: "files-job", poolInfo: { poolId: "files-pool" } });
    await client.task.add("files-job", { id: "big", commandLine: `/bin/sh -c "head -c ${BIG} /dev/zero | tr '\\0' a; echo; echo END"` });
    await client.task.add("files-job", {
      id: "tree",
      commandLine: `/bin/sh -c "echo hello; echo oops >&2; mkdir -p sub/deeper; echo x > sub/a.txt; echo y > sub/deeper/b.txt; echo z > top.txt"`,
    });
    await completed(service, "files-job", "big");
    await completed(service, "files-job", "tree");
  });

  after(async () => {
    await service?.stop();
  });

  it("opening a 20 MB stdout fetches only its last 4 MiB, in one ranged read, under a truncation banner", async () => {
    const { client, ranges } = recordingReads(service);
    const access = new FileAccess(client, { kind: "task", jobId: "files-job", taskId: "big" });
    const size = BIG + "\nEND\n".length;
    assert.equal((await access.stat("stdout.txt")).size, size);
    const view = await TailView.open(access, "stdout.txt", 4 * MiB);
    assert.deepEqual(ranges, [`bytes=${size - 4 * MiB}-${size - 1}`]);
    const text = Buffer.from(view.content).toString("utf8");
    const [banner, ...rest] = text.split("\n");
    assert.match(banner, /^\[Azure Batch\] Truncated: showing the last .* of 19 MiB \(from byte \d+\)\. Raise the setting "batchManager\.files\.maxOpenBytes"/);
    assert.equal(rest.join("\n"), "END\n", "the partial first line (the tail of the a's) is dropped at the line boundary");
    assert.equal(view.truncated, true);
    assert.equal(await view.update(), false, "nothing new: no read");
    assert.equal(ranges.length, 1);
  });

  it("a small file is read whole and 0 means no limit", async () => {
    const { client, ranges } = recordingReads(service);
    const access = new FileAccess(client, { kind: "task", jobId: "files-job", taskId: "tree" });
    const view = await TailView.open(access, "stderr.txt", 0);
    assert.equal(Buffer.from(view.content).toString(), "oops\n");
    assert.deepEqual(ranges, ["bytes=0-4"]);
    assert.equal(view.truncated, false);
  });

  it("a task's files appear under it as a paged folder tree whose files open batch: URIs", async () => {
    const client = service.client();
    const probe: LocalServiceProbe = {
      getStatus: async () => ({ state: "running", endpoint: service.info.batchUrl, accountName: service.info.accountName, client }),
    };
    const model = new ExplorerModel({ localService: probe, pageSize: 2 });
    const [local] = await model.children(model.roots()[0]);
    const child = async (parent: TreeNode, label: string) => {
      const found = (await model.children(parent)).find((n) => n.label === label);
      assert.ok(found, `no ${label} under ${parent.id}: ${(await model.children(parent)).map((n) => n.label)}`);
      return found;
    };
    const job = await child(await child(local, "Jobs"), "files-job");
    await model.loadMore((await model.children(job)).at(-1)!);
    const task = await child(job, "tree");
    assert.equal(task.collapsible, "collapsed");
    const first = await model.children(task);
    assert.equal(first.length, 3);
    assert.equal(first[2].label, LOAD_MORE_LABEL);
    assert.equal(first[2].parent, task, "Load more belongs to the task item");
    const changed: (string | undefined)[] = [];
    model.onDidChange((node) => changed.push(node?.id));
    await model.loadMore(first[2]);
    assert.deepEqual(changed, [task.id]);
    const all = async (parent: TreeNode) => {
      let children = await model.children(parent);
      while (children.at(-1)?.label === LOAD_MORE_LABEL) {
        await model.loadMore(children.at(-1)!);
        children = await model.children(parent);
      }
      return children;
    };
    const files = await all(task);
    // the local node also keeps a certs/ folder in the task directory
    assert.deepEqual(
      files.map((n) => n.label).filter((l) => l !== "certs"),
      ["stderr.txt", "stdout.txt", "wd"],
    );
    const stdout = files.find((n) => n.label === "stdout.txt")!;
    assert.equal(stdout.command?.id, CommandId.filesOpen);
    assert.deepEqual(stdout.command?.args, ["batch://local/jobs/files-job/tasks/tree/files/stdout.txt"]);
    assert.equal(stdout.contextValue, "batchFile followable");
    assert.equal(stdout.description, "6 B");
    const wd = files.find((n) => n.label === "wd")!;
    assert.equal(wd.contextValue, "batchFolder");
    // a sub-folder lists recursively under startswith(name,'wd/') and keeps direct children: pages may come out short
    assert.deepEqual(
      (await all(wd)).map((n) => n.label),
      ["sub", "top.txt"],
    );
    const sub = await child(wd, "sub");
    assert.deepEqual(
      (await all(sub)).map((n) => n.label),
      ["a.txt", "deeper"],
    );
    const b = (await all(await child(sub, "deeper")))[0];
    assert.deepEqual(b.command?.args, ["batch://local/jobs/files-job/tasks/tree/files/wd/sub/deeper/b.txt"]);
    assert.equal(b.contextValue, "batchFile");
    const ids = [task, ...files, sub, b].map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length, "ids are unique");
  });

  it("a compute node shows its node files", async () => {
    const client = service.client();
    const probe: LocalServiceProbe = {
      getStatus: async () => ({ state: "running", endpoint: service.info.batchUrl, accountName: service.info.accountName, client }),
    };
    const model = new ExplorerModel({ localService: probe });
    const [local] = await model.children(model.roots()[0]);
    const [pools] = await model.children(local);
    const pool = (await model.children(pools)).find((n) => n.label === "files-pool")!;
    const [node] = await model.children(pool);
    assert.equal(node.contextValue, "computeNode");
    const names = (await model.children(node)).map((n) => n.label);
    assert.ok(names.includes("workitems") && names.includes("startup") && names.includes("shared"), `node files: ${names}`);
    const workitems = (await model.children(node)).find((n) => n.label === "workitems")!;
    assert.deepEqual(
      (await model.children(workitems)).map((n) => n.label),
      ["files-job"],
    );
  });

  it("following a running task appends only the new bytes until it completes", async () => {
    const client = service.client();
    await client.task.add("files-job", { id: "slow", commandLine: `/bin/sh -c "for i in 1 2 3 4 5; do echo line $i; sleep 1; done"` });
    const { client: recorded, ranges } = recordingReads(service);
    const access = new FileAccess(recorded, { kind: "task", jobId: "files-job", taskId: "slow" });
    await waitFor(async () => ((await access.stat("stdout.txt")).size > 0 ? true : undefined), "the first line", 30_000, 100);
    const view = await TailView.open(access, "stdout.txt", 4 * MiB);
    let changes = 0;
    const end = await new Promise<FollowEnd>((resolve) => new Follower(access, view, { intervalMs: 200, onChange: () => changes++, onEnd: resolve }));
    assert.deepEqual(end, { reason: "completed" });
    assert.equal(Buffer.from(view.content).toString(), "line 1\nline 2\nline 3\nline 4\nline 5\n");
    assert.ok(changes >= 2, `appended in steps (${changes})`);
    // every read after the first starts where the previous one ended
    let next = 0;
    for (const range of ranges) {
      const [start, stop] = /^bytes=(\d+)-(\d+)$/.exec(range)!.slice(1).map(Number);
      assert.equal(start, next, `ranges: ${ranges}`);
      next = stop + 1;
    }
    assert.equal(next, view.fileLength);
  });

  it("stopping a follower ends it at once", async () => {
    const access = new FileAccess(service.client(), { kind: "task", jobId: "files-job", taskId: "tree" });
    const view = await TailView.open(access, "stdout.txt", 0);
    const ends: FollowEnd[] = [];
    const follower = new Follower(access, view, { intervalMs: 50, onChange: () => undefined, onEnd: (e) => ends.push(e) });
    follower.stop();
    follower.stop();
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(ends, [{ reason: "stopped" }]);
    assert.equal(follower.active, false);
  });
});
