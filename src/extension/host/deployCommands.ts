// Why: "Batch: Deploy Workload…" and "Batch: Run Job…" in the editor: the same core deploy/run as the CLI, asking and reporting through the EditorUi, the job revealed in the explorer.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { TokenCredential } from "@azure/core-auth";
import { isUserCancelled } from "../../core/cancellation";
import { deployWorkload, readDeploymentSettings, runWorkloadJob, settleRun, type DeployResult, type RunResult } from "../../core/deploy";
import type { LocalServiceController } from "../../core/localService/localServiceController";
import { answered } from "../../core/wizard/wizard";
import type { EditorUi } from "../common/editorUi";
import type { ExplorerModel } from "../tree/explorerModel";
import type { TreeNode } from "../tree/treeNode";
import { CommandId } from "../common/ids";
import type { CommandRegistry } from "./commands";
import type { ExplorerTreeProvider } from "./explorerTreeProvider";
import { RunJobNotification } from "./runJobProgress";

export interface DeployCommandDeps {
  readonly commands: CommandRegistry;
  readonly controller: LocalServiceController;
  readonly model: ExplorerModel;
  readonly treeProvider: ExplorerTreeProvider;
  readonly explorer: vscode.TreeView<TreeNode>;
  readonly cliPath: string;
  readonly dataDir: () => string;
  /** prompts, messages and the cancellable progress notifications */
  readonly ui: () => EditorUi;
}

const isWorkload = (dir: string) => fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "src", "main.ts"));

/** The folder passed (explorer context menu Uri, or a path from code), else the workspace's workload folder (asked when several). */
async function workloadFolder(arg: unknown, ui: EditorUi): Promise<string> {
  const given = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === "string" ? arg : undefined;
  if (given) {
    const dir = fs.existsSync(given) && fs.statSync(given).isFile() ? path.dirname(given) : given;
    if (!isWorkload(dir)) throw new Error(`${dir} is not a workload folder (it needs package.json and src/main.ts)`);
    return dir;
  }
  const candidates = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath).filter(isWorkload);
  if (candidates.length === 0) throw new Error("Open a workload folder (package.json and src/main.ts) first, or create one with 'Batch: New Workload…'.");
  if (candidates.length === 1) return candidates[0]!;
  return answered(
    await ui.pick(
      candidates.map((dir) => ({ label: path.basename(dir), description: dir, value: dir })),
      { title: "Which workload?" },
    ),
    "workload",
  );
}

/** VS Code's Microsoft sign-in as an @azure/core-auth credential (asks to sign in when needed); used only for Azure targets. */
const microsoftCredential: TokenCredential = {
  async getToken(scopes) {
    const session = await vscode.authentication.getSession("microsoft", Array.isArray(scopes) ? scopes : [scopes as string], { createIfNone: true });
    return { token: session.accessToken, expiresOnTimestamp: Date.now() + 5 * 60_000 };
  },
};

/** Walks Accounts → Local → Jobs → <jobId> through the real tree and reveals it. */
async function revealLocalJob(deps: DeployCommandDeps, jobId: string): Promise<void> {
  await deps.controller.start();
  deps.model.refresh();
  let node: TreeNode | undefined;
  for (const label of ["Accounts", "Local", "Jobs", jobId]) {
    const children: TreeNode[] = await deps.treeProvider.getChildren(node);
    node = children.find((child) => String(deps.treeProvider.getTreeItem(child).label) === label);
    if (!node) return;
  }
  await deps.explorer.reveal(node!, { select: true, focus: false, expand: true });
}

export function registerDeployCommands(deps: DeployCommandDeps): void {
  deps.commands.registerCommand(CommandId.deploy, async (arg?: unknown): Promise<DeployResult> => {
    const ui = deps.ui();
    const workloadDir = await workloadFolder(arg, ui);
    const result = await ui.progress(`Deploying ${path.basename(workloadDir)}`, (signal, report) =>
      deployWorkload({
        workloadDir,
        cliPath: deps.cliPath,
        dataDir: deps.dataDir(),
        yes: false,
        credential: microsoftCredential,
        ui,
        progress: { report },
        signal,
      }),
    );
    if (result.target === "local") {
      await deps.controller.start();
      deps.model.refresh();
    }
    void ui.info(`Deployed ${result.applicationId} ${result.version} (pool ${result.poolId}).`);
    return result;
  });

  deps.commands.registerCommand(CommandId.runJob, async (arg?: unknown): Promise<RunResult> => {
    const ui = deps.ui();
    const workloadDir = await workloadFolder(arg, ui);
    const text = await ui.input({
      title: "Job arguments",
      prompt: "A JSON object for the job manager (what `submit --args` takes)",
      value: "{}",
      validate: (value) => {
        try {
          const parsed = JSON.parse(value) as unknown;
          return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? undefined : 'Enter a JSON object, e.g. {"inputPrefix":"run1/"}';
        } catch (error) {
          return `Not JSON: ${(error as Error).message}`;
        }
      },
    });
    const args = JSON.parse(answered(text, "job arguments")) as Record<string, unknown>;
    const settings = readDeploymentSettings(workloadDir)?.settings;
    const local = !settings || settings.target === "local";
    const common = { workloadDir, cliPath: deps.cliPath, dataDir: deps.dataDir(), credential: microsoftCredential };
    let jobId: string | undefined;
    try {
      const result = await ui.progress(`Running ${path.basename(workloadDir)}`, (signal, report) => {
        const notification = new RunJobNotification(report);
        return runWorkloadJob({
          ...common,
          wait: true,
          args,
          progress: notification.lines,
          signal,
          onSubmitted: (id) => {
            jobId = id;
            notification.jobSubmitted(id);
            if (local) void revealLocalJob(deps, id).catch(() => undefined);
          },
          onJobProgress: (snapshot) => notification.snapshot(snapshot),
        });
      });
      const counts = result.taskCounts;
      const summary = `Job ${result.jobId} ${result.succeeded ? "succeeded" : "failed"}: ${counts.succeeded} tasks succeeded, ${counts.failed} failed.`;
      void (result.succeeded ? ui.info(summary) : ui.warn(summary));
      return result;
    } catch (error) {
      if (!isUserCancelled(error) || jobId === undefined) throw error;
      // cancel stops waiting; the job itself runs on unless the user terminates it
      const terminate = await ui.confirm(`Stopped waiting for job ${jobId}. Terminate the job too?`, {
        confirmLabel: "Terminate Job",
        detail: "Terminating stops its running tasks; otherwise the job keeps running and the explorer shows it.",
      });
      const settled = await settleRun({ ...common, jobId, terminate: terminate === true });
      void ui.info(terminate ? `Job ${jobId} terminated.` : `Job ${jobId} keeps running (${settled.state}).`);
      return settled;
    }
  });
}
