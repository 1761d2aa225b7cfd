// Why: Create Pool/Job/Task (forms of prompt steps), Create from JSON (validated with the generated schemas before sending) and Clone (a copy's definition as a new JSON document).

import * as vscode from "vscode";
import { runWorkflow, type Workflow } from "../../core/wizard/wizard";
import { CommandId } from "../common/ids";
import {
  jobAddParameter,
  jobFormSteps,
  type JobForm,
  poolAddParameter,
  poolFormSteps,
  type PoolForm,
  taskAddParameter,
  taskFormSteps,
  type TaskForm,
} from "../manage/createForms";
import { cloneDefinition, definitionText, freshId, toClientNames } from "../manage/definitionClone";
import { DEFINITIONS, definitionFileName, type DefinitionKind, kindOfFileName } from "../manage/definitionKinds";
import { describeProblems, validateDefinition } from "../manage/definitionValidation";
import type { ManageClient } from "../manage/manageClient";
import { ancestorWith, jobIdOf, poolRefOf, taskRefOf } from "../manage/manageTargets";
import { checkId } from "../manage/formInputs";
import type { TreeNode } from "../tree/treeNode";
import type { ManageContext } from "./manageContext";

const LABEL: Record<DefinitionKind, string> = { pool: "pool", job: "job", task: "task", startTask: "start task" };

/** The branch a new item appears in: the account's Pools or Jobs, the job of a task; undefined (everything) from the palette. */
function branchOf(kind: DefinitionKind, node: TreeNode | undefined): TreeNode | undefined {
  if (kind === "task") return node && jobIdOf(node) ? (taskRefOf(node) ? node.parent : node) : undefined;
  const container = ancestorWith(node, kind === "pool" ? "pools" : "jobs");
  if (container) return container;
  // from an account item: its Pools/Jobs child is found by the refresh of the account
  return node?.contextValue.startsWith("account.") ? node : undefined;
}

/** Adds one pool, job or task: the add parameter in REST names, sent in the SDK's names. */
function add(kind: DefinitionKind, client: ManageClient, value: Record<string, unknown>, jobId: string | undefined, signal: AbortSignal): Promise<unknown> {
  const parameter = toClientNames(value) as object;
  if (kind === "pool") return client.pool.add(parameter, { abortSignal: signal });
  if (kind === "job") return client.job.add(parameter, { abortSignal: signal });
  return client.task.add(jobId!, parameter, { abortSignal: signal });
}

export function registerManageCreateCommands(context: ManageContext): void {
  const { commands, ui, documents } = context;

  /** Prompts first (nothing sent yet), then the add with progress, then the branch refreshed. */
  const createFromForm = async <C>(
    kind: DefinitionKind,
    node: TreeNode | undefined,
    form: C,
    steps: Workflow<C>["prompts"],
    parameter: (form: C) => Record<string, unknown>,
    jobId?: string,
  ) => {
    const client = await context.clientFor(node);
    const never = new AbortController().signal;
    await runWorkflow({ prompts: steps, executes: [] }, form, ui(), { report: () => undefined }, never);
    const value = parameter(form);
    await ui().progress(`Creating ${LABEL[kind]} ${String(value.id)}`, (signal, report) =>
      runWorkflow(
        {
          prompts: [],
          executes: [{ title: `Adding ${LABEL[kind]} ${String(value.id)}`, execute: (_c, _p, s) => add(kind, client, value, jobId, s).then(() => undefined) }],
        },
        form,
        ui(),
        { report },
        signal,
      ),
    );
    context.model.refresh(branchOf(kind, node));
    return String(value.id);
  };

  commands.registerCommand(CommandId.poolCreate, (node?: TreeNode) =>
    createFromForm<PoolForm>("pool", node, {}, poolFormSteps, (form) => poolAddParameter(form as Required<PoolForm>)),
  );
  commands.registerCommand(CommandId.jobCreate, async (node?: TreeNode) => {
    const client = await context.clientFor(node);
    const given = poolRefOf(node)?.poolId;
    const pools = given
      ? []
      : await ui().progress("Listing pools", async (signal) =>
          (await client.pool.list({ poolListOptions: { select: "id" }, abortSignal: signal })).flatMap((p) => (p.id ? [p.id] : [])),
        );
    return createFromForm<JobForm>("job", node, { poolId: given, pools }, jobFormSteps, jobAddParameter);
  });
  commands.registerCommand(CommandId.taskCreate, async (node?: TreeNode) => {
    const jobId =
      jobIdOf(node) ??
      (await context.required(
        ui().input({ title: "Create Task: job", prompt: "The id of the job the task is added to", validate: (v) => checkId("Job id", v) }),
      ));
    return createFromForm<TaskForm>("task", node, { jobId }, taskFormSteps, taskAddParameter, jobId);
  });

  commands.registerCommand(CommandId.createFromJson, async (arg?: unknown) => {
    const document = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
    if (!document) throw new Error("Open a pool, job or task JSON file first (*.pool.json, *.job.json, *.task.json).");
    const managed = documents.get(document.uri.toString());
    let kind = managed?.kind ?? kindOfFileName(document.fileName);
    if (kind === "startTask") throw new Error("This is a start task: use Apply Start Task to Pool on it.");
    if (!kind) {
      const items = (["pool", "job", "task"] as const).map((k) => ({ label: LABEL[k], detail: DEFINITIONS[k].definition, value: k }));
      kind = await context.required(
        ui().pick(items, {
          title: "Create from JSON",
          placeholder: `What does ${document.fileName} define? (name files *.pool.json, *.job.json or *.task.json to skip this)`,
        }),
      );
    }
    const { value, problems } = validateDefinition(kind, document.getText());
    if (!value) throw new Error(describeProblems(`${DEFINITIONS[kind].definition} in ${vscode.workspace.asRelativePath(document.uri)}`, problems));
    const jobId =
      kind === "task"
        ? (managed?.parentId ??
          (await context.required(
            ui().input({ title: "Create Task: job", prompt: "The id of the job the task is added to", validate: (v) => checkId("Job id", v) }),
          )))
        : undefined;
    const client = managed?.client ?? (await context.clientFor(undefined));
    await context.run(`Creating ${LABEL[kind]} ${String(value.id)}`, managed?.refresh, (c, signal) => add(kind, c, value, jobId, signal), client);
    return String(value.id);
  });

  /** Opens the copy's definition as an untitled `<id>.<kind>.json` (so the schema applies), remembered for Create from JSON. */
  const clone = (kind: "pool" | "job" | "task") => async (node?: TreeNode) => {
    const client = await context.clientFor(node);
    const ids = kind === "task" ? taskRefOf(node) : undefined;
    const id = kind === "pool" ? poolRefOf(node)?.poolId : kind === "job" ? jobIdOf(node) : ids?.taskId;
    if (!id) throw new Error(`Clone works on a ${kind} item of the Batch explorer.`);
    const entity = await ui().progress(`Reading ${kind} ${id}`, (signal) =>
      kind === "pool"
        ? client.pool.get(id, { abortSignal: signal })
        : kind === "job"
          ? client.job.get(id, { abortSignal: signal })
          : client.task.get(ids!.jobId, id, { abortSignal: signal }),
    );
    const copyId = freshId(id);
    const text = definitionText({ ...cloneDefinition(kind, entity, copyId) });
    const uri = vscode.Uri.from({ scheme: "untitled", path: definitionFileName(kind, copyId) });
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(document, { preview: false });
    const refresh = kind === "task" ? node?.parent : ancestorWith(node, kind === "pool" ? "pools" : "jobs");
    documents.set(uri.toString(), { kind, client, parentId: ids?.jobId, refresh });
    return uri.toString();
  };
  commands.registerCommand(CommandId.poolClone, clone("pool"));
  commands.registerCommand(CommandId.jobClone, clone("job"));
  commands.registerCommand(CommandId.taskClone, clone("task"));
}
