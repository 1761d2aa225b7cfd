// Why: without a reachable Docker or Podman engine the real service refuses container pools and container tasks with a 400 that names the property and the fix (never echoing registry credentials).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";
import { probeContainerEngine } from "../../../src/local/node/containerEngine";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

const REGISTRY_PASSWORD = "registry-pa55word-not-to-echo";
const engine = probeContainerEngine();
const ENGINE_PRESENT = engine ? `a ${engine.command} engine (${engine.version}) is reachable here, so containers are accepted, not refused` : false;

type RestError = { statusCode: number; body: { code: string; message: { value: string }; values: { key: string; value: string }[] } };

/** The refusal: 400 InvalidPropertyValue naming `property`, saying what is missing and how to fix it, without the request's secrets. */
function refusedFor(property: string, fix: RegExp) {
  return (error: RestError): boolean => {
    assert.equal(error.statusCode, 400);
    assert.equal(error.body.code, "InvalidPropertyValue");
    assert.deepEqual(error.body.values[0], { key: "PropertyName", value: property });
    assert.match(error.body.message.value, /No Docker or Podman engine is reachable on this machine/);
    assert.match(error.body.message.value, fix);
    assert.ok(!JSON.stringify(error.body).includes(REGISTRY_PASSWORD), "registry credentials are not echoed");
    return true;
  };
}

const containerSettings = {
  imageName: "ubuntu:22.04",
  registry: { registryServer: "example.azurecr.io", userName: "me", password: REGISTRY_PASSWORD },
};

describe("container pools and tasks without an engine", { skip: ENGINE_PRESENT }, () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    client = service.client();
    await client.pool.add({ id: "plain", vmSize: "standard_d2s_v3", virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION });
    await client.job.add({ id: "jobs", poolInfo: { poolId: "plain" } });
  });
  after(async () => {
    await service.stop();
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it("refuses a pool with containerConfiguration, naming virtualMachineConfiguration.containerConfiguration", async () => {
    const virtualMachineConfiguration = {
      ...LOCAL_POOL_VM_CONFIGURATION,
      containerConfiguration: { type: "dockerCompatible" as const, containerImageNames: ["ubuntu:22.04"], containerRegistries: [containerSettings.registry] },
    };
    await assert.rejects(
      client.pool.add({ id: "containers", vmSize: "standard_d2s_v3", virtualMachineConfiguration }),
      refusedFor("virtualMachineConfiguration.containerConfiguration", /remove containerConfiguration/),
    );
    await assert.rejects(client.pool.get("containers"), { statusCode: 404, code: "PoolNotFound" });
  });

  it("refuses a task with containerSettings, naming containerSettings (also in a task collection)", async () => {
    await assert.rejects(
      client.task.add("jobs", { id: "boxed", commandLine: "/bin/true", containerSettings }),
      refusedFor("containerSettings", /remove containerSettings/),
    );
    const collection = await client.task.addCollection("jobs", [
      { id: "fine", commandLine: "/bin/true" },
      { id: "boxed2", commandLine: "/bin/true", containerSettings },
    ]);
    const byId = new Map(collection.value?.map((result) => [result.taskId, result]));
    assert.equal(byId.get("fine")?.status, "success");
    assert.equal(byId.get("boxed2")?.status, "clienterror");
    assert.equal(byId.get("boxed2")?.error?.code, "InvalidPropertyValue");
    assert.ok(!JSON.stringify(byId.get("boxed2")?.error).includes(REGISTRY_PASSWORD));
  });

  it("refuses container settings of a job manager and of a pool's start task, naming each", async () => {
    await assert.rejects(
      client.job.add({ id: "managed", poolInfo: { poolId: "plain" }, jobManagerTask: { id: "manager", commandLine: "/bin/true", containerSettings } }),
      refusedFor("jobManagerTask.containerSettings", /remove containerSettings/),
    );
    await assert.rejects(
      client.pool.add({
        id: "startbox",
        vmSize: "standard_d2s_v3",
        virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
        startTask: { commandLine: "/bin/true", containerSettings },
      }),
      refusedFor("startTask.containerSettings", /remove containerSettings/),
    );
    await assert.rejects(
      client.pool.patch("plain", { startTask: { commandLine: "/bin/true", containerSettings } }),
      refusedFor("startTask.containerSettings", /remove containerSettings/),
    );
  });
});
