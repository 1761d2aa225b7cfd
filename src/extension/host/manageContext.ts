// Why: what the create and manage commands share: the account client of an item (or the local service's), documents opened for a pool/job/task, refreshing the changed branch.

import type { EditorUi } from "../common/editorUi";
import { UserCancelledError } from "../common/errors";
import type { DefinitionKind } from "../manage/definitionKinds";
import { isManageClient, type ManageClient } from "../manage/manageClient";
import { accountClientOf } from "../manage/manageTargets";
import type { ExplorerModel } from "../tree/explorerModel";
import type { TreeNode } from "../tree/treeNode";
import type { CommandRegistry } from "./commands";

export interface ManageDeps {
  readonly commands: CommandRegistry;
  readonly model: ExplorerModel;
  readonly ui: () => EditorUi;
  /** the running local service's client (undefined while it is not running) */
  readonly localClient: () => unknown;
}

/** A JSON document opened by Clone or Edit Start Task: what it creates or changes, and with which account's client. */
export interface ManagedDocument {
  readonly kind: DefinitionKind;
  readonly client: ManageClient;
  /** the job a task document adds to; the pool a start task document patches */
  readonly parentId?: string;
  /** the explorer branch to refresh once it is applied */
  readonly refresh?: TreeNode;
}

export interface ManageContext extends ManageDeps {
  /** document URI → what it was opened for */
  readonly documents: Map<string, ManagedDocument>;
  clientFor(node: TreeNode | undefined, signal?: AbortSignal): Promise<ManageClient>;
  /** an answer that must be given (dismissing cancels quietly) */
  required<T>(answer: Promise<T | undefined>): Promise<T>;
  /** Destructive actions ask first, in a modal dialog; declining cancels quietly. */
  confirm(message: string, action: string): Promise<void>;
  /** Runs `call` with cancellable progress, then refreshes `branch` (everything when undefined). */
  run<T>(title: string, branch: TreeNode | undefined, call: (client: ManageClient, signal: AbortSignal) => Promise<T>, client: ManageClient): Promise<T>;
}

export function manageContext(deps: ManageDeps): ManageContext {
  const { ui, model } = deps;
  return {
    ...deps,
    documents: new Map(),
    async clientFor(node, signal) {
      const fromTree = node ? await accountClientOf(node, signal) : undefined;
      if (fromTree) return fromTree;
      const local = deps.localClient();
      if (!isManageClient(local))
        throw new Error("The local Batch service is not running: start it (Local in the Azure Batch view), or run this on an item of another account.");
      return local;
    },
    async required(answer) {
      const value = await answer;
      if (value === undefined || value === "") throw new UserCancelledError();
      return value;
    },
    async confirm(message, action) {
      if (!(await ui().confirm(message, { confirmLabel: action }))) throw new UserCancelledError(action);
    },
    async run(title, branch, call, client) {
      const result = await ui().progress(title, (signal) => call(client, signal));
      model.refresh(branch);
      return result;
    },
  };
}
