// Why: pool operations through the real @azure/batch client against the running local service, responses checked against the spec.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

const vm = LOCAL_POOL_VM_CONFIGURATION;

describe("pools", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService();
    client = service.client();
  });
  after(() => service.stop());

  it("adds, gets, checks existence of and echoes vmSize/image of a pool", async () => {
    await client.pool.add({ id: "p-basic", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0, taskSlotsPerNode: 2 });
    const pool = await client.pool.get("p-basic");
    assert.equal(pool.id, "p-basic");
    assert.equal(pool.vmSize, "standard_d2s_v3");
    assert.equal(pool.virtualMachineConfiguration?.nodeAgentSKUId, "batch.node.ubuntu 22.04");
    assert.equal(pool.taskSlotsPerNode, 2);
    assert.equal(pool.state, "active");
    assert.ok(pool.eTag && pool.lastModified instanceof Date && pool.creationTime instanceof Date);
    assert.equal(pool.url, `${service.info.batchUrl}/pools/p-basic`);
    assert.equal((await client.pool.exists("p-basic")).body, true);
    assert.equal((await client.pool.exists("p-missing")).body, false);
  });

  it("refuses a duplicate id (case-insensitive) with 409 PoolExists", async () => {
    await assert.rejects(client.pool.add({ id: "P-BASIC", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm }), {
      statusCode: 409,
      code: "PoolExists",
    });
  });

  it("refuses an invalid id and a too large pool with InvalidPropertyValue, storing nothing", async () => {
    await assert.rejects(client.pool.add({ id: "bad id!", vmSize: "x", virtualMachineConfiguration: vm }), { statusCode: 400, code: "InvalidPropertyValue" });
    await assert.rejects(client.pool.add({ id: "x".repeat(65), vmSize: "x", virtualMachineConfiguration: vm }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
    });
    await assert.rejects(client.pool.add({ id: "huge", vmSize: "x", virtualMachineConfiguration: vm, targetDedicatedNodes: 1000 }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
    });
    assert.equal((await client.pool.exists("huge")).body, false);
  });

  it("answers 404 PoolNotFound for an unknown pool", async () => {
    await assert.rejects(client.pool.get("nope"), { statusCode: 404, code: "PoolNotFound" });
  });

  it("patches and replaces properties (patch keeps, updateProperties clears)", async () => {
    await client.pool.patch("p-basic", { metadata: [{ name: "team", value: "genomics" }] });
    let pool = await client.pool.get("p-basic");
    assert.deepEqual(pool.metadata, [{ name: "team", value: "genomics" }]);
    await client.pool.updateProperties("p-basic", { certificateReferences: [], applicationPackageReferences: [], metadata: [] });
    pool = await client.pool.get("p-basic");
    assert.deepEqual(pool.metadata ?? [], []);
  });

  it("honours If-Match with 412 ConditionNotMet on a stale ETag", async () => {
    const pool = await client.pool.get("p-basic");
    await client.pool.patch("p-basic", { metadata: [{ name: "a", value: "1" }] });
    await assert.rejects(client.pool.patch("p-basic", { metadata: [] }, { poolPatchOptions: { ifMatch: pool.eTag } }), {
      statusCode: 412,
      code: "ConditionNotMet",
    });
  });

  it("lists with $filter, $select and maxresults paging through odata.nextLink", async () => {
    for (let i = 0; i < 5; i++) await client.pool.add({ id: `page-${i}`, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm });
    const first = await client.pool.list({ poolListOptions: { filter: "startswith(id,'page-')", select: "id,vmSize", maxResults: 2 } });
    assert.equal(first.length, 2);
    assert.deepEqual(Object.keys(first[0]).sort(), ["id", "vmSize"]);
    const ids = first.map((p) => p.id);
    let link = first.odatanextLink;
    while (link) {
      const page = await client.pool.listNext(link);
      ids.push(...page.map((p) => p.id));
      link = page.odatanextLink;
    }
    assert.deepEqual(ids, ["page-0", "page-1", "page-2", "page-3", "page-4"]);
  });

  it("refuses a malformed $filter naming the parameter", async () => {
    await assert.rejects(client.pool.list({ poolListOptions: { filter: "id eq" } }), { statusCode: 400, code: "InvalidQueryParameterValue" });
  });

  it("deletes a pool", async () => {
    await client.pool.add({ id: "p-del", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm });
    await client.pool.deleteMethod("p-del");
    await waitGone(client, "p-del");
  });
});

async function waitGone(client: BatchServiceClient, poolId: string): Promise<void> {
  await waitFor(async () => ((await client.pool.exists(poolId)).body ? undefined : true), `pool ${poolId} to be deleted`, 20_000);
}
