// Why: the editor's EditorUi: quick picks, input boxes, modal confirmations, messages and progress notifications through vscode.window.

import * as vscode from "vscode";
import { abortAware } from "../actions/batchActions";
import type { EditorUi, Report } from "../common/editorUi";

export function createVscodeEditorUi(): EditorUi {
  return {
    async pick(items, options) {
      const picked = await vscode.window.showQuickPick(
        items.map((item) => ({ label: item.label, description: item.description, detail: item.detail, item })),
        { title: options.title, placeHolder: options.placeholder, ignoreFocusOut: true },
      );
      return picked?.item.value;
    },
    async input(options) {
      return vscode.window.showInputBox({
        title: options.title,
        prompt: options.prompt,
        value: options.value,
        placeHolder: options.placeholder,
        password: options.password,
        ignoreFocusOut: true,
        validateInput: options.validate,
      });
    },
    async confirm(message, options) {
      const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: options.detail }, options.confirmLabel);
      return answer === options.confirmLabel;
    },
    async info(message, ...actions) {
      return vscode.window.showInformationMessage(message, ...actions);
    },
    async warn(message) {
      return vscode.window.showWarningMessage(message);
    },
    async error(message) {
      return vscode.window.showErrorMessage(message);
    },
    async progress(title, body, options) {
      if (options?.location === "statusBar") {
        return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, (progress) =>
          body(new AbortController().signal, (message) => progress.report({ message })),
        );
      }
      return withCancellableProgress(title, body);
    },
    // revealFileInOS rather than vscode.openFolder: a new window would start its own extension host (and could
    // start a second service on the same data folder); the file manager just shows state/, nodes/ and logs/.
    async revealInOs(folder) {
      await vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(folder));
    },
    async openExternal(url) {
      await vscode.env.openExternal(vscode.Uri.parse(url));
    },
  };
}

/** A cancellable notification: its Cancel button aborts the body's signal. */
function withCancellableProgress<T>(title: string, body: (signal: AbortSignal, report: Report) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      return await abortAware(abort.signal, () => body(abort.signal, (message, increment) => progress.report({ message, increment })));
    } finally {
      subscription.dispose();
    }
  });
}
