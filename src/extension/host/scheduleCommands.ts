// Why: enable / disable / terminate a job schedule from the explorer: through the command wrapper, confirmations through the UI seam, with progress.

import { isScheduleActionClient, scheduleActions, type ScheduleActionClient } from "../actions/batchActions";
import { scheduleOf, treeClientOf, type ScheduleTarget } from "../actions/targets";
import type { EditorUi } from "../common/editorUi";
import { UserCancelledError } from "../common/errors";
import { CommandId } from "../common/ids";
import type { ExplorerModel } from "../tree/explorerModel";
import { SCHEDULES_CONTEXT } from "../tree/scheduleNodes";
import type { TreeNode } from "../tree/treeNode";
import type { CommandRegistry } from "./commands";

export interface ScheduleCommandDeps {
  readonly commands: CommandRegistry;
  readonly model: ExplorerModel;
  readonly ui: () => EditorUi;
  /** the client of the running local service (undefined while it is not running): the palette's account */
  readonly client: () => unknown;
}

interface ScheduleStep {
  /** a question and its button: asked first, in a modal dialog */
  readonly confirm?: [question: (t: ScheduleTarget) => string, button: string];
  readonly title: (t: ScheduleTarget) => string;
  readonly call: (client: ScheduleActionClient, t: ScheduleTarget, signal: AbortSignal) => Promise<unknown>;
  readonly done: string;
}

export function registerScheduleCommands(deps: ScheduleCommandDeps): void {
  const { commands, model, ui } = deps;
  const clientFor = (node?: TreeNode): ScheduleActionClient => {
    const client = treeClientOf(node) ?? deps.client();
    if (!isScheduleActionClient(client)) throw new Error("The local Batch service is not running.");
    return client;
  };
  const target = async (node?: TreeNode): Promise<ScheduleTarget> => {
    const fromTree = scheduleOf(node);
    if (fromTree) return fromTree;
    const id = await ui().input({ title: "Job schedule id", prompt: "The job schedule's id" });
    if (!id) throw new UserCancelledError("job schedule id");
    return { jobScheduleId: id };
  };
  /** After an action: the Job Schedules branch the item is in (its state changed), else everything. */
  const refreshAfter = (node?: TreeNode) => {
    let container: TreeNode | undefined = node;
    while (container && container.contextValue !== SCHEDULES_CONTEXT) container = container.parent;
    model.refresh(container);
  };
  const action = (step: ScheduleStep) => async (node?: TreeNode) => {
    const t = await target(node);
    if (step.confirm && !(await ui().confirm(step.confirm[0](t), { confirmLabel: step.confirm[1] }))) throw new UserCancelledError(step.confirm[1]);
    const client = clientFor(node);
    await ui().progress(step.title(t), (signal) => step.call(client, t, signal));
    refreshAfter(node);
    return step.done;
  };

  commands.registerCommand(
    CommandId.scheduleDisable,
    action({
      confirm: [(t) => `Disable job schedule "${t.jobScheduleId}"? It creates no jobs until it is enabled; its current job keeps running.`, "Disable"],
      title: (t) => `Disabling job schedule ${t.jobScheduleId}`,
      call: scheduleActions.disable,
      done: "disabled",
    }),
  );
  commands.registerCommand(
    CommandId.scheduleEnable,
    action({ title: (t) => `Enabling job schedule ${t.jobScheduleId}`, call: scheduleActions.enable, done: "enabled" }),
  );
  commands.registerCommand(
    CommandId.scheduleTerminate,
    action({
      confirm: [(t) => `Terminate job schedule "${t.jobScheduleId}"? It creates no more jobs, and its active job is terminated.`, "Terminate"],
      title: (t) => `Terminating job schedule ${t.jobScheduleId}`,
      call: scheduleActions.terminate,
      done: "terminated",
    }),
  );
}
