// Why: the "Accounts" root and its "Local" account node, fed by an injected local-service probe (the extension's LocalServiceController).

import { errorMessage } from "../common/errors";
import { CommandId } from "../common/ids";
import type { BatchClientLike } from "../common/batchClientLike";
import type { FilterStore } from "./filters";
import { DEFAULT_PAGE_SIZE } from "./paging";
import { accountBranches, remoteAccounts, type RemoteAccountsDeps } from "./remoteAccountNodes";
import { ActionNode, ErrorNode, InfoNode, type TreeNode } from "./treeNode";

/** What the explorer needs to know about the local Batch service. */
export type LocalServiceStatus =
  | { readonly state: "stopped" }
  | { readonly state: "starting" }
  | { readonly state: "failed"; readonly message: string }
  | { readonly state: "running"; readonly endpoint: string; readonly accountName: string; readonly client?: BatchClientLike };

export interface LocalServiceProbe {
  getStatus(signal?: AbortSignal): Promise<LocalServiceStatus>;
  /** The status known right now, without I/O (for the Local item's description); optional. */
  current?(): LocalServiceStatus;
  /** The data folder the service uses, or would use when started (the Local item's tooltip); optional. */
  dataDir?(): string;
}

/** A probe that always reports "stopped" (tests; no service wired). */
export const notStartedLocalService: LocalServiceProbe = {
  async getStatus() {
    return { state: "stopped" };
  },
};

export const LOCAL_START_LABEL = "Start the local Batch service";
export const LOCAL_STARTING_LABEL = "Starting the local Batch service…";

export interface AccountOptions {
  /** maxResults of every list page the explorer asks for */
  readonly pageSize?: () => number;
  /** the job/task filters the Jobs branch lists with */
  readonly filters?: FilterStore;
  /** shared-key and Azure accounts shown after Local */
  readonly remote?: RemoteAccountsDeps;
}

export class AccountsNode implements TreeNode {
  readonly id = "accounts";
  readonly label = "Accounts";
  readonly contextValue = "accounts";
  readonly collapsible = "expanded" as const;
  readonly icon = "organization";
  private readonly accounts: TreeNode[];

  constructor(localService: LocalServiceProbe, options: AccountOptions = {}) {
    this.accounts = [new LocalAccountNode(this, localService, options.pageSize ?? (() => DEFAULT_PAGE_SIZE), options.filters)];
    this.remote = remoteAccounts(this, options.remote ?? {}, { pageSize: options.pageSize ?? (() => DEFAULT_PAGE_SIZE), filters: options.filters });
  }

  private readonly remote: () => TreeNode[];

  async getChildren(): Promise<TreeNode[]> {
    return [...this.accounts, ...this.remote()];
  }
}

export class LocalAccountNode implements TreeNode {
  readonly id: string;
  readonly label = "Local";
  readonly contextValue = "account.local";
  readonly collapsible = "expanded" as const;
  readonly icon = "server-environment";

  constructor(
    readonly parent: TreeNode,
    private readonly service: LocalServiceProbe,
    private readonly pageSize: () => number = () => DEFAULT_PAGE_SIZE,
    private readonly filters?: FilterStore,
  ) {
    this.id = `${parent.id}/local`;
  }

  /** What the item is, and where its state, nodes and logs live. */
  get tooltip(): string {
    const dataDir = this.service.dataDir?.();
    return `The Batch service emulator running on this machine${dataDir ? `\ndata folder: ${dataDir}` : ""}`;
  }

  /** "running · http://127.0.0.1:8510", "starting…", "failed", "stopped" when the probe can tell synchronously. */
  get description(): string | undefined {
    const status = this.service.current?.();
    if (!status) return undefined;
    return status.state === "running" ? `running · ${status.endpoint}` : status.state === "starting" ? "starting…" : status.state;
  }

  /** Pools and Jobs while the service runs; otherwise what to do about it. Fresh containers on every call. */
  async getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    let status: LocalServiceStatus;
    try {
      status = await this.service.getStatus(signal);
    } catch (error) {
      return [new ErrorNode(this, `Could not query the local service: ${errorMessage(error)}`, "status")];
    }
    const start = () => new ActionNode(this, LOCAL_START_LABEL, CommandId.localStart, "play", "Runs `batch-manager local start` for this window");
    switch (status.state) {
      case "stopped":
        return [start()];
      case "starting":
        return [new InfoNode(this, LOCAL_STARTING_LABEL, { key: "starting", icon: "loading~spin" })];
      case "failed":
        return [new ErrorNode(this, `The local Batch service failed: ${status.message}`, "failed"), start()];
      case "running":
        if (!status.client) {
          return [new InfoNode(this, `Running at ${status.endpoint}`, { key: "running", icon: "pass", tooltip: `Account "${status.accountName}"` })];
        }
        return accountBranches(this, status.client, this.pageSize, this.filters);
    }
  }
}
