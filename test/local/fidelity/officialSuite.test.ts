// Why: Microsoft's own @azure/batch 10.x test suite, case for case, against the real local service: the fidelity matrix of docs/local-batch.md.
/*
 * Adapted from Azure/azure-sdk-for-js, sdk/batch/batch/test/batchClient.spec.ts (the @azure/batch 10.x suite; read at
 * commit 267ea8cb878b58494d2aef88e8fabb513530eafa). That file is under the MIT License:
 *
 *   Copyright (c) 2022 Microsoft
 *   Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
 *   documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
 *   rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
 *   persons to whom the Software is furnished to do so, subject to the following conditions: The above copyright notice and
 *   this permission notice shall be included in all copies or substantial portions of the Software.
 *   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
 *   WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
 *   COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 *   OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 *
 * Same describe/it names and order, same operations and assertions (chai's assert → node:assert). Changed only where the
 * original needs Azure or Windows, each marked "local:" below:
 * - the client is the project's @azure/batch with the local service's key (test/support/localService.ts), not env credentials;
 * - Windows command lines (`cmd /c …`, `ping -n 20`, `net session`) are their /bin/sh equivalents: tasks run on this machine;
 * - storage URLs (teststorage.blob.core.windows.net) are containers of the service's Azurite with a real SAS;
 * - fixed waits and `while (true)` polls become polls for the same condition with a deadline;
 * - the two "should fail …" cases whose original passed when nothing was thrown now require the error;
 * - local-only --allocation-delay / --node-start-delay give the suite the slow allocations, reboots and reimages it relied on;
 * - cases only Azure can decide are skipped with the reason (certificates, VNET and managed-image checks, an RDP file
 *   of a Windows node), and the container task where this machine has no Docker or Podman.
 * Images, VM sizes and cloudServiceConfiguration are kept: the local service accepts and echoes them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { ContainerClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "../../../src/local/common/defaults";
import { RUN_AS_TASK_USERS, startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { sh } from "../jobs/helpers";

const _SUFFIX = Math.random().toString(16).substring(2, 6);

const ENDPOINT_POOL = getPoolName("endpoint");
const BASIC_POOL = getPoolName("basic");
const TEST_POOL3 = getPoolName("3");
const DISK_POOL = getPoolName("datadisk");
const VNET_POOL = getPoolName("vnet");
const IMAGE_POOL = getPoolName("image");
const SCHEDULE = "JSSDKTestSchedule";
const TEST_USER = "JSSDKTestSchedule";
const VMSIZE_A1 = "Standard_A1_v2";
const VMSIZE_D1 = "Standard_D1_v2";
const VMSIZE_SMALL = "Small";
const JOB_NAME = `JSSDKTestJob-${_SUFFIX}`;
const TASK1_NAME = `${JOB_NAME}-task1`;
const TASK2_NAME = `${JOB_NAME}-task2`;
const TASK3_NAME = `${JOB_NAME}-task3`;

// local: the original polled every 5 s for up to 1000 s against Azure; local nodes start in milliseconds
const LONG_WAIT_MS = 60_000;

// local: Windows command lines → /bin/sh (see the header)
const HELLO_START_TASK = sh("echo hello > hello.txt");

const CERTIFICATES_SKIP =
  "certificates: Azure retired the feature (2024) and local nodes have no certificate store, so Certificate_* answers 501 NotImplementedLocally";

/** local: tasks with containerSettings run in this machine's Docker or Podman, and the service refuses them without one */
function containerEngineMissing(): string | false {
  const reachable = ["docker", "podman"].some((engine) => spawnSync(engine, ["info"], { stdio: "ignore", timeout: 20_000 }).status === 0);
  return reachable ? false : "needs a Docker or Podman engine on this machine (the local service runs container tasks in it and refuses them without one)";
}

function getPoolName(type: string) {
  return `jssdktest-${type}-${_SUFFIX}`;
}

type BatchError = { statusCode?: number; code?: string; message: string; body?: { code?: string; values?: { key: string; value: string }[] } };

async function readStreamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe("Batch Service", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;
  const certThumb = "cff2ab63c8c955aaf71989efa641b906558d9fb7"; // dummy thumb
  const nonAdminPoolUser = "nonAdminUser";
  let compute_nodes: string[] = [];

  /** local: a container of the service's Azurite and a SAS for it, where the original named an Azure storage account */
  async function azuriteContainerUrl(name: string): Promise<string> {
    const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY);
    await new ContainerClient(`${service.info.blobEndpoint}/${name}`, credential).createIfNotExists();
    const sas = generateBlobSASQueryParameters(
      { containerName: name, permissions: ContainerSASPermissions.parse("racwl"), expiresOn: new Date(Date.now() + 3600_000) },
      credential,
    );
    return `${service.info.blobEndpoint}/${name}?${sas.toString()}`;
  }

  before(async () => {
    // local: enough local nodes for the suite's pools (3 + 1, then 3 dedicated + 2 low-priority on resize). Azure takes
    // minutes to allocate, start, reboot and reimage nodes, and the suite relies on it (a resize still under way when it is
    // stopped; no idle node for the tasks added after a reboot and a reimage): these local-only delays give it those states.
    service = await startLocalService({ nodes: 10, env: RUN_AS_TASK_USERS, args: ["--allocation-delay", "2000", "--node-start-delay", "5000"] });
    client = service.client();
  });
  after(async () => {
    await service.stop();
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  describe("certificate operations", () => {
    it("should list supported images successfully", async () => {
      const result = await client.account.listSupportedImages();
      assert.ok(result.length >= 1);
      assert.equal(result._response.status, 200);

      const supportedImage = result[0];
      assert.notEqual(supportedImage.nodeAgentSKUId, null);
      assert.notEqual(supportedImage.osType, null);
    });

    it("should add new certificate successfully", { skip: CERTIFICATES_SKIP }, async () => {
      const cert: BatchServiceModels.CertificateAddParameter = {
        thumbprint: certThumb,
        thumbprintAlgorithm: "sha1",
        password: "nodesdk",
        certificateFormat: "pfx",
        data: "MIIGMQIBAzCCBe0GCSqGSIb3DQEHAaCCBd4EggXa", // the original's test pfx, cut: never sent
      };
      const result = await client.certificate.add(cert);
      assert.equal(result._response.status, 201);
    });

    it("should list certificates successfully", { skip: CERTIFICATES_SKIP }, async () => {
      const result = await client.certificate.list();
      assert.ok(result.length >= 1);
      assert.equal(result[0].thumbprint, certThumb);
      assert.equal(result[0].thumbprintAlgorithm, "sha1");
      assert.equal(result._response.status, 200);
    });

    it("should get certificate reference successfully", { skip: CERTIFICATES_SKIP }, async () => {
      const result = await client.certificate.get("sha1", certThumb);
      assert.equal(result.thumbprint, certThumb);
      assert.equal(result.thumbprintAlgorithm, "sha1");
      assert.equal(result._response.status, 200);
    });
  });

  describe("Basic pool", () => {
    it("should create a new pool successfully", async () => {
      const pool: BatchServiceModels.PoolAddParameter = {
        id: BASIC_POOL,
        vmSize: VMSIZE_D1,
        cloudServiceConfiguration: { osFamily: "4" },
        targetDedicatedNodes: 3,
        certificateReferences: [{ thumbprint: certThumb, thumbprintAlgorithm: "sha1" }],
        // Ensures there's a compute node file we can reference later
        startTask: { commandLine: HELLO_START_TASK },
        // Sets up pool user we can reference later
        userAccounts: [{ name: nonAdminPoolUser, password: randomUUID(), elevationLevel: "nonadmin" }],
      };

      const result = await client.pool.add(pool);
      assert.equal(result._response.status, 201);
    });

    it("should update pool parameters successfully", async () => {
      const options: BatchServiceModels.PoolUpdatePropertiesParameter = {
        metadata: [{ name: "foo", value: "bar" }],
        certificateReferences: [],
        applicationPackageReferences: [],
        // Ensures the start task isn't cleared
        startTask: { commandLine: HELLO_START_TASK },
      };

      const result = await client.pool.updateProperties(BASIC_POOL, options);
      assert.equal(result._response.status, 204);
    });

    it("should patch pool parameters successfully", async () => {
      const options: BatchServiceModels.PoolPatchParameter = { metadata: [{ name: "foo2", value: "bar2" }] };

      const result = await client.pool.patch(BASIC_POOL, options);
      assert.equal(result._response.status, 200);
    });

    it("should get a pool reference successfully", async () => {
      const result = await waitFor(
        async () => {
          const pool = await client.pool.get(BASIC_POOL);
          return pool.allocationState === "steady" ? pool : undefined;
        },
        `${BASIC_POOL} to be steady`,
        LONG_WAIT_MS,
      );
      const metadata = result.metadata![0];

      assert.equal(result.id, BASIC_POOL);
      assert.equal(result.state, "active");
      assert.equal(result.allocationState, "steady");
      assert.notEqual(result.cloudServiceConfiguration, undefined);
      assert.equal(result.cloudServiceConfiguration!.osFamily, "4");
      assert.equal(result.vmSize!.toLowerCase(), VMSIZE_D1.toLowerCase());

      assert.equal(metadata.name, "foo2");
      assert.equal(metadata.value, "bar2");

      assert.notEqual(result.startTask, undefined);
      assert.equal(result.startTask!.commandLine, HELLO_START_TASK);

      assert.equal(result.userAccounts!.length, 1);
      assert.equal(result.userAccounts![0].name, nonAdminPoolUser);
      assert.equal(result.userAccounts![0].elevationLevel, "nonadmin");
      assert.equal(result._response.status, 200);
    });

    it("should get a pool reference with odata successfully", async () => {
      const options: BatchServiceModels.PoolGetOptionalParams = { poolGetOptions: { select: "id,state", expand: "stats" } };

      const result = await client.pool.get(BASIC_POOL, options);
      assert.equal(result.id, BASIC_POOL);
      assert.equal(result.state, "active");
      assert.equal(result.allocationState, undefined);
      assert.equal(result.vmSize, undefined);
      assert.equal(result._response.status, 200);
    });

    it("should add a pool with vnet and get expected error", {
      skip: "only a subscription can decide it: Azure answers 403 Forbidden because the account may not join that subnet of another subscription; the local service has no virtual networks and stores subnetId as given",
    }, async () => {
      const pool: BatchServiceModels.PoolAddParameter = {
        id: VNET_POOL,
        vmSize: VMSIZE_A1,
        cloudServiceConfiguration: { osFamily: "4" },
        targetDedicatedNodes: 0,
        networkConfiguration: {
          subnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/test/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/subnet1",
        },
      };
      await assert.rejects(client.pool.add(pool), (error: BatchError) => {
        assert.equal(error.statusCode, 403);
        assert.equal(error.body!.code, "Forbidden");
        return true;
      });
    });

    it("should add a pool with a custom image and get expected error", {
      skip: "only a subscription can decide it: Azure answers 400 InvalidPropertyValue because the managed image does not exist in the subscription; the local service has no images to look up (tasks run on this machine whatever the image)",
    }, async () => {
      const pool: BatchServiceModels.PoolAddParameter = {
        id: IMAGE_POOL,
        vmSize: VMSIZE_A1,
        virtualMachineConfiguration: {
          imageReference: {
            virtualMachineImageId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/test/providers/Microsoft.Compute/images/FakeImage",
          },
          nodeAgentSKUId: "batch.node.ubuntu 16.04",
        },
        targetDedicatedNodes: 0,
      };
      await assert.rejects(client.pool.add(pool), (error: BatchError) => {
        assert.equal(error.statusCode, 400);
        assert.equal(error.body!.code, "InvalidPropertyValue");
        assert.equal(error.body!.values![0].value, "virtualMachineImageId");
        return true;
      });
    });

    it("should add a pool with a Data Disk", async () => {
      const pool: BatchServiceModels.PoolAddParameter = {
        id: DISK_POOL,
        vmSize: VMSIZE_A1,
        virtualMachineConfiguration: {
          imageReference: { publisher: "Canonical", offer: "UbuntuServer", sku: "18.04-LTS" },
          nodeAgentSKUId: "batch.node.ubuntu 18.04",
          dataDisks: [{ lun: 1, diskSizeGB: 50 }],
        },
        targetDedicatedNodes: 0,
      };

      const resultAdd = await client.pool.add(pool);
      assert.equal(resultAdd._response.status, 201);

      const retultGet = await client.pool.get(pool.id);
      assert.equal(retultGet.virtualMachineConfiguration!.dataDisks![0].lun, 1);
      assert.equal(retultGet.virtualMachineConfiguration!.dataDisks![0].diskSizeGB, 50);

      const resultDelete = await client.pool.deleteMethod(pool.id);
      assert.equal(resultDelete._response.status, 202);
    });
  });

  describe("Pool with endpoint configuration", () => {
    it("should add a pool with inbound endpoint configuration successfully", async () => {
      const pool: BatchServiceModels.PoolAddParameter = {
        id: ENDPOINT_POOL,
        vmSize: VMSIZE_A1,
        networkConfiguration: {
          endpointConfiguration: {
            inboundNATPools: [
              {
                name: "TestEndpointConfig",
                protocol: "udp",
                backendPort: 64444,
                frontendPortRangeStart: 60000,
                frontendPortRangeEnd: 61000,
                networkSecurityGroupRules: [{ priority: 150, access: "allow", sourceAddressPrefix: "*" }],
              },
            ],
          },
        },
        virtualMachineConfiguration: {
          nodeAgentSKUId: "batch.node.ubuntu 18.04",
          imageReference: { publisher: "Canonical", offer: "UbuntuServer", sku: "18.04-LTS" },
        },
        targetDedicatedNodes: 1,
      };

      const result = await client.pool.add(pool);
      assert.equal(result._response.status, 201);
    });

    it("should get the details of a pool with endpoint configuration successfully", async () => {
      const result = await waitFor(
        async () => {
          const nodes = await client.computeNode.list(ENDPOINT_POOL);
          return nodes.length > 0 ? nodes : undefined;
        },
        `a node in ${ENDPOINT_POOL}`,
        LONG_WAIT_MS,
      );
      assert.equal(result.length, 1);
      assert.notEqual(result[0].endpointConfiguration, undefined);
      // local: 1, not 2: since 30 November 2025 Azure no longer adds an SSH endpoint of its own to new pools' nodes
      // (learn.microsoft.com/azure/batch/pool-endpoint-configuration); the suite predates that change
      assert.equal(result[0].endpointConfiguration!.inboundEndpoints.length, 1);
      assert.equal(result[0].endpointConfiguration!.inboundEndpoints[0].name, "TestEndpointConfig.0");
      assert.equal(result[0].endpointConfiguration!.inboundEndpoints[0].protocol, "udp");
    });

    it("should get pool node counts successfully", async () => {
      const result = await waitFor(
        async () => {
          const counts = await client.account.listPoolNodeCounts();
          // local: also the endpoint pool's node, added last: on Azure the suite's slower pace had it idle by then
          const endpointIdle = counts.some((pool) => pool.poolId === ENDPOINT_POOL && pool.dedicated!.idle > 0);
          return counts.length > 0 && counts[0].dedicated!.idle > 0 && endpointIdle ? counts : undefined;
        },
        "an idle dedicated node in the first pool's and the endpoint pool's counts",
        LONG_WAIT_MS,
      );

      assert.equal(result.length, 2);
      assert.equal(result._response.status, 200);

      const endpointPoolObj = result.filter((pool) => pool.poolId === ENDPOINT_POOL);
      if (endpointPoolObj.length === 0) assert.fail(`Pool with Pool Id ${ENDPOINT_POOL} not found`);

      assert.equal(endpointPoolObj[0].dedicated!.idle, 1);
      assert.equal(endpointPoolObj[0].lowPriority!.total, 0);
    });
  });

  describe("Compute node operations", () => {
    it("should list compute nodes successfully", async () => {
      // local: the original waited while the first node was `starting`; a local node also passes through
      // `waitingforstarttask` within the same instant, so both count as still starting
      const result = await waitFor(
        async () => {
          const nodes = await client.computeNode.list(BASIC_POOL);
          return nodes.length > 0 && nodes[0].state !== "starting" && nodes[0].state !== "waitingforstarttask" ? nodes : undefined;
        },
        `the first node of ${BASIC_POOL} to have started`,
        LONG_WAIT_MS,
      );
      assert.ok(result.length >= 1);
      assert.equal(result[0].state, "idle");
      assert.equal(result[0].schedulingState, "enabled");
      assert.equal(result[0].isDedicated, true);
      assert.equal(result._response.status, 200);
      compute_nodes = result.map((x) => x.id!);
    });

    // biome-ignore lint/suspicious/noIdenticalTestTitle: the original has this case twice, under the same title
    it("should get a compute node reference", async () => {
      const result = await client.computeNode.get(BASIC_POOL, compute_nodes[0]);
      assert.equal(result.id, compute_nodes[0]);
      assert.equal(result.state, "idle");
      assert.equal(result.schedulingState, "enabled");
      assert.equal(result._response.status, 200);
    });

    it("should get a compute node reference", async () => {
      const result = await client.computeNode.get(BASIC_POOL, compute_nodes[0]);

      assert.equal(result.id, compute_nodes[0]);
      assert.equal(result.state, "idle");
      assert.equal(result.schedulingState, "enabled");
      assert.equal(result._response.status, 200);
    });

    it("should add a user to a compute node successfully", async () => {
      const options = { name: TEST_USER, isAdmin: false, password: "kt#_gahr!@aGERDXA" };
      const result = await client.computeNode.addUser(BASIC_POOL, compute_nodes[0], options);

      assert.equal(result._response.status, 201);
    });

    it("should update a compute node user successfully", async () => {
      const options = { password: "liilef#$DdRGSa_ewkjh" };
      const result = await client.computeNode.updateUser(BASIC_POOL, compute_nodes[0], TEST_USER, options);

      assert.equal(result._response.status, 200);
    });

    it("should get a remote desktop file successfully", {
      skip: "only Azure's Windows nodes have it: an RDP file is for a cloudServiceConfiguration (Windows) node; local nodes run Linux, and the local service answers 409 OperationInvalidForCurrentState naming GetRemoteLoginSettings",
    }, async () => {
      const result = await client.computeNode.getRemoteDesktop(BASIC_POOL, compute_nodes[0]);
      assert.equal(result._response.status, 200);
      const buff = await readStreamToBuffer(result.readableStreamBody!);
      assert.ok(buff.length >= 1);
    });

    it("should delete a compute node user successfully", async () => {
      const result = await client.computeNode.deleteUser(BASIC_POOL, compute_nodes[0], TEST_USER);

      assert.equal(result._response.status, 200);
    });

    it("should disable scheduling on a compute node successfully", async () => {
      // local: the original retried every 5 s while the node answered NodeNotReady
      const result = await waitFor(
        async () => {
          try {
            return await client.computeNode.disableScheduling(BASIC_POOL, compute_nodes[1]);
          } catch (error) {
            if ((error as BatchError).code === "NodeNotReady") return undefined;
            throw error;
          }
        },
        `${compute_nodes[1]} to accept disable scheduling`,
        LONG_WAIT_MS,
      );
      assert.equal(result._response.status, 200);
    });

    it("should enable scheduling on a compute node successfully", async () => {
      const result = await client.computeNode.enableScheduling(BASIC_POOL, compute_nodes[1]);

      assert.equal(result._response.status, 200);
    });

    it("should reboot a compute node successfully", async () => {
      const result = await client.computeNode.reboot(BASIC_POOL, compute_nodes[0]);

      assert.equal(result._response.status, 202);
    });

    it("should reimage a compute node successfully", async () => {
      const result = await client.computeNode.reimage(BASIC_POOL, compute_nodes[1]);

      assert.equal(result._response.status, 202);
    });

    it("should upload pool node logs at paas pool", async () => {
      const container = await azuriteContainerUrl("fakecontainer"); // local: Azurite, not teststorage.blob.core.windows.net
      const config: BatchServiceModels.UploadBatchServiceLogsConfiguration = {
        containerUrl: container,
        startTime: new Date("2018-02-25T00:00:00.00"),
      };
      const result = await client.computeNode.uploadBatchServiceLogs(BASIC_POOL, compute_nodes[2], config);

      assert.equal(result._response.status, 200);
      assert.ok(result.numberOfFilesUploaded >= 1);
    });
  });

  describe("Autoscale operations", () => {
    it("should enable autoscale successfully", async () => {
      const model: BatchServiceModels.PoolEnableAutoScaleParameter = {
        autoScaleFormula: "$TargetDedicatedNodes=2",
        autoScaleEvaluationInterval: "PT6M", // moment's duration({ minutes: 6 }).toISOString()
      };

      const result = await client.pool.enableAutoScale(BASIC_POOL, model);

      assert.equal(result._response.status, 200);
    });

    it("should evaluate pool autoscale successfully", async () => {
      const result = await client.pool.evaluateAutoScale(BASIC_POOL, "$TargetDedicatedNodes=3");

      assert.equal(result.results, "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
      assert.equal(result._response.status, 200);
    });

    it("should fail to evaluate invalid autoscale formula", async () => {
      const result = await client.pool.evaluateAutoScale(BASIC_POOL, "something_useless");

      assert.equal(result.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
      assert.equal(result._response.status, 200);
    });

    it("should disable autoscale successfully", async () => {
      const result = await client.pool.disableAutoScale(BASIC_POOL);

      assert.equal(result._response.status, 200);
    });
  });

  describe("Pool operations (advanced)", () => {
    it("should create a second pool successfully", async () => {
      const pool = { id: TEST_POOL3, vmSize: VMSIZE_SMALL, cloudServiceConfiguration: { osFamily: "4" } };
      const result = await client.pool.add(pool);
      assert.equal(result._response.status, 201);
    });

    it("should list pools without filters", async () => {
      const result = await client.pool.list();

      assert.ok(result.length >= 2);
      assert.equal(result._response.status, 200);
    });

    it("should list a maximum number of pools", async () => {
      const options = { poolListOptions: { maxResults: 1 } };
      let result = await client.pool.list(options);

      assert.equal(result.length, 1);
      assert.equal(result._response.status, 200);
      result = await client.pool.listNext(result.odatanextLink!);

      assert.equal(result.length, 1);
      assert.equal(result._response.status, 200);
    });

    it("should fail to list pools with invalid max", async () => {
      const options = { poolListOptions: { maxResults: -5 } };
      await assert.rejects(client.pool.list(options), (err: Error) => {
        assert.equal(err.message, '"options.poolListOptions.maxResults" with value "-5" should satisfy the constraint "InclusiveMinimum": 1.');
        return true;
      });
    });

    it("should list pools according to filter", async () => {
      const options = { poolListOptions: { filter: `startswith(id,'${BASIC_POOL}')`, select: "id,state", expand: "stats" } };
      const result = await client.pool.list(options);

      assert.equal(result.length, 1);
      assert.equal(result[0].id, BASIC_POOL);
      assert.equal(result[0].state, "active");
      assert.equal(result[0].allocationState, undefined);
      assert.equal(result[0].vmSize, undefined);
      assert.equal(result._response.status, 200);
    });

    it("should check that pool exists successfully", async () => {
      const result = await client.pool.exists(BASIC_POOL);

      assert.equal(result.body, true);
      assert.equal(result._response.status, 200);
    });

    it("should start pool resizing successfully", async () => {
      const options = { targetDedicatedNodes: 3, targetLowPriorityNodes: 2 };
      const result = await client.pool.resize(TEST_POOL3, options);

      assert.equal(result._response.status, 202);
    });

    it("should stop pool resizing successfully", async () => {
      const result = await client.pool.stopResize(TEST_POOL3);

      assert.equal(result._response.status, 202);
    });

    it("should get pool lifetime statistics", async () => {
      const result = await client.pool.getAllLifetimeStatistics();

      assert.notEqual(result.usageStats, undefined);
      assert.notEqual(result.resourceStats, undefined);
      assert.equal(result._response.status, 200);
    });

    it("should list pools usage metrics", async () => {
      const result = await client.pool.listUsageMetrics();

      assert.ok(result.length >= 1);
      assert.equal(result._response.status, 200);
    });
  });

  describe("Job operations (basic)", () => {
    it("should create a job successfully", async () => {
      const options = { id: JOB_NAME, poolInfo: { poolId: BASIC_POOL } };
      const result = await client.job.add(options);

      assert.equal(result._response.status, 201);

      const getResult = await client.job.get(JOB_NAME);
      assert.equal(getResult.allowTaskPreemption, false);
    });

    it("should update a job successfully", async () => {
      const options = { priority: 500, constraints: { maxTaskRetryCount: 3 }, poolInfo: { poolId: BASIC_POOL } };
      const result = await client.job.update(JOB_NAME, options);

      assert.equal(result._response.status, 200);
    });

    it("should patch a job successfully", async () => {
      // as in the original: the "patch" case calls job.update
      const options = { priority: 500, constraints: { maxTaskRetryCount: 3 }, poolInfo: { poolId: BASIC_POOL } };
      const result = await client.job.update(JOB_NAME, options);

      assert.equal(result._response.status, 200);
    });
  });

  describe("Task operations", () => {
    it("should create a task with container settings successfully", { skip: containerEngineMissing() }, async () => {
      const options = { id: TASK3_NAME, poolInfo: { poolId: ENDPOINT_POOL } };
      const result1 = await client.job.add(options);
      assert.equal(result1._response.status, 201);
      const task = { id: TASK3_NAME, commandLine: "cat /etc/centos-release", containerSettings: { imageName: "centos" } };
      const result2 = await client.task.add(TASK3_NAME, task);
      assert.equal(result2._response.status, 201);

      await client.job.deleteMethod(TASK3_NAME);
    });

    it("should create a task with exit conditions successfully", async () => {
      const jobId = "JobWithAutoComplete";
      const taskId = "TaskWithAutoComplete";
      const job: BatchServiceModels.JobAddParameter = {
        id: jobId,
        poolInfo: { poolId: "dummypool" },
        onAllTasksComplete: "noaction",
        onTaskFailure: "performexitoptionsjobaction",
        usesTaskDependencies: true,
      };

      const result1 = await client.job.add(job);

      assert.equal(result1._response.status, 201);

      const task: BatchServiceModels.TaskAddParameter = {
        id: taskId,
        commandLine: "echo Hello World",
        exitConditions: {
          default: { jobAction: "terminate", dependencyAction: "satisfy" },
          exitCodes: [{ code: 1, exitOptions: { jobAction: "none", dependencyAction: "block" } }],
        },
      };

      const result2 = await client.task.add(jobId, task);

      assert.equal(result2._response.status, 201);

      const result3 = await client.task.get(jobId, taskId);

      assert.equal(result3.exitConditions!.default!.jobAction, "terminate");
      assert.equal(result3.exitConditions!.default!.dependencyAction, "satisfy");
      assert.equal(result3.exitConditions!.exitCodes![0].code, 1);
      assert.equal(result3.exitConditions!.exitCodes![0].exitOptions.jobAction, "none");
      assert.equal(result3.exitConditions!.exitCodes![0].exitOptions.dependencyAction, "block");

      await client.job.deleteMethod(jobId);
    });

    it("should create a task successfully", async () => {
      const task = { id: TASK1_NAME, commandLine: sh("sleep 20") }; // local: `ping 127.0.0.1 -n 20` (about 20 s on Windows)
      const result = await client.task.add(JOB_NAME, task);
      assert.equal(result._response.status, 201);
    });

    it("should terminate a task successfully", async () => {
      const result = await client.task.terminate(JOB_NAME, TASK1_NAME);

      assert.equal(result._response.status, 204);
    });

    it("should create a second task with output files successfully", async () => {
      const container = await azuriteContainerUrl("batch-sdk-test"); // local: Azurite, not teststorage.blob.core.windows.net
      const outputs = [
        {
          filePattern: "../stdout.txt",
          destination: {
            container: {
              containerUrl: container,
              path: "taskLogs/output.txt",
              uploadHeaders: [
                { name: "x-ms-blob-content-type", value: "text/plain" },
                { name: "x-ms-blob-content-language", value: "en-US" },
              ],
            },
          },
          uploadOptions: { uploadCondition: "taskCompletion" },
        },
        {
          file_pattern: "../stderr.txt",
          destination: { container: { containerUrl: container, path: "taskLogs/error.txt" } },
          uploadOptions: { uploadCondition: "taskFailure" },
        },
      ];
      // as in the original: `output_files` is not a TaskAddParameter property, so the SDK's serializer leaves it out
      const options = { id: TASK2_NAME, commandLine: sh("echo hello world"), output_files: outputs };

      const result = await client.task.add(JOB_NAME, options);

      assert.equal(result._response.status, 201);
    });

    it("should reactivate a task successfully", async () => {
      const result = await client.task.reactivate(JOB_NAME, TASK1_NAME);

      assert.equal(result._response.status, 204);
    });

    it("should update a task successfully", async () => {
      const options = { constraints: { maxTaskRetryCount: 3 } };
      const result = await client.task.update(JOB_NAME, TASK2_NAME, options);

      assert.equal(result._response.status, 200);
    });

    it("should list all tasks successfully", async () => {
      const result = await client.task.list(JOB_NAME);

      assert.equal(result.length, 2);
      assert.equal(result[0].constraints!.maxTaskRetryCount, 3);
      assert.equal(result._response.status, 200);
    });

    it("should get task reference successfully", async () => {
      const result = await client.task.get(JOB_NAME, TASK1_NAME);

      assert.equal(result.id, TASK1_NAME);
      assert.equal(result._response.status, 200);
    });

    it("should list sub tasks successfully", async () => {
      const result = await client.task.listSubtasks(JOB_NAME, TASK1_NAME);

      assert.equal(result._response.status, 200);
    });

    it("should create a task with authentication token settings successfully", async () => {
      const jobId = JOB_NAME;
      const taskId = "TaskWithAuthTokenSettings";
      const task: BatchServiceModels.TaskAddParameter = {
        id: taskId,
        commandLine: sh("echo Hello World"),
        authenticationTokenSettings: { access: ["job"] },
      };

      const result = await client.task.add(jobId, task);

      assert.equal(result._response.status, 201);

      const result2 = await client.task.get(jobId, taskId);

      assert.notEqual(result2.authenticationTokenSettings, undefined);
      assert.notEqual(result2.authenticationTokenSettings!.access, undefined);
      assert.equal(result2.authenticationTokenSettings!.access!.length, 1);
      assert.equal(result2.authenticationTokenSettings!.access![0], "job");
    });

    it("should create a task with a user identity successfully", async () => {
      const jobId = JOB_NAME;
      const taskId = "TaskWithUserIdentity";
      const task = {
        id: taskId,
        // This command should return a non-zero exit code for a non-admin user
        // local: `net session` needs admin rights on Windows; on Linux the test is for root's uid
        commandLine: sh("[ $(id -u) -eq 0 ]"),
        userIdentity: { userName: nonAdminPoolUser },
      };

      const result = await client.task.add(jobId, task);

      assert.equal(result._response.status, 201);

      const result2 = await waitFor(
        async () => {
          const got = await client.task.get(jobId, taskId);
          return got.executionInfo?.result !== undefined ? got : undefined;
        },
        `${taskId} to have a result`,
        LONG_WAIT_MS,
      );
      assert.notEqual(result2.userIdentity, undefined);
      assert.equal(result2.userIdentity!.userName, nonAdminPoolUser);
      assert.notEqual(result2.executionInfo, undefined);
      assert.equal(result2.executionInfo!.result, "failure");
      assert.notEqual(result2.executionInfo!.exitCode, 0);
    });

    it("should count tasks sucessfully", async () => {
      const jobId = JOB_NAME;
      const result = await client.job.getTaskCounts(jobId);

      assert.notEqual(result.taskCounts.active, undefined);
      assert.notEqual(result.taskCounts.completed, undefined);
    });
  });

  describe("File operations", () => {
    // local: on Azure the suite's own pace left the second task time to finish before its files are read
    before(() =>
      waitFor(async () => ((await client.task.get(JOB_NAME, TASK2_NAME)).state === "completed" ? true : undefined), `${TASK2_NAME} to complete`, LONG_WAIT_MS),
    );

    it("should list files from task successfully", async () => {
      const result = await client.file.listFromTask(JOB_NAME, TASK2_NAME);

      assert.ok(result.length >= 1);
      assert.equal(result._response.status, 200);
    });

    it("should get file properties from task successfully", async () => {
      const result = await client.file.getPropertiesFromTask(JOB_NAME, TASK2_NAME, "stderr.txt");

      assert.equal(result._response.status, 200);
    });

    it("should get file from task successfully", async () => {
      const result = await client.file.getFromTask(JOB_NAME, TASK2_NAME, "stdout.txt");
      assert.equal(result._response.status, 200);
      const buff = await readStreamToBuffer(result.readableStreamBody!);
      assert.ok(buff.length >= 1);
    });

    it("should delete file from task successfully", async () => {
      const result = await client.file.deleteFromTask(JOB_NAME, TASK2_NAME, "stderr.txt");

      assert.equal(result._response.status, 200);
    });

    it("should re-list compute nodes successfully", async () => {
      // local: as the original's commented-out "Waiting for nodes to be ready...": the rebooted and reimaged nodes are back
      const result = await waitFor(
        async () => {
          const nodes = await client.computeNode.list(BASIC_POOL);
          return nodes.length > 0 && nodes.every((node) => node.state === "idle" || node.state === "running") ? nodes : undefined;
        },
        `the nodes of ${BASIC_POOL} to be ready`,
        LONG_WAIT_MS,
      );

      assert.ok(result.length >= 1);
      compute_nodes = result.map((x) => x.id!);
    });

    it("should list files from compute node successfully", async () => {
      const result = await client.file.listFromComputeNode(BASIC_POOL, compute_nodes[1]);

      assert.ok(result.length >= 1);
      assert.equal(result._response.status, 200);
    });

    it("should get file properties from node successfully", async () => {
      const result = await client.file.getPropertiesFromComputeNode(BASIC_POOL, compute_nodes[1], "startup/wd/hello.txt");

      assert.equal(result._response.status, 200);
    });

    it("should get file from node successfully", async () => {
      const result = await client.file.getFromComputeNode(BASIC_POOL, compute_nodes[1], "startup/wd/hello.txt");
      assert.equal(result._response.status, 200);
      const buff = await readStreamToBuffer(result.readableStreamBody!);
      assert.ok(buff.length >= 1);
    });

    it("should delete file from node successfully", async () => {
      const result = await client.file.deleteFromComputeNode(BASIC_POOL, compute_nodes[1], "startup/wd/hello.txt");

      assert.equal(result._response.status, 200);
    });
  });

  describe("Task cleanup", () => {
    it("should delete a task successfully", async () => {
      const result = await client.task.deleteMethod(JOB_NAME, TASK1_NAME);

      assert.equal(result._response.status, 200);
    });

    it("should add a task with an application package reference successfully", async () => {
      const taskId = "ApplicationPacakgeReferenceTask";
      const task = { id: taskId, commandLine: sh("echo hello world"), applicationPackageReferences: [{ applicationId: "my_application_id" }] };
      const result1 = await client.task.add(JOB_NAME, task);
      assert.equal(result1._response.status, 201);

      const result2 = await client.task.get(JOB_NAME, taskId);
      assert.notEqual(result2.applicationPackageReferences, undefined);
    });

    it("should delete a second task successfully", async () => {
      const result = await client.task.deleteMethod(JOB_NAME, TASK2_NAME);

      assert.equal(result._response.status, 200);
    });
  });

  describe("Job operations (advanced)", () => {
    it("should get a job reference successfully", async () => {
      const result = await client.job.get(JOB_NAME);

      assert.equal(result.id, JOB_NAME);
      assert.equal(result.state, "active");
      assert.equal(result.poolInfo!.poolId, BASIC_POOL);
      assert.equal(result._response.status, 200);
    });

    it("should list jobs successfully", async () => {
      const result = await client.job.list();

      assert.ok(result.length >= 1);
      assert.equal(result._response.status, 200);
    });

    it("should fail to job prep+release status", async () => {
      // local: the original passed when nothing was thrown; the error is required here
      await assert.rejects(client.job.listPreparationAndReleaseTaskStatus(JOB_NAME), (error: BatchError) => {
        assert.equal(error.code, "JobPreparationTaskOrReleaseTaskNotSpecified");
        return true;
      });
    });

    it("should disable a job successfully", async () => {
      const result = await client.job.disable(JOB_NAME, "requeue");

      assert.equal(result._response.status, 202);
    });

    it("should enable a job successfully", async () => {
      const result = await client.job.enable(JOB_NAME);

      assert.equal(result._response.status, 202);
    });

    it("should terminate a job successfully", async () => {
      const result = await client.job.terminate(JOB_NAME);

      assert.equal(result._response.status, 202);
    });

    it("should delete a job successfully", async () => {
      const result = await client.job.deleteMethod(JOB_NAME);

      assert.equal(result._response.status, 202);
    });

    it("should get all job statistics successfully", async () => {
      const result = await client.job.getAllLifetimeStatistics();

      assert.notEqual(result.userCPUTime, undefined);
      assert.notEqual(result.kernelCPUTime, undefined);
      assert.equal(result._response.status, 200);
    });
  });

  describe("Job schedules", () => {
    it("should create a job schedule successfully", async () => {
      const options: BatchServiceModels.JobScheduleAddParameter = {
        id: SCHEDULE,
        jobSpecification: { displayName: JOB_NAME, poolInfo: { poolId: BASIC_POOL } },
        schedule: {
          doNotRunUntil: new Date(Date.now() + 3 * 24 * 3600_000), // moment().add(3, "days")
          startWindow: "PT6M",
        },
      };

      const result = await client.jobSchedule.add(options);

      assert.equal(result._response.status, 201);
    });

    it("should list job schedules successfully", async () => {
      const result = await client.jobSchedule.list();

      assert.ok(result.length >= 1);
      assert.equal(result._response.status, 200);
    });

    it("should list jobs from job schedule successfully", async () => {
      const result = await client.job.listFromJobSchedule(SCHEDULE);

      assert.equal(result.length, 0);
      assert.equal(result._response.status, 200);
    });

    it("should check if a job schedule exists successfully", async () => {
      const result = await client.jobSchedule.exists(SCHEDULE);

      assert.equal(result.body, true);
      assert.equal(result._response.status, 200);
    });

    it("should get a job schedule reference successfully", async () => {
      const result = await client.jobSchedule.get(SCHEDULE);

      assert.equal(result.id, SCHEDULE);
      assert.equal(result.state, "active");
      assert.equal(result._response.status, 200);
    });

    it("should update a job schedule successfully", async () => {
      const options: BatchServiceModels.JobScheduleUpdateParameter = {
        schedule: { recurrenceInterval: "PT6H" },
        jobSpecification: { poolInfo: { poolId: TEST_POOL3 } },
      };

      const result = await client.jobSchedule.update(SCHEDULE, options);

      assert.equal(result._response.status, 200);
    });

    it("should patch a job schedule successfully", async () => {
      const options = { schedule: { recurrenceInterval: "PT3H", startWindow: "PT1H" } };

      const result = await client.jobSchedule.patch(SCHEDULE, options);

      assert.equal(result._response.status, 200);
    });

    it("should disable a job schedule successfully", async () => {
      const result = await client.jobSchedule.disable(SCHEDULE);

      assert.equal(result._response.status, 204);
    });

    it("should enable a job schedule successfully", async () => {
      const result = await client.jobSchedule.enable(SCHEDULE);

      assert.equal(result._response.status, 204);
    });

    it("should terminate a job schedule successfully", async () => {
      const result = await client.jobSchedule.terminate(SCHEDULE);

      assert.equal(result._response.status, 202);
    });

    it("should delete a job schedule successfully", async () => {
      const result = await client.jobSchedule.deleteMethod(SCHEDULE);

      assert.equal(result._response.status, 202);
    });
  });

  describe("Resource cleanup", () => {
    it("should remove nodes in pool successfully", async () => {
      const options: BatchServiceModels.NodeRemoveParameter = { nodeList: compute_nodes, nodeDeallocationOption: "terminate" };
      const result = await client.pool.removeNodes(BASIC_POOL, options);

      assert.equal(result._response.status, 202);
    });

    it("should delete a pool successfully", async () => {
      const result = await client.pool.deleteMethod(BASIC_POOL);

      assert.equal(result._response.status, 202);
    });

    it("should delete a second pool successfully", async () => {
      const result = await client.pool.deleteMethod(TEST_POOL3);

      assert.equal(result._response.status, 202);
    });

    it("should delete a third pool successfully", async () => {
      const result = await client.pool.deleteMethod(ENDPOINT_POOL);

      assert.equal(result._response.status, 202);
    });

    it("should fail to delete a non-existent pool", async () => {
      // local: the original passed when nothing was thrown; the error is required here. Azure was still deleting the pool
      // (PoolBeingDeleted); a local pool whose nodes were all removed may already be gone, as the case's name says (PoolNotFound)
      await assert.rejects(client.pool.deleteMethod(BASIC_POOL), (error: BatchError) => {
        assert.ok(["PoolBeingDeleted", "PoolNotFound"].includes(error.code!), `code ${error.code}`);
        return true;
      });
    });

    it("should delete a certificate successfully", { skip: CERTIFICATES_SKIP }, async () => {
      const result = await client.certificate.deleteMethod("sha1", certThumb);

      assert.equal(result._response.status, 202);
    });

    it("should fail to cancel deleting a certificate", { skip: CERTIFICATES_SKIP }, async () => {
      await assert.rejects(client.certificate.cancelDeletion("sha1", certThumb), (error: BatchError) => {
        assert.equal(error.code, "CertificateBeingDeleted");
        return true;
      });
    });
  });
});
