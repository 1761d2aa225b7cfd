// Why: batchManager.filterJobs / filterTasks / clearFilters: a QuickPick sets the OData $filter the Jobs and job lists load with.

import { jobOf, jobsContainerOf, taskOf } from "../actions/targets";
import type { EditorUi } from "../common/editorUi";
import { UserCancelledError } from "../common/errors";
import { CommandId } from "../common/ids";
import type { ExplorerModel } from "../tree/explorerModel";
import { ALL_JOBS, JOB_FILTERS, TASK_FILTERS, type FilterChoice } from "../tree/filters";
import type { ListFilter } from "../tree/paging";
import type { TreeNode } from "../tree/treeNode";
import type { CommandRegistry } from "./commands";

const CLEAR = { label: "All", description: "clear the filter", value: null };

/** null = clear; throws UserCancelledError when the pick is dismissed. */
async function pickFilter(ui: EditorUi, choices: readonly FilterChoice[], title: string, placeholder: string): Promise<ListFilter | undefined> {
  const items = [CLEAR, ...choices.map((c) => ({ label: c.label, description: c.description ?? c.odata, value: c as ListFilter | null }))];
  const picked = await ui.pick(items, { title, placeholder });
  if (picked === undefined) throw new UserCancelledError("filter");
  return picked ?? undefined;
}

export function registerFilterCommands(commands: CommandRegistry, model: ExplorerModel, ui: () => EditorUi): void {
  commands.registerCommand(CommandId.filterJobs, async (node?: TreeNode) => {
    const filter = await pickFilter(ui(), JOB_FILTERS, "Filter jobs", "Show only jobs in state…");
    model.filters.setJobs(filter);
    model.refresh(jobsContainerOf(node));
    return filter?.odata ?? null;
  });
  commands.registerCommand(CommandId.filterTasks, async (node?: TreeNode) => {
    const jobId = jobOf(node)?.jobId ?? taskOf(node)?.jobId;
    const filter = await pickFilter(
      ui(),
      TASK_FILTERS,
      "Filter tasks",
      jobId ? `Show only tasks of ${jobId} that are…` : "Show only tasks (of every job) that are…",
    );
    model.filters.setTasks(jobId ?? ALL_JOBS, filter);
    // a job's own filter reloads that job; the all-jobs filter reloads the Jobs branch
    const jobNode = jobOf(node) ? node : taskOf(node) ? node?.parent : undefined;
    model.refresh(jobNode ?? jobsContainerOf(node));
    return filter?.odata ?? null;
  });
  commands.registerCommand(CommandId.clearFilters, (node?: TreeNode) => {
    model.filters.setJobs(undefined);
    model.filters.setTasks(ALL_JOBS, undefined);
    model.refresh(jobsContainerOf(node));
  });
}
