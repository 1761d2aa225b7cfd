// Why: the prompts the explorer commands show (confirm, pick, input, reveal), behind one replaceable object so tests answer them (no modal dialogs).

import * as vscode from "vscode";

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

/** Every method may be replaced by tests (the extension API exposes the object). */
export interface ExplorerUi {
  /** Non-modal warning with an action button; true only when that button was clicked. */
  confirm(message: string, action: string): Promise<boolean>;
  pick<T>(items: readonly PickItem<T>[], placeholder: string): Promise<T | undefined>;
  input(prompt: string): Promise<string | undefined>;
  info(message: string): void;
  /** Opens a folder in the OS file manager. */
  reveal(folder: string): Promise<void>;
  openExternal(url: string): Promise<void>;
}

export function createExplorerUi(): ExplorerUi {
  return {
    async confirm(message, action) {
      return (await vscode.window.showWarningMessage(message, action)) === action;
    },
    async pick(items, placeHolder) {
      return (await vscode.window.showQuickPick([...items], { placeHolder }))?.value;
    },
    async input(prompt) {
      return vscode.window.showInputBox({ prompt, ignoreFocusOut: true });
    },
    info(message) {
      void vscode.window.showInformationMessage(message);
    },
    // revealFileInOS rather than vscode.openFolder: a new window would start its own extension host (and could
    // start a second service on the same data folder); the file manager just shows state/, nodes/ and logs/.
    async reveal(folder) {
      await vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(folder));
    },
    async openExternal(url) {
      await vscode.env.openExternal(vscode.Uri.parse(url));
    },
  };
}
