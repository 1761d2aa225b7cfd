// Why: Create and manage in the REAL extension host against the real local service: forms, Create from JSON (errors named by path), Clone, pool resize/autoscale/delete/start task, node scheduling, reboot and remove.

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import { CommandId } from "../../../src/extension/common/ids";
import type { BatchManagerApi } from "../../../src/extension/extension";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { localBatchClient, openExplorer, poll, scriptedUi, treeLookup } from "./harness";

const POOL = "m-pool";
const JOB = "m-job";

suite("Create and manage pools, jobs, tasks and nodes in a real extension host", () => {
  let api: BatchManagerApi;
  let client: BatchServiceClient;
  let original: EditorUi;
  const errors: string[] = [];
  const progressTitles: string[] = [];
  const { child } = treeLookup(() => api);
  const account = async () => child(await child(undefined, "Accounts"), "Local");
  const poolsNode = async () => child(await account(), "Pools");
  const jobsNode = async () => child(await account(), "Jobs");
  const poolNode = async (id = POOL) => child(await poolsNode(), id);
  const computeNodes = async (id = POOL) => (await api.treeProvider.getChildren(await poolNode(id))).filter((n) => n.contextValue === "computeNode");
  /** runs a command with scripted answers; errors and progress titles are recorded, prompts fail when unanswered */
  const run = async <T>(command: string, answers: Parameters<typeof scriptedUi>[1], ...args: unknown[]): Promise<T | undefined> => {
    api.ui.current = scriptedUi(original, answers, {
      error: async (message: string) => void errors.push(message),
      progress: (title, body, options) => {
        progressTitles.push(title);
        return original.progress(title, body, options);
      },
    });
    try {
      return await vscode.commands.executeCommand<T>(command, ...args);
    } finally {
      api.ui.current = original;
    }
  };
  const untitled = async (name: string, text: string) => {
    const uri = vscode.Uri.from({ scheme: "untitled", path: name });
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await vscode.window.showTextDocument(document);
    return uri;
  };
  const idleNodes = (count: number, poolId = POOL) =>
    poll(
      async () => {
        const nodes = await client.computeNode.list(poolId);
        return nodes.length === count && nodes.every((n) => n.state === "idle") ? [...nodes] : undefined;
      },
      `${count} idle node(s) in ${poolId}`,
      60_000,
    );

  suiteSetup(async () => {
    api = await openExplorer();
    original = api.ui.current;
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    client = localBatchClient(api);
  });

  setup(() => {
    errors.length = 0;
    progressTitles.length = 0;
  });

  suiteTeardown(async () => {
    api.ui.current = original;
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    for (const id of [JOB, "m-json-job"]) await client?.job.deleteMethod(id).catch(() => undefined);
    for (const id of [POOL, `${POOL}-copy`]) await client?.pool.deleteMethod(id).catch(() => undefined);
    await vscode.commands.executeCommand(CommandId.localStop);
  });

  test("Create Pool, Job and Task from their forms: each prompt answered, the service has them, the tree shows them", async () => {
    const poolId = await run<string>(CommandId.poolCreate, { inputs: [POOL, "1", "2"], picks: ["standard_d2s_v3", "Ubuntu 22.04"] }, await poolsNode());
    assert.equal(poolId, POOL, errors.join("; "));
    const pool = await client.pool.get(POOL);
    assert.deepEqual([pool.vmSize, pool.targetDedicatedNodes, pool.taskSlotsPerNode], ["standard_d2s_v3", 1, 2]);
    assert.ok(progressTitles.includes(`Creating pool ${POOL}`), progressTitles.join());
    await poolNode();

    assert.equal(await run<string>(CommandId.jobCreate, { inputs: [JOB] }, await poolNode()), JOB, errors.join("; "));
    assert.equal((await client.job.get(JOB)).poolInfo?.poolId, POOL);
    const job = await child(await jobsNode(), JOB);

    assert.equal(await run<string>(CommandId.taskCreate, { inputs: ["hello", "/bin/sh -c 'echo hello'"] }, job), "hello", errors.join("; "));
    await poll(async () => ((await client.task.get(JOB, "hello")).state === "completed" ? true : undefined), "the form's task to complete", 60_000);
    await child(await child(await jobsNode(), JOB), "hello");
  });

  test("Create from JSON refuses a definition with errors naming each JSON path, sends nothing; a valid one is created; service errors shown plainly", async () => {
    const bad = await untitled("m-json-job.job.json", JSON.stringify({ id: "m-json-job", priority: "high", poolInfo: { pool: POOL } }, null, 2));
    assert.equal(await run(CommandId.createFromJson, {}, bad), undefined);
    assert.equal(errors.length, 1, errors.join("; "));
    assert.match(errors[0], /JobAddParameter/);
    assert.match(errors[0], /priority must be integer/);
    assert.match(errors[0], /poolInfo\.pool is not a property/);
    await assert.rejects(client.job.get("m-json-job"), { statusCode: 404 });

    errors.length = 0;
    const good = await untitled(
      "m-json-job.job.json",
      JSON.stringify({ $schema: "./job-add.schema.json", id: "m-json-job", priority: 7, poolInfo: { poolId: POOL } }),
    );
    assert.equal(await run<string>(CommandId.createFromJson, {}, good), "m-json-job", errors.join("; "));
    assert.equal((await client.job.get("m-json-job")).priority, 7);

    assert.equal(await run(CommandId.createFromJson, {}, good), undefined);
    assert.deepEqual(errors, ["The specified job already exists."]);
  });

  test("a *.pool.json document is checked against the contributed schema as it is typed (VS Code's JSON language features)", async () => {
    const uri = await untitled(
      "typed.pool.json",
      JSON.stringify({ id: "typed", vmSize: "standard_d2s_v3", targetDedicatedNodes: "two", colour: "red" }, null, 2),
    );
    const diagnostics = await poll(() => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.length >= 2 ? found : undefined;
    }, "schema diagnostics of typed.pool.json");
    const document = await vscode.workspace.openTextDocument(uri);
    const flagged = diagnostics.map((d) => document.getText(d.range)).sort();
    assert.ok(flagged.includes('"colour"'), flagged.join());
    assert.ok(flagged.includes('"two"'), flagged.join());
  });

  test("Clone opens a pool's and a task's definition as new JSON documents with fresh ids; Create from JSON makes the copies", async () => {
    const poolDoc = await run<string>(CommandId.poolClone, {}, await poolNode());
    assert.ok(poolDoc, errors.join("; "));
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === poolDoc)!;
    assert.match(document.fileName, /m-pool-copy\.pool\.json$/);
    const definition = JSON.parse(document.getText());
    assert.equal(definition.id, `${POOL}-copy`);
    assert.equal(definition.taskSlotsPerNode, 2);
    assert.equal(definition.state, undefined);
    assert.equal(await run<string>(CommandId.createFromJson, {}, vscode.Uri.parse(poolDoc)), `${POOL}-copy`, errors.join("; "));
    assert.equal((await client.pool.get(`${POOL}-copy`)).taskSlotsPerNode, 2);

    const task = await child(await child(await jobsNode(), JOB), "hello");
    const taskDoc = await run<string>(CommandId.taskClone, {}, task);
    assert.ok(taskDoc, errors.join("; "));
    assert.equal(await run<string>(CommandId.createFromJson, {}, vscode.Uri.parse(taskDoc)), "hello-copy", errors.join("; "));
    assert.equal((await client.task.get(JOB, "hello-copy")).commandLine, "/bin/sh -c 'echo hello'");
  });

  test("Delete Pool asks first: declined, nothing happens; confirmed, the pool goes", async () => {
    const copy = await poolNode(`${POOL}-copy`);
    assert.equal(await run(CommandId.poolDelete, { confirms: [false] }, copy), undefined);
    assert.equal((await client.pool.get(`${POOL}-copy`)).state, "active");
    assert.equal(await run<string>(CommandId.poolDelete, { confirms: [true] }, copy), "deleted", errors.join("; "));
    await poll(async () => ((await client.pool.exists(`${POOL}-copy`)).body ? undefined : true), "the copy deleted", 60_000);
  });

  test("Resize, Enable and Disable Autoscale change the pool", async () => {
    await idleNodes(1);
    assert.deepEqual(
      await run(CommandId.poolResize, { inputs: ["2", "0"] }, await poolNode()),
      { targetDedicatedNodes: 2, targetLowPriorityNodes: 0 },
      errors.join("; "),
    );
    assert.equal((await client.pool.get(POOL)).targetDedicatedNodes, 2);
    await idleNodes(2);

    const enabled = await run(CommandId.poolEnableAutoscale, { inputs: ["$TargetDedicatedNodes = 2;", "PT5M"] }, await poolNode());
    assert.deepEqual(enabled, { autoScaleFormula: "$TargetDedicatedNodes = 2;", autoScaleEvaluationInterval: "PT5M" }, errors.join("; "));
    let pool = await client.pool.get(POOL);
    assert.equal(pool.enableAutoScale, true);
    assert.equal(pool.autoScaleFormula, "$TargetDedicatedNodes = 2;");
    assert.equal(await run(CommandId.poolResize, {}, await poolNode()), undefined);
    assert.match(errors[0] ?? "", /disable autoscale first/);

    assert.equal(await run<string>(CommandId.poolDisableAutoscale, {}, await poolNode()), "disabled");
    pool = await client.pool.get(POOL);
    assert.equal(pool.enableAutoScale, false);
    await poll(async () => ((await client.pool.get(POOL)).allocationState === "steady" ? true : undefined), "the pool steady");
  });

  test("node actions: disable and enable scheduling, edit the start task then reboot (the start task runs, its logs open), remove from the pool", async () => {
    const [first] = await idleNodes(2);
    const nodeItem = async (nodeId: string): Promise<TreeNode> =>
      poll(async () => (await computeNodes()).find((n) => (n as { itemId?: string }).itemId === nodeId), `node ${nodeId} in the tree`);

    assert.equal(await run<string>(CommandId.nodeDisableScheduling, { picks: ["requeue"] }, await nodeItem(first.id!)), "disabled", errors.join("; "));
    assert.equal((await client.computeNode.get(POOL, first.id!)).schedulingState, "disabled");
    assert.equal(await run<string>(CommandId.nodeEnableScheduling, {}, await nodeItem(first.id!)), "enabled");
    assert.equal((await client.computeNode.get(POOL, first.id!)).schedulingState, "enabled");

    const startTaskDoc = await run<string>(CommandId.poolEditStartTask, {}, await poolNode());
    assert.ok(startTaskDoc?.endsWith(".starttask.json"), startTaskDoc);
    assert.equal(await run<string>(CommandId.poolApplyStartTask, {}, vscode.Uri.parse(startTaskDoc!)), POOL, errors.join("; "));
    assert.equal((await client.pool.get(POOL)).startTask?.commandLine, "/bin/sh -c 'echo node ready'");

    assert.equal(await run(CommandId.nodeReboot, { confirms: [false] }, await nodeItem(first.id!)), undefined);
    assert.equal((await client.computeNode.get(POOL, first.id!)).startTaskInfo, undefined, "declined: not rebooted");
    assert.equal(await run<string>(CommandId.nodeReboot, { confirms: [true] }, await nodeItem(first.id!)), "rebooting", errors.join("; "));
    await poll(async () => {
      const node = await client.computeNode.get(POOL, first.id!);
      return node.state === "idle" && node.startTaskInfo?.result === "success" ? true : undefined;
    }, "the rebooted node idle after its new start task");
    const logs = await run<string[]>(CommandId.nodeOpenStartTaskLogs, {}, await nodeItem(first.id!));
    assert.ok(logs?.[0]?.endsWith("/startup/stdout.txt"), `${logs} ${errors.join("; ")}`);
    const stdout = vscode.workspace.textDocuments.find((d) => d.uri.toString() === logs![0])!;
    assert.match(stdout.getText(), /node ready/);

    assert.equal(await run<string>(CommandId.nodeRemove, { confirms: [true] }, await nodeItem(first.id!)), "removed", errors.join("; "));
    assert.equal((await client.pool.get(POOL)).targetDedicatedNodes, 1);
    await poll(async () => {
      const nodes = await client.computeNode.list(POOL);
      return nodes.length === 1 && nodes[0].id !== first.id ? true : undefined;
    }, "the removed node gone");
    await poll(
      async () => ((await computeNodes()).some((n) => (n as { itemId?: string }).itemId === first.id) ? undefined : true),
      "the tree without the removed node",
    );
  });
});
