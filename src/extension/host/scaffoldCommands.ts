// Why: "Batch: New Workload…" (the new-workload wizard: prompts, then the steps with cancellable progress) and
// "Batch: Add Workload Task…" in the editor, on the same core generator as `batch-manager new` / `add-task`.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { addTask, type AddedTask } from "../../core/scaffold/addTask";
import { locateScaffoldAssets } from "../../core/scaffold/assets";
import { taskNameProblem } from "../../core/scaffold/names";
import { newWorkloadWorkflow, type NewWorkloadContext } from "../../core/scaffold/newWorkloadWorkflow";
import { answered, runWorkflow } from "../../core/wizard/wizard";
import type { EditorUi } from "../common/editorUi";
import { CommandId } from "../common/ids";
import type { CommandRegistry } from "./commands";

export interface ScaffoldCommandsOptions {
  readonly commands: CommandRegistry;
  /** the extension's dist/ folder (templates, runtime and CLI tarballs) */
  readonly distDir: string;
  readonly ui: () => EditorUi;
}

/** What a caller (a test, the walkthrough) may preset; everything else is asked. */
export interface NewWorkloadArgs {
  readonly parentDir?: string;
  /** open the created folder in this window (default: offer it) */
  readonly open?: boolean;
}

export function registerScaffoldCommands(options: ScaffoldCommandsOptions): void {
  options.commands.registerCommand(CommandId.newWorkload, (args?: NewWorkloadArgs) => newWorkload(options, args ?? {}));
  options.commands.registerCommand(CommandId.addWorkloadTask, (target?: vscode.Uri) => addWorkloadTask(options, target));
}

async function newWorkload(options: ScaffoldCommandsOptions, args: NewWorkloadArgs): Promise<string> {
  const context: NewWorkloadContext = {
    parentDir: args.parentDir ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir(),
    force: false,
    askBeforeReplacing: true,
    install: false,
    assets: locateScaffoldAssets(options.distDir),
  };
  const ui = options.ui();
  const unasked = new AbortController().signal;
  await runWorkflow({ prompts: newWorkloadWorkflow.prompts, executes: [] }, context, ui, { report: () => undefined }, unasked);
  await ui.progress(`Creating the workload ${context.name}`, (signal, report) =>
    runWorkflow({ prompts: [], executes: newWorkloadWorkflow.executes }, context, ui, { report }, signal),
  );
  const dir = context.result!.dir;
  const folder = vscode.Uri.file(dir);
  if (args.open) {
    await vscode.commands.executeCommand("vscode.openFolder", folder, { forceNewWindow: false });
  } else if (args.open === undefined) {
    void ui.info(`Created ${context.result!.names.workloadName} in ${dir}. Run 'npm install' there, then 'npm test'.`, "Open Folder").then((choice) => {
      if (choice === "Open Folder") void vscode.commands.executeCommand("vscode.openFolder", folder);
    });
  }
  return dir;
}

async function addWorkloadTask(options: ScaffoldCommandsOptions, target: vscode.Uri | undefined): Promise<AddedTask> {
  const workloadDir = workloadFolder(target);
  const name = answered(
    await options
      .ui()
      .input({ title: "Add workload task", prompt: "The task's PascalCase name, e.g. ResizeImage (class ResizeImageTask)", validate: taskNameProblem }),
    "task name",
  );
  const added = addTask({ workloadDir, name });
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(workloadDir, added.created)), { preview: false });
  return added;
}

/** The workload folder: the one holding the clicked file (up to its package.json), else the workspace folder with src/workload.ts. */
function workloadFolder(target: vscode.Uri | undefined): string {
  if (target?.scheme === "file") {
    for (let dir = target.fsPath; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    }
  }
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => fs.existsSync(path.join(candidate.uri.fsPath, "src", "workload.ts")));
  if (!folder)
    throw new Error(
      "No workload here: open a workload folder (one with src/workload.ts, created by 'Batch: New Workload…') or run the command from a file in it.",
    );
  return folder.uri.fsPath;
}
