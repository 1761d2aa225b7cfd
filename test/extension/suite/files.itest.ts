// Why: integration tests of task files in the REAL extension host: `batch:` documents, the file items under a task, follow mode.

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId, Setting, TASK_LOG_LANGUAGE } from "../../../src/extension/common/ids";
import { localBatchClient, openExplorer, poll, treeLookup, vm } from "./harness";

const JOB = "files-itest-job";
const fileUri = (task: string, path: string) => vscode.Uri.parse(`batch://local/jobs/${JOB}/tasks/${task}/files/${path}`);

suite("Task files in a real extension host", () => {
  let api: BatchManagerApi;
  let client: BatchServiceClient;
  const { child } = treeLookup(() => api);
  const taskCompleted = (task: string) =>
    poll(async () => ((await client.task.get(JOB, task)).state === "completed" ? true : undefined), `${task} to complete`, 60_000);

  suiteSetup(async () => {
    api = await openExplorer();
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    client = localBatchClient(api);
    await client.pool.add({ id: "files-itest-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1, taskSlotsPerNode: 4 });
    await client.job.add({ id: JOB, poolInfo: { poolId: "files-itest-pool" } });
    await client.task.add(JOB, { id: "hello", commandLine: `/bin/sh -c "echo hello from stdout; echo ERROR oops >&2; echo x > result.txt"` });
    await client.task.add(JOB, { id: "lines", commandLine: `/bin/sh -c "echo aaaa; echo bbbb; echo cccc"` });
    await taskCompleted("hello");
    await taskCompleted("lines");
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.maxOpenBytes, undefined, vscode.ConfigurationTarget.Global);
    // later suites share the service's data folder: leave no job or pool behind
    await client?.job.deleteMethod(JOB).catch(() => undefined);
    await client?.pool.deleteMethod("files-itest-pool").catch(() => undefined);
    await vscode.commands.executeCommand(CommandId.localStop);
  });

  test("a task's stdout opens through its batch: URI, read-only, as a task log", async () => {
    const document = await vscode.workspace.openTextDocument(fileUri("hello", "stdout.txt"));
    assert.equal(document.getText(), "hello from stdout\n");
    const shown = await vscode.commands.executeCommand<string>(CommandId.filesOpen, fileUri("hello", "stderr.txt").toString());
    assert.equal(shown, fileUri("hello", "stderr.txt").toString());
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), shown);
    assert.equal(editor.document.getText(), "ERROR oops\n");
    assert.equal(editor.document.languageId, TASK_LOG_LANGUAGE);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(fileUri("hello", "stdout.txt"), new Uint8Array([1]))));
    const stat = await vscode.workspace.fs.stat(fileUri("hello", "stdout.txt"));
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(fileUri("hello", "no-such.txt"))),
      (e: unknown) => e instanceof vscode.FileSystemError && e.code === "FileNotFound",
    );
  });

  test("the task directory and its wd/ folder are listed", async () => {
    const root = new Map(await vscode.workspace.fs.readDirectory(fileUri("hello", "").with({ path: `/jobs/${JOB}/tasks/hello/files` })));
    assert.equal(root.get("stdout.txt"), vscode.FileType.File);
    assert.equal(root.get("wd"), vscode.FileType.Directory);
    assert.deepEqual(await vscode.workspace.fs.readDirectory(fileUri("hello", "wd")), [["result.txt", vscode.FileType.File]]);
  });

  test("a file larger than batchManager.files.maxOpenBytes opens at its tail under a banner", async () => {
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.maxOpenBytes, 7, vscode.ConfigurationTarget.Global);
    const document = await vscode.workspace.openTextDocument(fileUri("lines", "stdout.txt"));
    const [banner, ...rest] = document.getText().split("\n");
    assert.match(banner, /^\[Azure Batch\] Truncated: .*batchManager\.files\.maxOpenBytes/);
    assert.deepEqual(rest, ["cccc", ""]);
    await vscode.workspace.getConfiguration(Setting.section).update(Setting.maxOpenBytes, undefined, vscode.ConfigurationTarget.Global);
  });

  test("a task's files appear under it in the explorer and open from there", async () => {
    await vscode.commands.executeCommand(CommandId.refresh);
    const local = await child(await child(undefined, "Accounts"), "Local");
    const task = await child(await child(await child(local, "Jobs"), JOB), "hello");
    assert.equal(api.treeProvider.getTreeItem(task).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const stdout = await child(task, "stdout.txt");
    await child(task, "wd");
    const item = api.treeProvider.getTreeItem(stdout);
    assert.equal(item.command?.command, CommandId.filesOpen);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), fileUri("hello", "stdout.txt").toString());
  });

  test("follow mode appends a running task's output until it completes", async () => {
    await client.task.add(JOB, { id: "slow", commandLine: `/bin/sh -c "for i in 1 2 3 4 5; do echo line $i; sleep 1; done"` });
    const uri = fileUri("slow", "stdout.txt");
    await poll(
      async () => ((await client.file.getPropertiesFromTask(JOB, "slow", "stdout.txt").catch(() => undefined))?.contentLength ? true : undefined),
      "the first line",
    );
    assert.equal(await vscode.commands.executeCommand(CommandId.filesFollow, uri), true);
    assert.equal(api.files.provider.isFollowing(uri), true);
    const document = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const early = document()?.getText() ?? "";
    assert.ok(!early.includes("line 5"), `followed from the start of the run: ${JSON.stringify(early)}`);
    await poll(() => (document()?.getText().includes("line 5") ? true : undefined), "line 5 in the followed document", 30_000);
    assert.equal(document()!.getText(), "line 1\nline 2\nline 3\nline 4\nline 5\n");
    await poll(() => (api.files.provider.isFollowing(uri) ? undefined : true), "following to end once the task completed", 15_000);
  });

  test("follow keeps the end of a growing file in view", async () => {
    const burst = (from: number) => `i=${from}; while [ $i -lt ${from + 100} ]; do echo row $i; i=$((i+1)); done`;
    await client.task.add(JOB, { id: "many", commandLine: `/bin/sh -c "${burst(0)}; sleep 2; ${burst(100)}; sleep 2; ${burst(200)}; sleep 1"` });
    const uri = fileUri("many", "stdout.txt");
    await poll(
      async () => ((await client.file.getPropertiesFromTask(JOB, "many", "stdout.txt").catch(() => undefined))?.contentLength ? true : undefined),
      "the first rows",
    );
    await vscode.commands.executeCommand(CommandId.filesFollow, uri);
    const editor = () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const bottom = () => editor()?.visibleRanges.at(-1)?.end.line ?? -1;
    const shown = await poll(() => (editor()?.document.getText().includes("row 299") ? editor() : undefined), "row 299 in the followed editor", 30_000);
    const lastLine = shown.document.lineCount - 1;
    assert.ok(lastLine >= 300, `${lastLine + 1} lines`);
    // the view scrolls as the rows arrive (the reveal follows the change event)
    await poll(() => (bottom() >= lastLine - 1 ? true : undefined), `the view at the end (line ${lastLine}, shown: up to ${bottom()})`, 5_000);
    assert.ok((shown.visibleRanges[0]?.start.line ?? 0) > 0, "scrolled away from the top");
    await poll(() => (api.files.provider.isFollowing(uri) ? undefined : true), "following to end once the task completed", 15_000);
  });

  test("closing the editor of a followed file stops following", async () => {
    await client.task.add(JOB, { id: "long", commandLine: `/bin/sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do echo tick $i; sleep 1; done"` });
    const uri = fileUri("long", "stdout.txt");
    await poll(
      async () => ((await client.file.getPropertiesFromTask(JOB, "long", "stdout.txt").catch(() => undefined))?.contentLength ? true : undefined),
      "the first tick",
    );
    await vscode.commands.executeCommand(CommandId.filesFollow, uri);
    assert.equal(api.files.provider.isFollowing(uri), true);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await poll(() => (api.files.provider.isFollowing(uri) ? undefined : true), "following to stop", 5_000);
    await vscode.commands.executeCommand(CommandId.filesFollow, uri);
    assert.equal(await vscode.commands.executeCommand(CommandId.filesUnfollow, uri), true);
    assert.equal(api.files.provider.isFollowing(uri), false);
  });
});
