// Why: the Open Job View and Open Pool View commands on job and pool items of the explorer, for any account whose client the explorer has.

import * as vscode from "vscode";
import type { EditorUi } from "../common/editorUi";
import { CommandId, Setting } from "../common/ids";
import { formatBatchUri } from "../files/batchUri";
import { accountAuthority } from "../tree/fileNodes";
import type { TreeNode } from "../tree/treeNode";
import { accountItemOf, jobIdOf, poolIdOf, viewClientOf } from "../views/viewClient";
import type { CommandRegistry } from "./commands";
import { type JobView, openJobViewPanel } from "./jobViewPanel";
import { openPoolViewPanel, type PoolView } from "./poolViewPanel";

export interface ResourceViewDeps {
  readonly commands: CommandRegistry;
  readonly ui: () => EditorUi;
}

/** How often open, visible views read again: the explorer's refresh interval (0 = off still reads every 5 s while a view is visible). */
function refreshMs(): number {
  const seconds = vscode.workspace.getConfiguration(Setting.section).get<number>(Setting.refreshInterval) ?? 5;
  return Math.max(1, seconds > 0 ? seconds : 5) * 1000;
}

export function registerResourceViews(deps: ResourceViewDeps): void {
  const { commands, ui } = deps;

  commands.registerCommand(CommandId.openJobView, async (node?: TreeNode): Promise<JobView> => {
    const jobId = jobIdOf(node);
    if (!node || !jobId) throw new Error("Open Job View works on a job item of the Batch explorer.");
    const client = await ui().progress(`Opening job ${jobId}`, (signal) => viewClientOf(node, signal));
    const authority = accountAuthority(node);
    return openJobViewPanel({
      jobId,
      account: accountItemOf(node)?.label ?? "?",
      client,
      refreshMs: refreshMs(),
      openTask: async (taskId) => {
        if (!authority) throw new Error("Task files open from the Local account only for now.");
        const uri = formatBatchUri({ account: authority, owner: { kind: "task", jobId, taskId }, path: "stdout.txt" });
        return vscode.commands.executeCommand(CommandId.filesOpen, uri);
      },
    });
  });

  commands.registerCommand(CommandId.openPoolView, async (node?: TreeNode): Promise<PoolView> => {
    const poolId = poolIdOf(node);
    if (!node || !poolId) throw new Error("Open Pool View works on a pool item of the Batch explorer.");
    const client = await ui().progress(`Opening pool ${poolId}`, (signal) => viewClientOf(node, signal));
    return openPoolViewPanel({ poolId, account: accountItemOf(node)?.label ?? "?", client, refreshMs: refreshMs() });
  });
}
