// Why: the local service's management endpoint through the real @azure/arm-batch client: token issuer and bearer checks, application package lifecycle, ids checked before they become paths, and the explorer's Azure listing.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { BatchManagementClient } from "@azure/arm-batch";
import { BlockBlobClient } from "@azure/storage-blob";
import { createAzureArm } from "../../src/extension/accounts/azureArm";
import { ARM_SCOPE } from "../../src/core/deploy/deployTarget";
import { LocalArmCredential, localArmEndpoint, loopbackHttpPolicy } from "../../src/core/deploy/localArmCredential";
import { LOCAL_SUBSCRIPTION_ID } from "../../src/local/arm/armIds";
import { zipDirectory } from "../../src/core/workload/zipWorkload";
import { startLocalService, type LocalServiceHandle } from "../support/localService";

const ACCOUNT = `/subscriptions/${LOCAL_SUBSCRIPTION_ID}/resourceGroups/local/providers/Microsoft.Batch/batchAccounts/localbatch`;

describe("local management endpoint (ARM) through @azure/arm-batch", () => {
  let service: LocalServiceHandle;
  let arm: BatchManagementClient;
  let credential: LocalArmCredential;
  let zip: Buffer;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    credential = new LocalArmCredential(service.info.batchUrl, service.info.accountName, service.info.accountKey);
    arm = new BatchManagementClient(credential, LOCAL_SUBSCRIPTION_ID, {
      endpoint: localArmEndpoint(service.info.batchUrl),
      credentialScopes: [ARM_SCOPE],
      additionalPolicies: [loopbackHttpPolicy],
      retryOptions: { maxRetries: 0 },
    });
    const dir = fs.mkdtempSync(path.join(service.dataDir, "zip-"));
    fs.writeFileSync(path.join(dir, "main.js"), "console.log('hi')\n");
    zip = await zipDirectory(dir);
  });
  after(() => service.stop());

  /** A request with its path sent exactly as written (fetch would normalise `..` segments away). */
  const raw = (method: string, pathname: string, token?: string) =>
    new Promise<{ status: number; body: { error?: { code: string; message: string } } | undefined }>((resolve, reject) => {
      const request = http.request(
        `${service.info.batchUrl}/`,
        { method, path: `${pathname}?api-version=2023-11-01`, headers: token ? { authorization: `Bearer ${token}` } : {} },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () =>
            resolve({ status: response.statusCode!, body: text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : undefined }),
          );
        },
      );
      request.once("error", reject);
      request.end();
    });

  it("issues tokens only for the local account's name and key, and refuses requests without a valid one (401)", async () => {
    const refused = await fetch(`${service.info.batchUrl}/localArm/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "localbatch", client_secret: "wrong" }),
    });
    assert.equal(refused.status, 401);
    assert.equal((await raw("GET", "/subscriptions")).status, 401);
    const token = (await credential.getToken()).token;
    assert.equal((await raw("GET", "/subscriptions", `${token.split(".")[0]}.forged`)).status, 401);
    const ok = await raw("GET", "/subscriptions", token);
    assert.equal(ok.status, 200);
    assert.match(JSON.stringify(await raw("GET", "/subscriptions/other/providers/Microsoft.Batch/batchAccounts", token)), /SubscriptionNotFound/);
  });

  it("the explorer's Azure sign-in path lists the local subscription and account", async () => {
    const source = { getToken: async () => (await credential.getToken()).token, onDidChange: () => ({ dispose: () => undefined }) };
    const azure = createAzureArm(source, { endpoint: localArmEndpoint(service.info.batchUrl), clientOptions: { additionalPolicies: [loopbackHttpPolicy] } });
    const subscriptions = await azure.listSubscriptions();
    assert.deepEqual(
      subscriptions.map((s) => s.subscriptionId),
      [LOCAL_SUBSCRIPTION_ID],
    );
    const accounts = await azure.listBatchAccounts(LOCAL_SUBSCRIPTION_ID);
    assert.deepEqual(
      accounts.map((a) => [a.resourceId, a.name, a.accountEndpoint]),
      [[ACCOUNT, "localbatch", service.info.batchUrl.replace("http://", "")]],
    );
  });

  it("application package lifecycle: create (pending, upload URL) → activate → default → delete; the data plane sees it", async () => {
    await arm.applicationOperations.create("local", "localbatch", "lifecycle", { parameters: { displayName: "Lifecycle", allowUpdates: false } });
    const pending = await arm.applicationPackageOperations.create("local", "localbatch", "lifecycle", "1.10.0");
    assert.equal(pending.state, "Pending");
    assert.match(pending.storageUrl ?? "", /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/batch-application-packages\/lifecycle\/1\.10\.0\.zip\?.*sig=/);
    await assert.rejects(arm.applicationPackageOperations.activate("local", "localbatch", "lifecycle", "1.10.0", { format: "zip" }), {
      statusCode: 409,
      code: "ApplicationPackageBlobNotFound",
    });
    await assert.rejects(arm.applicationOperations.update("local", "localbatch", "lifecycle", { defaultVersion: "1.10.0" }), {
      statusCode: 409,
      code: "ApplicationPackageNotActive",
    });
    await new BlockBlobClient(pending.storageUrl!).uploadData(zip);
    const active = await arm.applicationPackageOperations.activate("local", "localbatch", "lifecycle", "1.10.0", { format: "zip" });
    assert.deepEqual([active.state, active.format], ["Active", "zip"]);
    assert.deepEqual((await service.client().application.get("lifecycle")).versions, ["1.10.0"]);
    await assert.rejects(arm.applicationPackageOperations.create("local", "localbatch", "lifecycle", "1.10.0"), {
      statusCode: 409,
      code: "ApplicationPackageAlreadyExists",
    });
    assert.equal((await arm.applicationOperations.update("local", "localbatch", "lifecycle", { defaultVersion: "1.10.0" })).defaultVersion, "1.10.0");
    await assert.rejects(arm.applicationOperations.delete("local", "localbatch", "lifecycle"), { statusCode: 409 });
    await arm.applicationPackageOperations.delete("local", "localbatch", "lifecycle", "1.10.0");
    await assert.rejects(arm.applicationPackageOperations.get("local", "localbatch", "lifecycle", "1.10.0"), { statusCode: 404 });
    assert.equal((await arm.applicationOperations.get("local", "localbatch", "lifecycle")).defaultVersion, undefined);
    await arm.applicationOperations.delete("local", "localbatch", "lifecycle");
    await assert.rejects(arm.applicationOperations.get("local", "localbatch", "lifecycle"), { statusCode: 404 });
  });

  it("refuses a zip that is not one, and ids or versions that could escape the data folder", async () => {
    const pending = await arm.applicationPackageOperations.create("local", "localbatch", "checked", "1.0.0");
    await new BlockBlobClient(pending.storageUrl!).uploadData(Buffer.from("not a zip at all, definitely not"));
    await assert.rejects(arm.applicationPackageOperations.activate("local", "localbatch", "checked", "1.0.0", { format: "zip" }), {
      statusCode: 409,
      code: "ApplicationPackageInvalidZip",
    });
    const token = (await credential.getToken()).token;
    const app = `${ACCOUNT}/applications`;
    assert.equal((await raw("PUT", `${app}/..%2F..%2Fescape`, token)).body?.error?.code, "InvalidApplicationName");
    assert.equal((await raw("PUT", `${app}/checked/versions/..`, token)).body?.error?.code, "InvalidApplicationPackageVersion");
    assert.equal((await raw("PUT", `${app}/checked/versions/1.0%2F..%2F..`, token)).body?.error?.code, "InvalidApplicationPackageVersion");
    await assert.rejects(arm.applicationPackageOperations.activate("local", "localbatch", "checked", "1.0.0", { format: "tar" }), {
      statusCode: 400,
      code: "InvalidApplicationPackageFormat",
    });
    assert.equal(fs.existsSync(path.join(service.dataDir, "escape")), false);
    assert.deepEqual(fs.readdirSync(path.join(service.dataDir, "applications")).sort(), ["checked"]);
  });
});
