// Why: unit tests (plain node) of shared-key accounts: the key only in secret storage, and the account's tree against a REAL local service.

import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sharedKeyBatchClient } from "../../../src/extension/accounts/batchClients";
import {
  type KeyValueStore,
  normalizeBatchUrl,
  type SecretStore,
  SHARED_KEY_ACCOUNTS_STATE_KEY,
  SharedKeyAccountStore,
} from "../../../src/extension/accounts/sharedKeyAccounts";
import { notStartedLocalService } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { type LocalServiceHandle, startLocalService } from "../../support/localService";

const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label);

function memoryStores(): { state: KeyValueStore & { data: Map<string, unknown> }; secrets: SecretStore & { data: Map<string, string> } } {
  const stateData = new Map<string, unknown>();
  const secretData = new Map<string, string>();
  return {
    state: { data: stateData, get: <T>(k: string) => stateData.get(k) as T | undefined, update: async (k, v) => void stateData.set(k, v) },
    secrets: {
      data: secretData,
      get: async (k) => secretData.get(k),
      store: async (k, v) => void secretData.set(k, v),
      delete: async (k) => void secretData.delete(k),
    },
  };
}

/** The explorer with `store`'s accounts, wired as the extension wires them. */
const modelOf = (store: SharedKeyAccountStore) =>
  new ExplorerModel({
    localService: notStartedLocalService,
    remoteAccounts: { sharedKey: { list: () => store.list(), getKey: (id) => store.getKey(id), createClient: sharedKeyBatchClient } },
  });

describe("shared-key accounts", () => {
  let service: LocalServiceHandle;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    await service.client().job.add({ id: "sk-job", poolInfo: { poolId: "none" } });
  });

  after(async () => {
    await service?.stop();
  });

  it("normalizes URLs and rejects non-http ones", () => {
    assert.equal(normalizeBatchUrl(" https://acct.westeurope.batch.azure.com/ "), "https://acct.westeurope.batch.azure.com");
    assert.throws(() => normalizeBatchUrl("ftp://x"));
    assert.throws(() => normalizeBatchUrl("not a url"));
  });

  it("add keeps the key in secret storage only; the tree lists the account's jobs; remove deletes both", async () => {
    const { state, secrets } = memoryStores();
    const store = new SharedKeyAccountStore(state, secrets);
    let changes = 0;
    store.onDidChange(() => changes++);
    const { batchUrl, accountName, accountKey } = service.info;
    const account = await store.add(`${batchUrl}/`, accountName, accountKey);
    assert.equal(changes, 1);
    assert.deepEqual(store.list(), [{ id: `${accountName}@${batchUrl}`, url: batchUrl, accountName }]);
    assert.ok(!JSON.stringify([...state.data]).includes(accountKey), "the key is not in the state");
    assert.deepEqual([...secrets.data.values()], [accountKey]);

    const model = modelOf(store);
    const accounts = await model.children(model.roots()[0]);
    assert.deepEqual(labelsOf(accounts), ["Local", accountName]);
    assert.equal(accounts[1].contextValue, "account.sharedKey");
    assert.equal(accounts[1].description, batchUrl);
    const [pools, jobs] = await model.children(accounts[1]);
    assert.deepEqual(labelsOf(await model.children(pools)), []);
    assert.deepEqual(labelsOf(await model.children(jobs)), ["sk-job"]);

    await store.remove(account.id);
    assert.deepEqual(store.list(), []);
    assert.deepEqual(state.data.get(SHARED_KEY_ACCOUNTS_STATE_KEY), []);
    assert.equal(secrets.data.size, 0);
    assert.deepEqual(labelsOf(await model.children(model.roots()[0])), ["Local"]);
  });

  it("an account whose key is gone shows an error instead of failing requests", async () => {
    const { state, secrets } = memoryStores();
    const store = new SharedKeyAccountStore(state, secrets);
    const account = await store.add("https://acct.westeurope.batch.azure.com", "acct", "a2V5");
    secrets.data.clear();
    const model = modelOf(store);
    const [, node] = await model.children(model.roots()[0]);
    assert.equal(node.id, `accounts/sharedKey:${account.id}`);
    const [error] = await model.children(node);
    assert.equal(error.contextValue, "error");
    assert.match(error.label, /not in the secret storage/);
  });
});
