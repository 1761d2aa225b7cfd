// Why: integration tests of shared-key accounts in the REAL extension host against a REAL local service: add, explore, remove, no key leaks.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId } from "../../../src/extension/common/ids";
import { type LocalServiceHandle, startLocalService } from "../../support/localService";
import { openExplorer, poll, treeLookup } from "./harness";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

/** Every file under `dir` (bounded), for scanning logs and settings for the key. */
function filesUnder(dir: string, limit = 2000): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (out.length >= limit) return;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

suite("Shared-key Batch accounts in a real extension host", () => {
  let api: BatchManagerApi;
  let service: LocalServiceHandle;
  let accountId: string | undefined;
  const { label } = treeLookup(() => api);
  const accounts = async () => api.treeProvider.getChildren((await api.treeProvider.getChildren())[0]);

  suiteSetup(async () => {
    api = await openExplorer();
    service = await startLocalService({ nodes: 1, env: { ELECTRON_RUN_AS_NODE: "1" } });
    await service.client().pool.add({
      id: "shared-key-pool",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 0,
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    });
  });

  suiteTeardown(async () => {
    if (accountId) await api.accounts.sharedKey.remove(accountId);
    await service?.stop();
  });

  test("batchManager.accounts.addSharedKey adds the account; its Pools come from the service", async () => {
    const { batchUrl, accountName, accountKey } = service.info;
    accountId = (await vscode.commands.executeCommand<string>(CommandId.accountsAddSharedKey, { url: batchUrl, accountName, key: accountKey }))!;
    assert.ok(accountId, "the command returns the account id");
    const list = await accounts();
    assert.deepEqual(list.map(label), ["Local", accountName, "Azure"]);
    const node = list[1];
    const item = api.treeProvider.getTreeItem(node);
    assert.equal(item.contextValue, "account.sharedKey");
    assert.equal(item.description, batchUrl);
    const [pools, jobs] = await api.treeProvider.getChildren(node);
    assert.deepEqual([label(pools), label(jobs)], ["Pools", "Jobs"]);
    assert.deepEqual((await api.treeProvider.getChildren(pools)).map(label), ["shared-key-pool"]);
    assert.equal(await api.accounts.sharedKey.getKey(accountId), accountKey, "the key is in SecretStorage");
  });

  test("a shared-key account's task files open through batch://<account>@<host>/… with its key", async () => {
    const client = service.client();
    await client.pool.add({
      id: "shared-key-files",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    });
    await client.job.add({ id: "shared-key-job", poolInfo: { poolId: "shared-key-files" } });
    await client.task.add("shared-key-job", { id: "hello", commandLine: `/bin/sh -c "echo hello from a shared-key account"` });
    await poll(async () => ((await client.task.get("shared-key-job", "hello")).state === "completed" ? true : undefined), "the task to complete", 60_000);
    const account = (await accounts())[1];
    const jobs = (await api.treeProvider.getChildren(account)).find((node) => label(node) === "Jobs")!;
    const job = (await api.treeProvider.getChildren(jobs)).find((node) => label(node) === "shared-key-job")!;
    const task = (await api.treeProvider.getChildren(job)).find((node) => label(node) === "hello")!;
    const stdout = (await api.treeProvider.getChildren(task)).find((node) => label(node) === "stdout.txt");
    assert.ok(stdout, "the task's files are listed under it");
    const item = api.treeProvider.getTreeItem(stdout);
    const uri = vscode.Uri.parse(String(item.command!.arguments![0]), true);
    assert.equal(uri.authority, `${service.info.accountName}@${new URL(service.info.batchUrl).host}`, "the authority names the account");
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(editor?.document.getText(), "hello from a shared-key account\n");
    const listing = new Map(await vscode.workspace.fs.readDirectory(uri.with({ path: "/jobs/shared-key-job/tasks/hello/files" })));
    assert.equal(listing.get("stderr.txt"), vscode.FileType.File);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(uri.with({ authority: `nobody@${new URL(service.info.batchUrl).host}` }))),
      (e: unknown) => e instanceof vscode.FileSystemError && e.code === "Unavailable",
      "an authority no account has is unavailable",
    );
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("the key is in no setting, no globalState value and no log file", async () => {
    const { accountKey } = service.info;
    api.logger.info("accounts itest: flushing the log");
    const state = api.accounts.globalState.keys().map((k) => JSON.stringify(api.accounts.globalState.get(k)));
    assert.ok(
      state.some((v) => v.includes(service.info.batchUrl)),
      "the account itself is in globalState",
    );
    assert.ok(!state.some((v) => v.includes(accountKey)), "no key in globalState");
    const settings = vscode.workspace.getConfiguration();
    assert.ok(!JSON.stringify(settings.inspect("batchManager") ?? {}).includes(accountKey));
    const userDir = path.dirname(path.dirname(api.accounts.globalStorageUri.fsPath));
    const logsDir = path.dirname(path.dirname(api.accounts.logUri.fsPath));
    // settings.json, the globalState database (User/globalStorage/state.vscdb*) and every log of this window
    const files = [
      path.join(userDir, "settings.json"),
      ...filesUnder(path.join(userDir, "globalStorage")).filter((f) => /state\.vscdb/.test(f)),
      ...filesUnder(logsDir),
    ];
    assert.ok(
      files.some((f) => f.startsWith(logsDir)),
      `log files found under ${logsDir}`,
    );
    for (const file of files.filter((f) => fs.existsSync(f))) {
      assert.ok(!fs.readFileSync(file).includes(accountKey), `the key leaked into ${file}`);
    }
  });

  test("batchManager.accounts.remove forgets the account and deletes its key", async () => {
    const node = (await accounts()).find((n) => n.contextValue === "account.sharedKey");
    assert.ok(node);
    await vscode.commands.executeCommand(CommandId.accountsRemove, node);
    assert.deepEqual((await accounts()).map(label), ["Local", "Azure"]);
    assert.deepEqual(api.accounts.sharedKey.list(), []);
    assert.equal(await api.accounts.sharedKey.getKey(accountId!), undefined);
    accountId = undefined;
  });

  test("without a Microsoft session, expanding Azure offers to sign in and never prompts", async () => {
    const azure = (await accounts()).find((n) => label(n) === "Azure");
    assert.ok(azure);
    assert.equal(api.treeProvider.getTreeItem(azure).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const children = await Promise.race([
      api.treeProvider.getChildren(azure),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("expanding Azure did not settle within 20 s")), 20_000)),
    ]);
    console.log(`    Azure children: ${JSON.stringify(children.map((n) => [label(n), n.contextValue, n.description]))}`);
    assert.equal(children.length, 1);
    assert.equal(children[0].contextValue, "error.signIn");
    assert.equal(api.treeProvider.getTreeItem(children[0]).command?.command, CommandId.accountsSignIn);
  });
});
