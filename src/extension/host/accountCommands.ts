// Why: the account commands: add a shared-key account (InputBoxes, key as a password), remove one, sign in to Azure.

import * as vscode from "vscode";
import { normalizeBatchUrl, type SharedKeyAccountStore } from "../accounts/sharedKeyAccounts";
import { UserCancelledError } from "../errors";
import { CommandId } from "../ids";
import type { ExplorerModel } from "../tree/explorerModel";
import { SharedKeyAccountNode } from "../tree/remoteAccountNodes";
import type { CommandRegistry } from "./commands";

/** Programmatic form of addSharedKey (tests, other extensions); without it the command asks. */
export interface SharedKeyAccountInput {
  readonly url: string;
  readonly accountName: string;
  readonly key: string;
}

async function ask(prompt: string, options: vscode.InputBoxOptions = {}): Promise<string> {
  const value = await vscode.window.showInputBox({ prompt, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : "Required"), ...options });
  if (value === undefined) throw new UserCancelledError(prompt);
  return value;
}

async function askAccount(): Promise<SharedKeyAccountInput> {
  const url = await ask("Batch account URL", {
    placeHolder: "https://myaccount.westeurope.batch.azure.com",
    validateInput: (v) => {
      try {
        normalizeBatchUrl(v);
        return undefined;
      } catch {
        return "Enter the account's http(s) URL";
      }
    },
  });
  const accountName = await ask("Batch account name", { value: new URL(url.trim()).hostname.split(".")[0] });
  const key = await ask(`Key of Batch account "${accountName}" (kept in VS Code's secret storage)`, { password: true });
  return { url, accountName, key };
}

function isAccountInput(value: unknown): value is SharedKeyAccountInput {
  const v = value as Partial<SharedKeyAccountInput> | undefined;
  return typeof v?.url === "string" && typeof v.accountName === "string" && typeof v.key === "string";
}

export function registerAccountCommands(
  commands: CommandRegistry,
  store: SharedKeyAccountStore,
  model: ExplorerModel,
  signIn: () => Promise<void>,
): vscode.Disposable {
  // from a menu the first argument is the clicked tree item, not an input
  commands.registerCommand(CommandId.accountsAddSharedKey, async (input?: unknown) => {
    const { url, accountName, key } = isAccountInput(input) ? input : await askAccount();
    return (await store.add(url, accountName, key)).id;
  });
  commands.registerCommand(CommandId.accountsRemove, async (target?: SharedKeyAccountNode | string) => {
    let id = target instanceof SharedKeyAccountNode ? target.account.id : target;
    if (!id) {
      const picked = await vscode.window.showQuickPick(
        store.list().map((a) => ({ label: a.accountName, description: a.url, id: a.id })),
        { placeHolder: "Batch account to remove" },
      );
      if (!picked) throw new UserCancelledError("remove");
      id = picked.id;
    }
    await store.remove(id);
  });
  commands.registerCommand(CommandId.accountsSignIn, async () => {
    await signIn();
    model.refresh();
  });
  const subscription = store.onDidChange(() => model.refresh());
  return new vscode.Disposable(() => subscription.dispose());
}
