// Why: reboot, reimage and remove nodes of local pools through the real SDK: states, tasks requeued or terminated, start task run again, folders wiped, pools shrunk.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, waitForTask } from "./poolNodes";

describe("node lifecycle: reboot, reimage, remove", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 10 });
    client = service.client();
  });
  after(() => service.stop());

  const nodeState = async (poolId: string, nodeId: string) => (await client.computeNode.get(poolId, nodeId)).state;
  const idleAgain = (poolId: string, nodeId: string) =>
    waitFor(async () => ((await nodeState(poolId, nodeId)) === "idle" ? true : undefined), `node ${nodeId} idle again`, 30_000, 100);
  const nodeRoot = (poolId: string, nodeId: string) => path.join(service.dataDir, "nodes", poolId, nodeId);

  it("reboots a node: its running task is requeued (and runs again), the start task runs again", async () => {
    const startTask = { commandLine: "/bin/sh -c 'echo booted >> $AZ_BATCH_NODE_SHARED_DIR/boots.txt'", waitForSuccess: true };
    const [node] = await poolWithIdleNodes(client, "reboot", 1, { startTask });
    const firstBoot = node.lastBootTime!;
    await client.job.add({ id: "reboot-job", poolInfo: { poolId: "reboot" } });
    await client.task.add("reboot-job", { id: "long", commandLine: "/bin/sh -c 'sleep 600'" });
    await waitForTask(client, "reboot-job", "long", "running");

    await client.computeNode.reboot("reboot", node.id!, { nodeRebootOption: "requeue" });
    const rebooted = await client.computeNode.get("reboot", node.id!);
    assert.ok(["rebooting", "starting", "waitingforstarttask", "idle", "running"].includes(rebooted.state!), rebooted.state);
    const task = await waitFor(
      async () => {
        const current = await client.task.get("reboot-job", "long");
        return current.executionInfo?.requeueCount === 1 ? current : undefined;
      },
      "the task requeued",
      30_000,
      100,
    );
    assert.equal(task.executionInfo?.requeueCount, 1);
    await waitForTask(client, "reboot-job", "long", "running");
    const after = await client.computeNode.get("reboot", node.id!);
    assert.ok(after.lastBootTime!.getTime() >= firstBoot.getTime());
    assert.equal(after.startTaskInfo?.result, "success");
    assert.equal(fs.readFileSync(path.join(nodeRoot("reboot", node.id!), "shared", "boots.txt"), "utf8"), "booted\nbooted\n", "the start task ran twice");
    await client.job.terminate("reboot-job");
  });

  it("reboot with terminate completes the running task as failed instead", async () => {
    const [node] = await poolWithIdleNodes(client, "reboot-t", 1);
    await client.job.add({ id: "reboot-t-job", poolInfo: { poolId: "reboot-t" } });
    await client.task.add("reboot-t-job", { id: "long", commandLine: "/bin/sh -c 'sleep 600'" });
    await waitForTask(client, "reboot-t-job", "long", "running");
    await client.computeNode.reboot("reboot-t", node.id!, { nodeRebootOption: "terminate" });
    const task = await waitForTask(client, "reboot-t-job", "long", "completed");
    assert.equal(task.executionInfo?.result, "failure");
    await idleAgain("reboot-t", node.id!);
  });

  it("reboot with taskcompletion lets the running task finish first, then the node boots again", async () => {
    const [node] = await poolWithIdleNodes(client, "reboot-c", 1);
    await client.job.add({ id: "reboot-c-job", poolInfo: { poolId: "reboot-c" } });
    await client.task.add("reboot-c-job", { id: "short", commandLine: "/bin/sh -c 'sleep 1'" });
    await waitForTask(client, "reboot-c-job", "short", "running");
    await client.computeNode.reboot("reboot-c", node.id!, { nodeRebootOption: "taskcompletion" });
    assert.equal(await nodeState("reboot-c", node.id!), "rebooting");
    const task = await waitForTask(client, "reboot-c-job", "short", "completed");
    assert.equal(task.executionInfo?.result, "success");
    assert.equal(task.executionInfo?.requeueCount, 0);
    await idleAgain("reboot-c", node.id!);
    assert.ok((await client.computeNode.get("reboot-c", node.id!)).lastBootTime! >= task.executionInfo!.endTime!);
  });

  it("reimages a node: task and shared folders wiped, start task run again, node idle", async () => {
    const startTask = { commandLine: "/bin/sh -c 'echo booted >> $AZ_BATCH_NODE_SHARED_DIR/boots.txt'", waitForSuccess: true };
    const [node] = await poolWithIdleNodes(client, "reimage", 1, { startTask });
    await client.job.add({ id: "reimage-job", poolInfo: { poolId: "reimage" } });
    await client.task.add("reimage-job", { id: "quick", commandLine: "/bin/sh -c 'echo hi > out.txt'" });
    await waitForTask(client, "reimage-job", "quick", "completed");
    const root = nodeRoot("reimage", node.id!);
    assert.deepEqual(fs.readdirSync(path.join(root, "workitems")), ["reimage-job"]);

    await client.computeNode.reimage("reimage", node.id!);
    await idleAgain("reimage", node.id!);
    assert.deepEqual(fs.readdirSync(path.join(root, "workitems")), [], "the task folders are gone");
    assert.equal(fs.readFileSync(path.join(root, "shared", "boots.txt"), "utf8"), "booted\n", "the shared folder was wiped, then the start task ran once more");
  });

  it("refuses to reboot a node that is not up yet with 409", async () => {
    await client.pool.add({
      id: "slow",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: {
        imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
        nodeAgentSKUId: "batch.node.ubuntu 22.04",
      },
      targetDedicatedNodes: 1,
      startTask: { commandLine: "/bin/sh -c 'sleep 600'", waitForSuccess: true },
    });
    const [node] = await waitFor(
      async () => {
        const nodes = await client.computeNode.list("slow");
        return nodes.length === 1 && nodes[0].state === "waitingforstarttask" ? nodes : undefined;
      },
      "the node waiting for its start task",
      30_000,
      100,
    );
    await assert.rejects(client.computeNode.reboot("slow", node.id!), { statusCode: 409, code: "NodeNotReady" });
    await client.pool.deleteMethod("slow");
  });

  it("removes a named node: the pool shrinks by one, that node's running task is requeued and its folder removed", async () => {
    const nodes = await poolWithIdleNodes(client, "shrink", 2);
    await client.job.add({ id: "shrink-job", poolInfo: { poolId: "shrink" } });
    await client.task.add("shrink-job", { id: "long", commandLine: "/bin/sh -c 'sleep 600'" });
    const running = await waitForTask(client, "shrink-job", "long", "running");
    const busy = running.nodeInfo!.nodeId!;
    const other = nodes.map((node) => node.id!).find((id) => id !== busy)!;

    await client.pool.removeNodes("shrink", { nodeList: [busy], nodeDeallocationOption: "requeue" });
    const pool = await client.pool.get("shrink");
    assert.equal(pool.targetDedicatedNodes, 1);
    await waitFor(
      async () => {
        const left = await client.computeNode.list("shrink");
        const current = await client.pool.get("shrink");
        return left.length === 1 && left[0].id === other && current.allocationState === "steady" ? true : undefined;
      },
      "the busy node gone, the other one kept, the pool steady",
      30_000,
      100,
    );
    assert.equal(fs.existsSync(nodeRoot("shrink", busy)), false);
    const task = await waitFor(
      async () => {
        const current = await client.task.get("shrink-job", "long");
        return current.state === "running" && current.nodeInfo?.nodeId === other ? current : undefined;
      },
      "the requeued task running on the remaining node",
      30_000,
      100,
    );
    assert.equal(task.executionInfo?.requeueCount, 1);
    assert.equal((await client.pool.get("shrink")).currentDedicatedNodes, 1);
    await client.job.terminate("shrink-job");
  });

  it("refuses a removal naming a node the pool does not have, and changes nothing", async () => {
    await poolWithIdleNodes(client, "keep", 1);
    await assert.rejects(client.pool.removeNodes("keep", { nodeList: ["tvm-nope"] }), (error: { statusCode?: number; code?: string; body?: unknown }) => {
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, "InvalidPropertyValue");
      return true;
    });
    assert.equal((await client.pool.get("keep")).targetDedicatedNodes, 1);
    assert.equal((await client.computeNode.list("keep")).length, 1);
  });
});
