// Why: a pool's networkConfiguration is checked, stored and echoed, its inbound NAT pools give nodes loopback endpoints, and pools report node communication modes — through the real client.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { vm } from "../jobs/helpers";

const natPools: BatchServiceModels.InboundNATPool[] = [
  {
    name: "web",
    protocol: "tcp",
    backendPort: 8080,
    frontendPortRangeStart: 15000,
    frontendPortRangeEnd: 15099,
    networkSecurityGroupRules: [{ priority: 150, access: "allow", sourceAddressPrefix: "*", sourcePortRanges: ["*"] }],
  },
  { name: "metrics_1", protocol: "udp", backendPort: 9100, frontendPortRangeStart: 16000, frontendPortRangeEnd: 16039 },
];

const networkConfiguration: BatchServiceModels.NetworkConfiguration = {
  subnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/batch",
  dynamicVNetAssignmentScope: "none",
  publicIPAddressConfiguration: {
    provision: "usermanaged",
    ipAddressIds: ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip1"],
  },
  endpointConfiguration: { inboundNATPools: natPools },
};

describe("pool networkConfiguration and node communication mode", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 3 });
    client = service.client();
  });
  after(() => service.stop());

  it("accepts an empty networkConfiguration and echoes it", async () => {
    await client.pool.add({ id: "p-empty-net", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, networkConfiguration: {} });
    assert.deepEqual((await client.pool.get("p-empty-net")).networkConfiguration, {});
  });

  it("stores and echoes every property; nodes get one loopback endpoint per NAT pool with frontend ports of their own", async () => {
    await client.pool.add({ id: "p-net", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2, networkConfiguration });
    assert.deepEqual((await client.pool.get("p-net")).networkConfiguration, networkConfiguration);
    const [listed] = await client.pool.list({ poolListOptions: { filter: "id eq 'p-net'" } });
    assert.deepEqual(listed.networkConfiguration, networkConfiguration);
    const nodes = await waitFor(async () => {
      const list = await client.computeNode.list("p-net");
      return list.length === 2 && list.every((node) => node.state === "idle") ? list : undefined;
    }, "2 idle nodes");
    const frontend = new Map<string, number[]>();
    for (const listedNode of nodes) {
      const node = await client.computeNode.get("p-net", listedNode.id!);
      const endpoints = node.endpointConfiguration?.inboundEndpoints ?? [];
      // named as on Azure: `<NAT pool>.<the node's index in it>`; the index is the frontend port's offset in the range
      const index = endpoints[0].frontendPort - 15000;
      assert.deepEqual(
        endpoints.map(({ name, protocol, backendPort, publicIPAddress, publicFQDN }) => ({ name, protocol, backendPort, publicIPAddress, publicFQDN })),
        [
          { name: `web.${index}`, protocol: "tcp", backendPort: 8080, publicIPAddress: "127.0.0.1", publicFQDN: "localhost" },
          { name: `metrics_1.${index}`, protocol: "udp", backendPort: 9100, publicIPAddress: "127.0.0.1", publicFQDN: "localhost" },
        ],
      );
      for (const endpoint of endpoints) {
        const natPool = endpoint.name.split(".")[0];
        frontend.set(natPool, [...(frontend.get(natPool) ?? []), endpoint.frontendPort]);
      }
    }
    assert.deepEqual(
      frontend.get("web")!.sort((a, b) => a - b),
      [15000, 15001],
    );
    assert.deepEqual(
      frontend.get("metrics_1")!.sort((a, b) => a - b),
      [16000, 16001],
    );
  });

  it("refuses what Azure refuses with 400 InvalidPropertyValue naming the property, storing nothing", async () => {
    const refused = async (id: string, inboundNATPools: BatchServiceModels.InboundNATPool[], property: string) => {
      await assert.rejects(
        client.pool.add({
          id,
          vmSize: "standard_d2s_v3",
          virtualMachineConfiguration: vm,
          networkConfiguration: { endpointConfiguration: { inboundNATPools } },
        }),
        (error: { statusCode: number; code: string; body?: { values?: { key: string; value: string }[] } }) => {
          assert.equal(error.statusCode, 400);
          assert.equal(error.code, "InvalidPropertyValue");
          assert.equal(error.body?.values?.find((value) => value.key === "PropertyName")?.value, property);
          return true;
        },
      );
      assert.equal((await client.pool.exists(id)).body, false);
    };
    const at = "networkConfiguration.endpointConfiguration.inboundNATPools";
    await refused("p-ssh", [{ ...natPools[0], backendPort: 22 }], `${at}[0].backendPort`);
    await refused("p-short", [{ ...natPools[0], frontendPortRangeEnd: 15010 }], `${at}[0].frontendPortRangeEnd`);
    await refused("p-reserved", [{ ...natPools[0], frontendPortRangeStart: 50100, frontendPortRangeEnd: 50200 }], `${at}[0].frontendPortRangeStart`);
    await refused(
      "p-overlap",
      [natPools[0], { ...natPools[1], frontendPortRangeStart: 15050, frontendPortRangeEnd: 15200 }],
      `${at}[1].frontendPortRangeStart`,
    );
    await refused("p-badname", [{ ...natPools[0], name: "-web" }], `${at}[0].name`);
  });

  it("reports currentNodeCommunicationMode simplified and echoes targetNodeCommunicationMode", async () => {
    let pool = await client.pool.get("p-empty-net");
    assert.equal(pool.currentNodeCommunicationMode, "simplified");
    assert.equal(pool.targetNodeCommunicationMode, "default");
    await client.pool.add({ id: "p-classic", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetNodeCommunicationMode: "classic" });
    pool = await client.pool.get("p-classic");
    assert.equal(pool.targetNodeCommunicationMode, "classic");
    assert.equal(pool.currentNodeCommunicationMode, "simplified");
    await client.pool.patch("p-classic", { targetNodeCommunicationMode: "simplified" });
    assert.equal((await client.pool.get("p-classic")).targetNodeCommunicationMode, "simplified");
    await client.pool.updateProperties("p-classic", { certificateReferences: [], applicationPackageReferences: [], metadata: [] });
    assert.equal((await client.pool.get("p-classic")).targetNodeCommunicationMode, "default", "updateProperties without it resets it to default");
  });
});
