// Why: wires the remote accounts for the extension: the shared-key store (globalState + SecretStorage), the Azure sign-in source, their commands.

import type * as vscode from "vscode";
import { AzureFileClients } from "../accounts/azureFileClients";
import { createAzureArm } from "../accounts/azureArm";
import type { AzureCredentialSource } from "../accounts/azureCredentials";
import type { EditorUi } from "../common/editorUi";
import { bearerBatchClientFactory, sharedKeyBatchClient } from "../accounts/batchClients";
import { SharedKeyAccountStore, sharedKeyAuthority } from "../accounts/sharedKeyAccounts";
import type { BatchClientLike } from "../common/batchClientLike";
import type { ExplorerModel } from "../tree/explorerModel";
import type { RemoteAccountsDeps } from "../tree/remoteAccountNodes";
import { registerAccountCommands } from "./accountCommands";
import type { CommandRegistry } from "./commands";
import { VscodeAzureCredentialSource } from "./vscodeAzureCredentials";

/** The client of the shared-key account a `batch:` authority names (`<name>@<host>`), with its key from secret storage; undefined if none. */
async function sharedKeyClientFor(store: SharedKeyAccountStore, authority: string): Promise<BatchClientLike | undefined> {
  const account = store.list().find((candidate) => sharedKeyAuthority(candidate) === authority.toLowerCase());
  const key = account && (await store.getKey(account.id));
  return account && key ? sharedKeyBatchClient(account.url, account.accountName, key) : undefined;
}

/** Exposed on the extension API for tests (never holds a key or token itself). */
export interface AccountsApi {
  readonly sharedKey: SharedKeyAccountStore;
  readonly azure: AzureCredentialSource;
  readonly globalState: vscode.Memento;
  /** this extension's log folder; the output channel's log lives next to it */
  readonly logUri: vscode.Uri;
  /** <user data>/User/globalStorage/<extension id>: settings.json and the globalState database are two levels up */
  readonly globalStorageUri: vscode.Uri;
}

export function createAccounts(context: vscode.ExtensionContext): AccountsApi & {
  readonly deps: RemoteAccountsDeps;
  /** the client of a shared-key account's `batch:` authority (its files) */
  clientForAuthority(authority: string): Promise<BatchClientLike | undefined>;
  register(commands: CommandRegistry, model: ExplorerModel, ui: () => EditorUi): void;
} {
  const sharedKey = new SharedKeyAccountStore(context.globalState, context.secrets);
  const azure = new VscodeAzureCredentialSource();
  const azureFiles = new AzureFileClients();
  const deps: RemoteAccountsDeps = {
    sharedKey: { list: () => sharedKey.list(), getKey: (id) => sharedKey.getKey(id), createClient: sharedKeyBatchClient },
    azure: { arm: createAzureArm(azure), createClient: bearerBatchClientFactory(azure), fileClients: azureFiles },
  };
  return {
    sharedKey,
    azure,
    globalState: context.globalState,
    logUri: context.logUri,
    globalStorageUri: context.globalStorageUri,
    deps,
    clientForAuthority: async (authority) => (await sharedKeyClientFor(sharedKey, authority)) ?? azureFiles.clientFor(authority),
    register(commands, model, ui) {
      context.subscriptions.push(registerAccountCommands({ commands, store: sharedKey, model, signIn: () => azure.signIn(), ui }));
      context.subscriptions.push(azure.onDidChange(() => model.refresh()));
    },
  };
}
