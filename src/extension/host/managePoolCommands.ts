// Why: pool actions (resize, delete, autoscale on/off, edit and apply the start task) and node actions (reboot, reimage, remove, scheduling, start task logs) on explorer items.

import * as vscode from "vscode";
import { DEFAULT_FORMULA } from "../autoscale/formulaTemplate";
import { AUTOSCALE_LANGUAGE, CommandId } from "../common/ids";
import { formatBatchUri, LOCAL_AUTHORITY } from "../files/batchUri";
import { definitionText } from "../manage/definitionClone";
import { definitionFileName, kindOfFileName } from "../manage/definitionKinds";
import { describeProblems, validateDefinition } from "../manage/definitionValidation";
import { checkId, checkInterval, checkWhole, toWhole } from "../manage/formInputs";
import { ancestorWith, isLocalItem, type NodeRef, nodeRefOf, type PoolRef, poolRefOf } from "../manage/manageTargets";
import type { TreeNode } from "../tree/treeNode";
import type { ManageContext } from "./manageContext";

/** A start task to begin from when a pool has none. */
const START_TASK_TEMPLATE = {
  commandLine: "/bin/sh -c 'echo node ready'",
  waitForSuccess: true,
  userIdentity: { autoUser: { scope: "pool", elevationLevel: "nonadmin" } },
};

/** The formula as one line for an input box: comments dropped, statements kept. */
export const oneLineFormula = (formula: string): string =>
  formula
    .split("\n")
    .map((line) => line.replace(/\/\/.*$/, "").trim())
    .filter(Boolean)
    .join(" ");

const NODE_DISABLE_CHOICES = [
  { value: "requeue", detail: "stop its running tasks and requeue them; they run on other nodes" },
  { value: "terminate", detail: "stop its running tasks; they complete with a failure" },
  { value: "taskcompletion", detail: "let its running tasks finish; give it no new ones" },
] as const;

export function registerManagePoolCommands(context: ManageContext): void {
  const { commands, ui, documents } = context;
  const askId = (title: string, field: string) =>
    context.required(ui().input({ title, prompt: `The ${field.toLowerCase()}`, validate: (v) => checkId(field, v) }));
  const pool = async (node: TreeNode | undefined, title: string): Promise<PoolRef> => poolRefOf(node) ?? { poolId: await askId(title, "Pool id") };
  const computeNode = async (node: TreeNode | undefined, title: string): Promise<NodeRef> =>
    nodeRefOf(node) ?? { poolId: await askId(title, "Pool id"), nodeId: await askId(title, "Node id") };
  /** pool actions change the Pools branch; node actions the node's pool */
  const poolsBranch = (node?: TreeNode) => ancestorWith(node, "pools");
  const poolBranch = (node?: TreeNode) => ancestorWith(node, "pool");

  commands.registerCommand(CommandId.poolResize, async (node?: TreeNode) => {
    const { poolId } = await pool(node, "Resize Pool");
    const client = await context.clientFor(node);
    const current = await ui().progress(`Reading pool ${poolId}`, (signal) => client.pool.get(poolId, { abortSignal: signal }));
    if (current.enableAutoScale) throw new Error(`Pool ${poolId} sizes itself by autoscale: disable autoscale first, then resize it.`);
    const dedicated = await context.required(
      ui().input({
        title: `Resize ${poolId}: dedicated nodes`,
        prompt: "Target dedicated nodes",
        value: String(current.targetDedicatedNodes ?? 0),
        validate: (v) => checkWhole("Dedicated nodes", v, 0, 1000),
      }),
    );
    const lowPriority = await context.required(
      ui().input({
        title: `Resize ${poolId}: Spot/low-priority nodes`,
        prompt: "Target Spot/low-priority nodes",
        value: String(current.targetLowPriorityNodes ?? 0),
        validate: (v) => checkWhole("Spot/low-priority nodes", v, 0, 1000),
      }),
    );
    const targets = { targetDedicatedNodes: toWhole(dedicated), targetLowPriorityNodes: toWhole(lowPriority) };
    await context.run(`Resizing pool ${poolId}`, poolsBranch(node), (c, signal) => c.pool.resize(poolId, targets, { abortSignal: signal }), client);
    return targets;
  });

  commands.registerCommand(CommandId.poolDelete, async (node?: TreeNode) => {
    const { poolId } = await pool(node, "Delete Pool");
    await context.confirm(`Delete pool "${poolId}"? Its nodes go away and the tasks running on them are stopped.`, "Delete");
    const client = await context.clientFor(node);
    await context.run(`Deleting pool ${poolId}`, poolsBranch(node), (c, signal) => c.pool.deleteMethod(poolId, { abortSignal: signal }), client);
    return "deleted";
  });

  commands.registerCommand(CommandId.poolEnableAutoscale, async (node?: TreeNode) => {
    const { poolId } = await pool(node, "Enable Autoscale");
    const client = await context.clientFor(node);
    const current = await ui().progress(`Reading pool ${poolId}`, (signal) => client.pool.get(poolId, { abortSignal: signal }));
    // the formula of an open formula editor, else the pool's, else the template (one line: it is edited in an input box)
    const editor = vscode.window.activeTextEditor?.document;
    const start = editor?.languageId === AUTOSCALE_LANGUAGE ? editor.getText() : (current.autoScaleFormula ?? DEFAULT_FORMULA);
    const formula = await context.required(
      ui().input({
        title: `Enable autoscale on ${poolId}: formula`,
        prompt: "The autoscale formula (Edit Autoscale Formula opens a full editor)",
        value: oneLineFormula(start),
        validate: (v) => (v.trim() ? undefined : "Formula: type a formula, e.g. $TargetDedicatedNodes = 1;"),
      }),
    );
    const interval = await context.required(
      ui().input({
        title: `Enable autoscale on ${poolId}: evaluation interval`,
        prompt: "How often the formula is evaluated (ISO 8601, 5 minutes at least)",
        value: current.autoScaleEvaluationInterval ?? "PT5M",
        validate: (v) => checkInterval("Evaluation interval", v),
      }),
    );
    const parameter = { autoScaleFormula: formula, autoScaleEvaluationInterval: interval.trim().toUpperCase() };
    await context.run(
      `Enabling autoscale on pool ${poolId}`,
      poolsBranch(node),
      (c, signal) => c.pool.enableAutoScale(poolId, parameter, { abortSignal: signal }),
      client,
    );
    return parameter;
  });

  commands.registerCommand(CommandId.poolDisableAutoscale, async (node?: TreeNode) => {
    const { poolId } = await pool(node, "Disable Autoscale");
    const client = await context.clientFor(node);
    await context.run(
      `Disabling autoscale on pool ${poolId}`,
      poolsBranch(node),
      (c, signal) => c.pool.disableAutoScale(poolId, { abortSignal: signal }),
      client,
    );
    return "disabled";
  });

  commands.registerCommand(CommandId.poolEditStartTask, async (node?: TreeNode) => {
    const { poolId } = await pool(node, "Edit Start Task");
    const client = await context.clientFor(node);
    const current = await ui().progress(`Reading pool ${poolId}`, (signal) => client.pool.get(poolId, { abortSignal: signal }));
    const uri = vscode.Uri.from({ scheme: "untitled", path: definitionFileName("startTask", poolId) });
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), definitionText(current.startTask ?? START_TASK_TEMPLATE));
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(document, { preview: false });
    documents.set(uri.toString(), { kind: "startTask", client, parentId: poolId, refresh: poolsBranch(node) });
    return uri.toString();
  });

  commands.registerCommand(CommandId.poolApplyStartTask, async (arg?: unknown) => {
    const document = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
    const managed = document ? documents.get(document.uri.toString()) : undefined;
    if (!document || (managed?.kind !== "startTask" && kindOfFileName(document.fileName) !== "startTask")) {
      throw new Error("Open a start task (Edit Start Task on a pool, or a *.starttask.json file) first.");
    }
    const { value, problems } = validateDefinition("startTask", document.getText());
    if (!value) throw new Error(describeProblems("StartTask", problems));
    const poolId = managed?.parentId ?? (await askId("Apply Start Task", "Pool id"));
    const client = managed?.client ?? (await context.clientFor(undefined));
    await context.run(
      `Updating the start task of pool ${poolId}`,
      managed?.refresh,
      (c, signal) => c.pool.patch(poolId, { startTask: value }, { abortSignal: signal }),
      client,
    );
    void ui().info(`Pool ${poolId} has the new start task: nodes run it when they join the pool, reboot or are reimaged.`);
    return poolId;
  });

  const restart = (verb: "Reboot" | "Reimage") => async (node?: TreeNode) => {
    const target = await computeNode(node, `${verb} Node`);
    const wipes = verb === "Reimage" ? " Its task and shared folders are wiped." : "";
    await context.confirm(
      `${verb} node ${target.nodeId} of pool ${target.poolId}? Its running tasks are requeued and its start task runs again.${wipes}`,
      verb,
    );
    const client = await context.clientFor(node);
    await context.run(
      `${verb === "Reboot" ? "Rebooting" : "Reimaging"} node ${target.nodeId}`,
      poolBranch(node),
      (c, signal) =>
        verb === "Reboot"
          ? c.computeNode.reboot(target.poolId, target.nodeId, { nodeRebootOption: "requeue", abortSignal: signal })
          : c.computeNode.reimage(target.poolId, target.nodeId, { nodeReimageOption: "requeue", abortSignal: signal }),
      client,
    );
    return verb === "Reboot" ? "rebooting" : "reimaging";
  };
  commands.registerCommand(CommandId.nodeReboot, restart("Reboot"));
  commands.registerCommand(CommandId.nodeReimage, restart("Reimage"));

  commands.registerCommand(CommandId.nodeRemove, async (node?: TreeNode) => {
    const target = await computeNode(node, "Remove Node");
    await context.confirm(`Remove node ${target.nodeId} from pool ${target.poolId}? The pool shrinks by one node; its running tasks are requeued.`, "Remove");
    const client = await context.clientFor(node);
    await context.run(
      `Removing node ${target.nodeId}`,
      poolsBranch(node),
      (c, signal) => c.pool.removeNodes(target.poolId, { nodeList: [target.nodeId], nodeDeallocationOption: "requeue" }, { abortSignal: signal }),
      client,
    );
    return "removed";
  });

  commands.registerCommand(CommandId.nodeDisableScheduling, async (node?: TreeNode) => {
    const target = await computeNode(node, "Disable Scheduling");
    const items = NODE_DISABLE_CHOICES.map((c) => ({ label: c.value, detail: c.detail, value: c.value }));
    const option = await context.required(
      ui().pick(items, { title: `Disable scheduling on ${target.nodeId}`, placeholder: "What happens to the node's running tasks?" }),
    );
    const client = await context.clientFor(node);
    await context.run(
      `Disabling scheduling on node ${target.nodeId}`,
      poolBranch(node),
      (c, signal) => c.computeNode.disableScheduling(target.poolId, target.nodeId, { nodeDisableSchedulingOption: option, abortSignal: signal }),
      client,
    );
    return "disabled";
  });

  commands.registerCommand(CommandId.nodeEnableScheduling, async (node?: TreeNode) => {
    const target = await computeNode(node, "Enable Scheduling");
    const client = await context.clientFor(node);
    await context.run(
      `Enabling scheduling on node ${target.nodeId}`,
      poolBranch(node),
      (c, signal) => c.computeNode.enableScheduling(target.poolId, target.nodeId, { abortSignal: signal }),
      client,
    );
    return "enabled";
  });

  commands.registerCommand(CommandId.nodeOpenStartTaskLogs, async (node?: TreeNode) => {
    const target = await computeNode(node, "Open Start Task Logs");
    if (node && !isLocalItem(node)) throw new Error("Start task logs open for nodes of the Local account only (other accounts have no batch: files yet).");
    const uris = ["startup/stdout.txt", "startup/stderr.txt"].map((path) =>
      vscode.Uri.parse(formatBatchUri({ account: LOCAL_AUTHORITY, owner: { kind: "node", poolId: target.poolId, nodeId: target.nodeId }, path })),
    );
    const opened: string[] = [];
    for (const uri of uris) {
      try {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false, preserveFocus: opened.length > 0 });
        opened.push(uri.toString());
      } catch {
        // stderr.txt is only there once the start task wrote to it
      }
    }
    if (opened.length === 0) throw new Error(`Node ${target.nodeId} has no start task output: its pool has no start task, or it has not run yet.`);
    return opened;
  });
}
