// Why: the Local service commands (start with cancellable progress, stop), the explorer's retry/load-more commands, and the state context key.

import * as vscode from "vscode";
import type { EditorUi } from "../common/editorUi";
import { CommandId, LOCAL_STATE_CONTEXT_KEY } from "../common/ids";
import type { LocalServiceController, LocalServiceState } from "../../core/localService/localServiceController";
import type { ExplorerModel } from "../tree/explorerModel";
import type { TreeNode } from "../tree/treeNode";
import type { CommandRegistry } from "./commands";

export function registerLocalCommands(
  commands: CommandRegistry,
  controller: LocalServiceController,
  model: ExplorerModel,
  ui: () => EditorUi,
): vscode.Disposable {
  commands.registerCommand(CommandId.localStart, () =>
    ui().progress("Starting the local Batch service", async (signal): Promise<LocalServiceState> => {
      await controller.start(signal);
      return controller.state;
    }),
  );
  commands.registerCommand(CommandId.localStop, () =>
    ui().progress(
      "Stopping the local Batch service",
      async () => {
        const elsewhere = controller.startedElsewhere;
        await controller.stop();
        if (elsewhere) {
          void ui().info("The local Batch service was started by another window: it keeps running there; this window is disconnected from it.");
        }
        return controller.state;
      },
      { location: "statusBar" },
    ),
  );
  commands.registerCommand(CommandId.retry, (node?: TreeNode) => model.retry(node));
  commands.registerCommand(CommandId.loadMore, async (node?: TreeNode) => {
    if (node) await model.loadMore(node);
  });

  const publish = (state: LocalServiceState) => {
    void vscode.commands.executeCommand("setContext", LOCAL_STATE_CONTEXT_KEY, state);
    model.refresh();
  };
  publish(controller.state);
  const subscription = controller.onDidChangeState(publish);
  return new vscode.Disposable(() => subscription.dispose());
}
