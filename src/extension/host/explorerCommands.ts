// Why: the explorer's job/task actions, copy id, open in portal and open data folder, registered through the CommandRegistry.

import * as vscode from "vscode";
import {
  DISABLE_CHOICES,
  isActionClient,
  jobActions,
  reactivateFailedTasks,
  taskActions,
  type ActionClient,
  type ReactivateAllResult,
} from "../actions/batchActions";
import { jobOf, jobsContainerOf, portalUrlOf, taskOf, treeClientOf, type JobTarget, type TaskTarget } from "../actions/targets";
import type { EditorUi } from "../common/editorUi";
import { UserCancelledError } from "../common/errors";
import { CommandId } from "../common/ids";
import type { ExplorerModel } from "../tree/explorerModel";
import type { TreeNode } from "../tree/treeNode";
import type { CommandRegistry } from "./commands";

export interface ExplorerCommandDeps {
  readonly commands: CommandRegistry;
  readonly model: ExplorerModel;
  readonly ui: () => EditorUi;
  /** the client of the running local service (undefined while it is not running) */
  readonly client: () => ActionClient | undefined;
  /** the local service's data folder */
  readonly dataDir: () => string;
}

export function registerExplorerCommands(deps: ExplorerCommandDeps): void {
  const { commands, model, ui } = deps;
  /** The account of the item (its Jobs container's client); from the palette, the local service. */
  const clientFor = (node?: TreeNode): ActionClient => {
    const fromTree = treeClientOf(node);
    if (isActionClient(fromTree)) return fromTree;
    const local = deps.client();
    if (!local) throw new Error("The local Batch service is not running.");
    return local;
  };
  /** Destructive actions ask first, in a modal dialog. */
  const askConfirm = async (message: string, action: string) => {
    if (!(await ui().confirm(message, { confirmLabel: action }))) throw new UserCancelledError(action);
  };
  const askId = (what: "Job" | "Task") => required(ui().input({ title: `${what} id`, prompt: `The ${what.toLowerCase()}'s id` }));
  const job = async (node?: TreeNode): Promise<JobTarget> => jobOf(node) ?? { jobId: await askId("Job") };
  const task = async (node?: TreeNode): Promise<TaskTarget> => taskOf(node) ?? { jobId: await askId("Job"), taskId: await askId("Task") };
  /** After an action: reload the Jobs branch the item is in (states and counts changed), or everything. */
  const refreshAfter = (node?: TreeNode) => model.refresh(jobsContainerOf(node));
  const run = async (node: TreeNode | undefined, title: string, call: (signal: AbortSignal) => Promise<unknown>) => {
    await ui().progress(title, (signal) => call(signal));
    refreshAfter(node);
  };
  /** A command acting on one job or task: resolve the target, ask first (when `confirm` is given), run it with progress, refresh, return `done`. */
  const targetAction =
    <T>(
      target: (node?: TreeNode) => Promise<T>,
      step: {
        confirm?: [question: (t: T) => string, button: string];
        title: (t: T) => string;
        call: (client: ActionClient, t: T, signal: AbortSignal) => Promise<unknown>;
        done: string;
      },
    ) =>
    async (node?: TreeNode) => {
      const t = await target(node);
      if (step.confirm) await askConfirm(step.confirm[0](t), step.confirm[1]);
      await run(node, step.title(t), (signal) => step.call(clientFor(node), t, signal));
      return step.done;
    };

  commands.registerCommand(
    CommandId.jobTerminate,
    targetAction(job, {
      confirm: [(t) => `Terminate job "${t.jobId}"? Its running tasks are stopped.`, "Terminate"],
      title: (t) => `Terminating job ${t.jobId}`,
      call: jobActions.terminate,
      done: "terminated",
    }),
  );
  commands.registerCommand(
    CommandId.jobDelete,
    targetAction(job, {
      confirm: [(t) => `Delete job "${t.jobId}" and all its tasks?`, "Delete"],
      title: (t) => `Deleting job ${t.jobId}`,
      call: jobActions.delete,
      done: "deleted",
    }),
  );
  commands.registerCommand(CommandId.jobDisable, async (node?: TreeNode) => {
    const target = await job(node);
    const items = DISABLE_CHOICES.map((c) => ({ label: c.value, detail: c.detail, value: c.value }));
    const disableTasks = await required(
      ui().pick(items, { title: `Disable job ${target.jobId}`, placeholder: `Disable job "${target.jobId}": what happens to its running tasks?` }),
    );
    await run(node, `Disabling job ${target.jobId}`, (signal) => jobActions.disable(clientFor(node), target, disableTasks, signal));
    return "disabled";
  });
  commands.registerCommand(CommandId.jobEnable, targetAction(job, { title: (t) => `Enabling job ${t.jobId}`, call: jobActions.enable, done: "enabled" }));
  commands.registerCommand(CommandId.jobReactivateFailed, async (node?: TreeNode): Promise<ReactivateAllResult> => {
    const target = await job(node);
    const result = await ui().progress(`Reactivating the failed tasks of ${target.jobId}`, (signal, report) =>
      reactivateFailedTasks(clientFor(node), target, { signal, onProgress: (done, total) => report(`${done} of ${total}`, total ? 100 / total : undefined) }),
    );
    refreshAfter(node);
    const failed = result.failures.length
      ? `; ${result.failures.length} could not be reactivated (${result.failures[0].taskId}: ${result.failures[0].message})`
      : "";
    void ui().info(`Reactivated ${result.reactivated} of ${result.total} failed task${result.total === 1 ? "" : "s"} of ${target.jobId}${failed}.`);
    return result;
  });

  commands.registerCommand(
    CommandId.taskTerminate,
    targetAction(task, {
      confirm: [(t) => `Terminate task "${t.taskId}" of job "${t.jobId}"?`, "Terminate"],
      title: (t) => `Terminating task ${t.taskId}`,
      call: taskActions.terminate,
      done: "terminated",
    }),
  );
  commands.registerCommand(
    CommandId.taskReactivate,
    targetAction(task, { title: (t) => `Reactivating task ${t.taskId}`, call: taskActions.reactivate, done: "reactivated" }),
  );
  commands.registerCommand(
    CommandId.taskDelete,
    targetAction(task, {
      confirm: [(t) => `Delete task "${t.taskId}" of job "${t.jobId}"?`, "Delete"],
      title: (t) => `Deleting task ${t.taskId}`,
      call: taskActions.delete,
      done: "deleted",
    }),
  );

  commands.registerCommand(CommandId.copyId, async (node?: TreeNode) => {
    // a task's or node's Batch id (a node's label is shortened), else the item's label (pools, jobs)
    const id = taskOf(node)?.taskId ?? jobOf(node)?.jobId ?? (node as { itemId?: string } | undefined)?.itemId ?? node?.label;
    if (!id) return undefined;
    await vscode.env.clipboard.writeText(id);
    return id;
  });
  // Only Azure accounts have a portal page (the account's); the menus hide this for local and shared-key items.
  commands.registerCommand(CommandId.openInPortal, async (node?: TreeNode) => {
    const url = portalUrlOf(node);
    if (!url) return void ui().info("Open in Azure Portal is available for items of Azure Batch accounts only.");
    await ui().openExternal(url);
    return url;
  });
  commands.registerCommand(CommandId.localOpenDataFolder, async () => {
    const folder = deps.dataDir();
    await ui().revealInOs(folder);
    return folder;
  });
}

async function required<T>(value: Promise<T | undefined> | T | undefined): Promise<T> {
  const resolved = await value;
  if (resolved === undefined || resolved === "") throw new UserCancelledError();
  return resolved;
}
