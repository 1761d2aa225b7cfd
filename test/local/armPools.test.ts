// Why: the local management endpoint's pool operations through the real @azure/arm-batch client: a pool created through ARM is the data plane's pool (nodes, start task, packages, identity), updates resize it, bad input is refused by name.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BatchManagementClient, type Pool } from "@azure/arm-batch";
import { BlockBlobClient } from "@azure/storage-blob";
import { ARM_SCOPE } from "../../src/core/deploy/deployTarget";
import { LocalArmCredential, localArmEndpoint, loopbackHttpPolicy } from "../../src/core/deploy/localArmCredential";
import { zipDirectory } from "../../src/core/workload/zipWorkload";
import { LOCAL_SUBSCRIPTION_ID } from "../../src/local/arm/armIds";
import { startLocalService, waitFor, type LocalServiceHandle } from "../support/localService";

const ACCOUNT = `/subscriptions/${LOCAL_SUBSCRIPTION_ID}/resourceGroups/local/providers/Microsoft.Batch/batchAccounts/localbatch`;
const IDENTITY =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/batch-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/workload";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function definition(overrides: Partial<Pool> = {}): Pool {
  return {
    vmSize: "standard_d2s_v3",
    taskSlotsPerNode: 2,
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
        nodeAgentSkuId: "batch.node.ubuntu 22.04",
      },
    },
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    ...overrides,
  };
}

describe("local management endpoint (ARM) pool operations through @azure/arm-batch", () => {
  let service: LocalServiceHandle;
  let arm: BatchManagementClient;

  before(async () => {
    service = await startLocalService({ nodes: 4 });
    const credential = new LocalArmCredential(service.info.batchUrl, service.info.accountName, service.info.accountKey);
    arm = new BatchManagementClient(credential, LOCAL_SUBSCRIPTION_ID, {
      endpoint: localArmEndpoint(service.info.batchUrl),
      credentialScopes: [ARM_SCOPE],
      additionalPolicies: [loopbackHttpPolicy],
      retryOptions: { maxRetries: 0 },
    });
    // an application package carrying a tool, as a nodeRuntime package carries bin/node
    const dir = fs.mkdtempSync(path.join(service.dataDir, "tool-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "tool"), "#!/bin/sh\necho tool ran\n", { mode: 0o755 });
    const pending = await arm.applicationPackageOperations.create("local", "localbatch", "tool", "1.0.0");
    await new BlockBlobClient(pending.storageUrl!).uploadData(await zipDirectory(dir));
    await arm.applicationPackageOperations.activate("local", "localbatch", "tool", "1.0.0", { format: "zip" });
  });
  after(() => service.stop());

  it("Pool_Create makes the data plane's pool: nodes allocated, the package's start task run, the identity assigned", async () => {
    const created = await arm.poolOperations.create(
      "local",
      "localbatch",
      "arm-pool",
      definition({
        identity: { type: "UserAssigned", userAssignedIdentities: { [IDENTITY]: {} } },
        applicationPackages: [{ id: `${ACCOUNT}/applications/tool`, version: "1.0.0" }],
        startTask: {
          commandLine: '/bin/sh -c "cp $AZ_BATCH_APP_PACKAGE_tool_1_0_0/bin/tool $AZ_BATCH_NODE_SHARED_DIR/tool && chmod 755 $AZ_BATCH_NODE_SHARED_DIR/tool"',
          waitForSuccess: true,
          userIdentity: { autoUser: { scope: "Pool", elevationLevel: "NonAdmin" } },
        },
      }),
      { ifNoneMatch: "*" },
    );
    assert.equal(created.id, `${ACCOUNT}/pools/arm-pool`);
    assert.equal(created.deploymentConfiguration?.virtualMachineConfiguration?.nodeAgentSkuId, "batch.node.ubuntu 22.04");
    assert.match(created.identity?.userAssignedIdentities?.[IDENTITY]?.clientId ?? "", GUID);

    const batch = service.client();
    const dataPlane = await batch.pool.get("arm-pool");
    assert.deepEqual(dataPlane.applicationPackageReferences, [{ applicationId: "tool", version: "1.0.0" }]);
    assert.equal(dataPlane.virtualMachineConfiguration?.nodeAgentSKUId, "batch.node.ubuntu 22.04");
    assert.equal(dataPlane.identity?.userAssignedIdentities?.[0]?.resourceId, IDENTITY);
    assert.equal(dataPlane.startTask?.userIdentity?.autoUser?.scope, "pool");
    const node = await waitFor(
      async () => (await batch.computeNode.list("arm-pool")).find((n) => n.state === "idle" && n.startTaskInfo?.state === "completed"),
      "a node of the ARM pool to finish its start task",
      60_000,
      250,
    );
    assert.equal(node.startTaskInfo?.exitCode, 0);
    const got = await arm.poolOperations.get("local", "localbatch", "arm-pool");
    assert.deepEqual([got.currentDedicatedNodes, got.allocationState, got.provisioningState], [1, "Steady", "Succeeded"]);
    assert.equal(got.startTask?.userIdentity?.autoUser?.scope, "Pool");
    const listed = [];
    for await (const pool of arm.poolOperations.listByBatchAccount("local", "localbatch")) listed.push(pool.name);
    assert.deepEqual(listed, ["arm-pool"]);
  });

  it("Pool_Update replaces what it names and resizes on new scale settings; immutable properties are refused", async () => {
    const updated = await arm.poolOperations.update("local", "localbatch", "arm-pool", {
      scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } },
      metadata: [{ name: "stage", value: "dev" }],
    });
    assert.deepEqual(updated.metadata, [{ name: "stage", value: "dev" }]);
    assert.equal(updated.applicationPackages?.[0]?.version, "1.0.0", "what the update does not name stays");
    await waitFor(
      async () => ((await service.client().pool.get("arm-pool")).currentDedicatedNodes === 2 ? true : undefined),
      "the pool to grow to 2 nodes",
      60_000,
      250,
    );
    await assert.rejects(arm.poolOperations.update("local", "localbatch", "arm-pool", { vmSize: "standard_e64s_v3" }), {
      statusCode: 400,
      code: "PropertyCannotBeUpdated",
    });
    const removed = await arm.poolOperations.update("local", "localbatch", "arm-pool", { identity: { type: "None" } });
    assert.equal(removed.identity, undefined);
    assert.equal((await service.client().pool.get("arm-pool")).identity, undefined);
  });

  it("refuses bad pools by name and creates nothing", async () => {
    const refuse = (pool: Pool, expected: { statusCode: number; code: string; message: RegExp }) =>
      assert.rejects(arm.poolOperations.create("local", "localbatch", "bad-pool", pool), expected);
    await refuse(definition({ scaleSettings: { autoScale: { formula: "$TargetDedicatedNodes=1;" } } }), {
      statusCode: 400,
      code: "InvalidRequestContent",
      message: /properties\.scaleSettings\.autoScale: the local Batch service has no autoscale/,
    });
    await refuse(definition({ vmSize: undefined }), { statusCode: 400, code: "InvalidRequestContent", message: /properties\.vmSize is required/ });
    await refuse(definition({ applicationPackages: [{ id: `${ACCOUNT}/applications/nodejs`, version: "20.0.0" }] }), {
      statusCode: 400,
      code: "InvalidApplicationPackageReferences",
      message: /properties\.applicationPackages\[0\]: the application 'nodejs' does not exist/,
    });
    await refuse(definition({ applicationPackages: [{ id: `${ACCOUNT}/applications/tool`, version: "2.0.0" }] }), {
      statusCode: 400,
      code: "InvalidApplicationPackageReferences",
      message: /'tool' version '2\.0\.0' is not deployed/,
    });
    await refuse(definition({ identity: { type: "UserAssigned", userAssignedIdentities: { "/not/an/identity": {} } } }), {
      statusCode: 400,
      code: "InvalidRequestContent",
      message: /'\/not\/an\/identity' is not a user-assigned identity resource id/,
    });
    await refuse(definition({ scaleSettings: { fixedScale: { targetDedicatedNodes: 1000 } } }), {
      statusCode: 400,
      code: "InvalidPropertyValue",
      message: /targetDedicatedNodes/,
    });
    await assert.rejects(arm.poolOperations.create("local", "localbatch", "arm-pool", definition(), { ifNoneMatch: "*" }), {
      statusCode: 409,
      code: "PoolAlreadyExists",
    });
    await assert.rejects(arm.poolOperations.get("local", "localbatch", "bad-pool"), { statusCode: 404, code: "PoolNotFound" });
    assert.deepEqual(
      (await service.client().pool.list()).map((p) => p.id),
      ["arm-pool"],
    );
  });
});
