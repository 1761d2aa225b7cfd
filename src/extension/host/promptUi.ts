// Why: the editor's PromptUi for core workflows: quick picks, input boxes and modal confirmations; tests replace it through the extension API.

import * as vscode from "vscode";
import type { PromptUi } from "../../core/wizard/wizard";

export function createVscodePromptUi(): PromptUi {
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
        ignoreFocusOut: true,
        validateInput: options.validate,
      });
    },
    async confirm(message, options) {
      const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: options.detail }, options.confirmLabel);
      return answer === options.confirmLabel;
    },
  };
}
