// Why: registers the `batch-task` debug type in the editor: configurations, the inline adapter, child sessions and "Debug Task Locally".
import * as path from "node:path";
import * as vscode from "vscode";
import { BatchTaskDebugSession } from "../../core/debug/batchTaskSession";
import type { LocalServiceAcquirer } from "../../core/debug/debugEngine";
import { controllerLease } from "../../core/localService/controllerLease";
import { acquireLocalService } from "../../core/localService/localServiceLease";
import type { LocalServiceController } from "../../core/localService/localServiceController";
import type { Logger } from "../../local/common/logger";
import type { BatchServiceClient } from "@azure/batch";
import { taskOf, treeClientOf } from "../actions/targets";
import { accountKind } from "../tree/jobNodes";
import type { TreeNode } from "../tree/treeNode";
import type { EditorUi } from "../common/editorUi";
import { CommandId, DEBUG_TYPE } from "../common/ids";
import type { CommandRegistry } from "./commands";
import { registerChildSessionLauncher, registerDirectDebugpyAdapter } from "./debugChildSessions";
import { BatchTaskConfigurationProvider } from "./debugConfigurationProvider";

export interface DebugFeaturesOptions {
  readonly subscriptions: vscode.Disposable[];
  readonly commands: CommandRegistry;
  readonly logger: Logger;
  /** the extension's dist/ (cli.js starts a local service when none runs) */
  readonly distDir: string;
  /** the local service's data folder (the batchManager.local.dataDir setting) */
  readonly dataDir: () => string;
  /** where F5 without a workload says so */
  readonly ui: () => EditorUi;
  /** the explorer's local service: a session on its data folder joins or starts it there, so the explorer shows what runs */
  readonly controller: LocalServiceController;
}

export function registerDebugFeatures(options: DebugFeaturesOptions): void {
  const provider = new BatchTaskConfigurationProvider(options.dataDir, options.ui);
  const cliPath = path.join(options.distDir, "cli.js");
  const acquireService: LocalServiceAcquirer = async (dataDir, signal) =>
    (await controllerLease(options.controller, options.dataDir(), dataDir, signal)) ?? acquireLocalService({ cliPath, dataDir, keepRunning: false, signal });
  options.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (folder) => provider.provideDebugConfigurations(folder) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new BatchTaskDebugSession({ cliPath, acquireService })),
    }),
    registerChildSessionLauncher(options.logger),
    registerDirectDebugpyAdapter(),
  );
  options.commands.registerCommand(CommandId.taskDebugLocally, (node?: TreeNode) => debugTaskLocally(node));
}

/** Reproduces a task of the explorer on a local node under the debugger (the existing-task launch form). */
async function debugTaskLocally(node: TreeNode | undefined): Promise<boolean> {
  const target = taskOf(node);
  if (!target) throw new Error("Debug Task Locally works on a task in the Batch Explorer: right-click a task");
  const account = accountKind(node);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const base = {
    type: DEBUG_TYPE,
    request: "launch",
    name: `Debug task ${target.taskId} of ${target.jobId} locally`,
    account,
    jobId: target.jobId,
    taskId: target.taskId,
  };
  if (account === "local") return vscode.debug.startDebugging(folder, base);
  // another account: read the definitions here, with the explorer's credentials; the adapter only gets what they say
  const client = treeClientOf(node) as BatchServiceClient | undefined;
  if (!client) throw new Error(`no client for the account of task ${target.taskId}: refresh the Batch Explorer and try again`);
  const [job, task] = await Promise.all([client.job.get(target.jobId), client.task.get(target.jobId, target.taskId)]);
  const definition = {
    job: plain({ id: job.id, poolInfo: job.poolInfo, commonEnvironmentSettings: job.commonEnvironmentSettings, jobPreparationTask: job.jobPreparationTask }),
    task: plain({
      id: task.id,
      displayName: task.displayName,
      commandLine: task.commandLine,
      environmentSettings: task.environmentSettings,
      resourceFiles: task.resourceFiles,
      applicationPackageReferences: task.applicationPackageReferences,
      constraints: task.constraints,
      userIdentity: task.userIdentity,
      exitConditions: task.exitConditions,
      state: task.state,
      executionInfo: task.executionInfo && {
        exitCode: task.executionInfo.exitCode,
        result: task.executionInfo.result,
        failureInfo: task.executionInfo.failureInfo,
      },
    }),
  };
  return vscode.debug.startDebugging(folder, { ...base, definition });
}

/** JSON-safe copy (dates as strings, no SDK internals). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
