// Why: Account_ListPoolNodeCounts (node counts by state per pool, dedicated and low-priority) and Account_ListSupportedImages through the real client.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";
import { sh, vm } from "../jobs/helpers";

const zeroCounts = {
  creating: 0,
  idle: 0,
  offline: 0,
  preempted: 0,
  rebooting: 0,
  reimaging: 0,
  running: 0,
  starting: 0,
  startTaskFailed: 0,
  leavingPool: 0,
  unknown: 0,
  unusable: 0,
  waitingForStartTask: 0,
  total: 0,
};

describe("account lists: pool node counts and supported images", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 4 });
    client = service.client();
  });
  after(() => service.stop());

  it("counts each pool's nodes by state, dedicated and low-priority apart", async () => {
    await client.pool.add({ id: "p-counts", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2, targetLowPriorityNodes: 1 });
    await client.pool.add({
      id: "p-failing",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: vm,
      targetDedicatedNodes: 1,
      startTask: { commandLine: sh("exit 3"), waitForSuccess: true },
    });
    const counts = await waitFor(async () => {
      const list = await client.account.listPoolNodeCounts();
      const counts = list.find((entry) => entry.poolId === "p-counts");
      const failing = list.find((entry) => entry.poolId === "p-failing");
      return counts?.dedicated?.idle === 2 && counts.lowPriority?.idle === 1 && failing?.dedicated?.startTaskFailed === 1 ? list : undefined;
    }, "the nodes to be idle and the start task to fail");
    assert.deepEqual(
      counts.map((entry) => ({ ...entry })).sort((a, b) => a.poolId.localeCompare(b.poolId)),
      [
        { poolId: "p-counts", dedicated: { ...zeroCounts, idle: 2, total: 2 }, lowPriority: { ...zeroCounts, idle: 1, total: 1 } },
        { poolId: "p-failing", dedicated: { ...zeroCounts, startTaskFailed: 1, total: 1 }, lowPriority: zeroCounts },
      ],
    );
    const filtered = await client.account.listPoolNodeCounts({ accountListPoolNodeCountsOptions: { filter: "poolId eq 'p-failing'" } });
    assert.deepEqual(
      filtered.map((entry) => entry.poolId),
      ["p-failing"],
    );
  });

  it("pages pool node counts by at most 10 pools", async () => {
    for (let i = 0; i < 10; i++) await client.pool.add({ id: `p-empty-${i}`, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm });
    const first = await client.account.listPoolNodeCounts();
    assert.equal(first.length, 10);
    assert.ok(first.odatanextLink, "a next link after 10 pools");
    const second = await client.account.listPoolNodeCountsNext(first.odatanextLink!);
    assert.equal(second.length, 2);
    assert.equal(second.odatanextLink, undefined);
    const ids = [...first, ...second].map((entry) => entry.poolId);
    assert.equal(new Set(ids).size, 12);
    const empty = [...first, ...second].find((entry) => entry.poolId === "p-empty-0")!;
    assert.deepEqual({ ...empty }, { poolId: "p-empty-0", dedicated: zeroCounts, lowPriority: zeroCounts });
  });

  it("lists supported images, among them the local pools' default and canonical Ubuntu 20.04 and 22.04", async () => {
    const images = await client.account.listSupportedImages();
    assert.ok(images.length >= 3);
    for (const image of images) {
      assert.ok(image.nodeAgentSKUId && image.imageReference?.publisher && image.imageReference.offer && image.imageReference.sku);
      assert.ok(["linux", "windows"].includes(image.osType));
      assert.ok(["verified", "unverified"].includes(image.verificationType));
    }
    const find = (offer: string, sku: string) => images.find((image) => image.imageReference.offer === offer && image.imageReference.sku === sku);
    const local = LOCAL_POOL_VM_CONFIGURATION;
    assert.equal(find(local.imageReference.offer, local.imageReference.sku)?.nodeAgentSKUId, local.nodeAgentSKUId);
    assert.equal(find("0001-com-ubuntu-server-jammy", "22_04-lts")?.imageReference.publisher, "canonical");
    assert.equal(find("0001-com-ubuntu-server-focal", "20_04-lts")?.nodeAgentSKUId, "batch.node.ubuntu 20.04");
    assert.ok(images.some((image) => image.capabilities?.includes("DockerCompatible")));
    const linux = await client.account.listSupportedImages({
      accountListSupportedImagesOptions: { filter: "osType eq 'linux' and imageReference/publisher eq 'canonical'" },
    });
    assert.ok(linux.length >= 2 && linux.every((image) => image.osType === "linux" && image.imageReference.publisher === "canonical"));
  });
});
