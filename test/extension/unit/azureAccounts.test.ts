// Why: unit tests (plain node) of the Azure branch: real ARM SDKs against a local HTTPS ARM stub, pools from a REAL local Batch service.

import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createAzureArm, portalUrl } from "../../../src/extension/accounts/azureArm";
import { AzureFileClients, azureAuthority } from "../../../src/extension/accounts/azureFileClients";
import { ARM_SCOPE, AuthRequiredError, type AzureCredentialSource, BATCH_SCOPE } from "../../../src/extension/accounts/azureCredentials";
import { type AzureBatchClientFactory, bearerBatchClientFactory, sharedKeyBatchClient } from "../../../src/extension/accounts/batchClients";
import { CommandId } from "../../../src/extension/common/ids";
import { notStartedLocalService } from "../../../src/extension/tree/accountNodes";
import type { BatchClientLike } from "../../../src/extension/common/batchClientLike";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { AZURE_LABEL, AzureBatchAccountNode } from "../../../src/extension/tree/remoteAccountNodes";
import { SIGN_IN_AGAIN_LABEL, SIGN_IN_LABEL } from "../../../src/extension/tree/signInNode";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { type LocalServiceHandle, startLocalService } from "../../support/localService";
import { type ArmStub, startArmStub } from "../support/armStub";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

const TOKEN = "test-token-not-a-secret";
const vm = LOCAL_POOL_VM_CONFIGURATION;
const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

/** A local token issuer standing in for VS Code's "microsoft" sessions; records the scopes asked for. */
function issuer(token: string | Error): AzureCredentialSource & { scopes: string[][] } {
  const scopes: string[][] = [];
  return {
    scopes,
    async getToken(requested) {
      scopes.push([...requested]);
      if (token instanceof Error) throw token;
      return token;
    },
    onDidChange: () => ({ dispose() {} }),
  };
}

describe("Azure accounts: subscriptions and Batch accounts through ARM", () => {
  let stub: ArmStub;
  let service: LocalServiceHandle;
  let localClients: AzureBatchClientFactory;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    await service.client().pool.add({ id: "azure-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    stub = await startArmStub(TOKEN, [
      { subscriptionId: "sub-1", displayName: "Sub One", accounts: { localacct: service.info.batchUrl } },
      { subscriptionId: "sub-2", displayName: "Sub Two", accounts: {} },
    ]);
    // the local service only speaks SharedKey: the data plane uses an injected shared-key factory here
    localClients = (account) => sharedKeyBatchClient(account.accountEndpoint, service.info.accountName, service.info.accountKey);
  });

  after(async () => {
    await stub?.close();
    await service?.stop();
  });

  const model = (source: AzureCredentialSource, createClient = localClients) =>
    new ExplorerModel({
      localService: notStartedLocalService,
      remoteAccounts: { azure: { arm: createAzureArm(source, { endpoint: stub.url, clientOptions: stub.clientOptions }), createClient } },
    });

  async function azureNode(m: ExplorerModel): Promise<TreeNode> {
    const accounts = await m.children(m.roots()[0]);
    assert.deepEqual(labelsOf(accounts), ["Local", AZURE_LABEL]);
    return accounts[1];
  }

  it("Azure → subscriptions (paged) → Batch accounts → Pools of the local service, with bearer tokens for ARM", async () => {
    const source = issuer(TOKEN);
    const m = model(source);
    const subscriptions = await m.children(await azureNode(m));
    assert.deepEqual(labelsOf(subscriptions), ["Sub One", "Sub Two"]);
    assert.deepEqual(labelsOf(await m.children(subscriptions[1])), ["No Batch accounts"]);
    const [account] = await m.children(subscriptions[0]);
    assert.ok(account instanceof AzureBatchAccountNode);
    assert.equal(account.label, "localacct");
    assert.equal(account.contextValue, "account.azure");
    assert.equal(account.resourceId, "/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/localacct");
    assert.equal(account.portalUrl, `https://portal.azure.com/#resource${account.resourceId}/overview`);
    const [pools, jobs] = await m.children(account);
    assert.deepEqual([pools.label, jobs.label], ["Pools", "Jobs"]);
    assert.deepEqual(labelsOf(await m.children(pools)), ["azure-pool"]);
    assert.ok(stub.requests.length >= 3);
    assert.ok(stub.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    assert.ok(
      source.scopes.every((s) => s.length === 1 && s[0] === ARM_SCOPE),
      JSON.stringify(source.scopes),
    );
  });

  it("an Azure account's task files are listed and open through a batch: authority naming the account, with the listed client", async () => {
    const client = service.client();
    await client.pool.add({ id: "azure-files-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
    await client.job.add({ id: "azure-files-job", poolInfo: { poolId: "azure-files-pool" } });
    await client.task.add("azure-files-job", { id: "t1", commandLine: '/bin/sh -c "echo from azure"' });
    for (const started = Date.now(); (await client.task.get("azure-files-job", "t1")).state !== "completed"; ) {
      assert.ok(Date.now() - started < 60_000, "the task did not complete within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const fileClients = new AzureFileClients();
    const m = new ExplorerModel({
      localService: notStartedLocalService,
      remoteAccounts: {
        azure: { arm: createAzureArm(issuer(TOKEN), { endpoint: stub.url, clientOptions: stub.clientOptions }), createClient: localClients, fileClients },
      },
    });
    const [subscription] = await m.children(await azureNode(m));
    const [account] = await m.children(subscription);
    const child = async (parent: TreeNode, label: string) => {
      const found = (await m.children(parent)).find((n) => n.label === label);
      assert.ok(found, `no ${label} under ${parent.id}: ${labelsOf(await m.children(parent))}`);
      return found;
    };
    const task = await child(await child(await child(account, "Jobs"), "azure-files-job"), "t1");
    const files = await m.children(task);
    const stdout = files.find((n) => n.label === "stdout.txt");
    assert.ok(stdout, `stdout.txt under the task: ${labelsOf(files)}`);
    const authority = azureAuthority({ name: "localacct", accountEndpoint: service.info.batchUrl });
    const uri = String(stdout.command?.args?.[0]);
    assert.ok(decodeURIComponent(uri).startsWith(`batch://${authority}/jobs/azure-files-job/tasks/t1/files/`), uri);
    const listed = fileClients.clientFor(authority);
    assert.ok(listed, "the account's client is kept for its files");
    assert.ok(listed.file, "a client with the file operations");
    const content = await listed.file.getFromTask("azure-files-job", "t1", "stdout.txt");
    assert.equal((await streamText(content.readableStreamBody)).trim(), "from azure");
    assert.equal(fileClients.clientFor("other@example.batch.azure.com"), undefined, "an account never listed has no client");
  });

  it("nobody signed in: the Azure node offers to sign in", async () => {
    const m = model(issuer(new AuthRequiredError()));
    const children = await m.children(await azureNode(m));
    assert.deepEqual(labelsOf(children), [SIGN_IN_LABEL]);
    assert.equal(children[0].command?.id, CommandId.accountsSignIn);
  });

  it("a refused token (401) becomes 'Sign in again' with the reason", async () => {
    const m = model(issuer("expired-token"));
    const [item] = await m.children(await azureNode(m));
    assert.equal(item.label, SIGN_IN_AGAIN_LABEL);
    assert.equal(item.contextValue, "error.signIn");
    assert.equal(item.command?.id, CommandId.accountsSignIn);
    assert.match(item.description ?? "", /access token is invalid/);
  });

  it("a data-plane 401 under an Azure account becomes 'Sign in again' too", async () => {
    const refusing = {
      pool: { list: () => Promise.reject(Object.assign(new Error("Server failed to authenticate the request."), { statusCode: 401 })) },
    } as unknown as BatchClientLike;
    const m = model(issuer(TOKEN), () => refusing);
    const [subscription] = await m.children(await azureNode(m));
    const [account] = await m.children(subscription);
    const [pools] = await m.children(account);
    const [item] = await m.children(pools);
    assert.equal(item.label, SIGN_IN_AGAIN_LABEL);
  });

  it("portalUrl", () => {
    assert.equal(
      portalUrl("/subscriptions/s/resourceGroups/g/providers/Microsoft.Batch/batchAccounts/a"),
      "https://portal.azure.com/#resource/subscriptions/s/resourceGroups/g/providers/Microsoft.Batch/batchAccounts/a/overview",
    );
  });
});

describe("the bearer-token data-plane client", () => {
  it("sends `Authorization: Bearer` with a token for the Batch scope to the account endpoint", async () => {
    const seen: { url?: string; authorization?: string }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ value: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const source = issuer("data-plane-token");
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = bearerBatchClientFactory(source)({ resourceId: "/x", name: "a", accountEndpoint: endpoint });
      assert.deepEqual([...(await client.pool.list())], []);
      assert.equal(seen[0].authorization, "Bearer data-plane-token");
      assert.match(seen[0].url ?? "", /^\/pools\?/);
      assert.deepEqual(source.scopes, [[BATCH_SCOPE]]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

async function streamText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
