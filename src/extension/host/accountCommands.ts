// Why: the account commands: add a shared-key account (inputs, key as a password), remove one, sign in to Azure.

import * as vscode from "vscode";
import { normalizeBatchUrl, type SharedKeyAccountStore } from "../accounts/sharedKeyAccounts";
import type { EditorInputOptions, EditorUi } from "../common/editorUi";
import { UserCancelledError } from "../common/errors";
import { CommandId } from "../common/ids";
import type { ExplorerModel } from "../tree/explorerModel";
import { SharedKeyAccountNode } from "../tree/remoteAccountNodes";
import type { CommandRegistry } from "./commands";

/** Programmatic form of addSharedKey (tests, other extensions); without it the command asks. */
export interface SharedKeyAccountInput {
  readonly url: string;
  readonly accountName: string;
  readonly key: string;
}

const TITLE = "Add Batch account (shared key)";

async function ask(ui: EditorUi, prompt: string, options: Partial<EditorInputOptions> = {}): Promise<string> {
  const value = await ui.input({ title: TITLE, prompt, validate: (v) => (v.trim() ? undefined : "Required"), ...options });
  if (value === undefined) throw new UserCancelledError(prompt);
  return value;
}

async function askAccount(ui: EditorUi): Promise<SharedKeyAccountInput> {
  const url = await ask(ui, "Batch account URL", {
    placeholder: "https://myaccount.westeurope.batch.azure.com",
    validate: (v) => {
      try {
        normalizeBatchUrl(v);
        return undefined;
      } catch {
        return "Enter the account's http(s) URL";
      }
    },
  });
  const accountName = await ask(ui, "Batch account name", { value: new URL(url.trim()).hostname.split(".")[0] });
  const key = await ask(ui, `Key of Batch account "${accountName}" (kept in VS Code's secret storage)`, { password: true });
  return { url, accountName, key };
}

function isAccountInput(value: unknown): value is SharedKeyAccountInput {
  const v = value as Partial<SharedKeyAccountInput> | undefined;
  return typeof v?.url === "string" && typeof v.accountName === "string" && typeof v.key === "string";
}

export interface AccountCommandDeps {
  readonly commands: CommandRegistry;
  readonly store: SharedKeyAccountStore;
  readonly model: ExplorerModel;
  readonly signIn: () => Promise<void>;
  readonly ui: () => EditorUi;
}

export function registerAccountCommands({ commands, store, model, signIn, ui }: AccountCommandDeps): vscode.Disposable {
  // from a menu the first argument is the clicked tree item, not an input
  commands.registerCommand(CommandId.accountsAddSharedKey, async (input?: unknown) => {
    const { url, accountName, key } = isAccountInput(input) ? input : await askAccount(ui());
    return (await store.add(url, accountName, key)).id;
  });
  commands.registerCommand(CommandId.accountsRemove, async (target?: SharedKeyAccountNode | string) => {
    let id = target instanceof SharedKeyAccountNode ? target.account.id : target;
    if (!id) {
      const picked = await ui().pick(
        store.list().map((a) => ({ label: a.accountName, description: a.url, value: a.id })),
        { title: "Remove Batch account", placeholder: "Batch account to remove" },
      );
      if (picked === undefined) throw new UserCancelledError("remove");
      id = picked;
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
