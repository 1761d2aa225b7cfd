// Why: the explorer's remote accounts under "Accounts": shared-key accounts, then "Azure" → subscriptions → Batch accounts → Pools/Jobs.

import type { AzureArm, AzureBatchAccountInfo, SubscriptionInfo } from "../accounts/azureArm";
import { portalUrl } from "../accounts/azureArm";
import { AuthRequiredError, isAuthError } from "../accounts/azureCredentials";
import type { AzureBatchClientFactory } from "../accounts/batchClients";
import type { SharedKeyAccount } from "../accounts/sharedKeyAccounts";
import { errorMessage } from "../errors";
import type { BatchClientLike } from "./batchClientLike";
import type { FilterStore } from "./filters";
import { jobsNode } from "./jobNodes";
import { poolsNode } from "./poolNodes";
import { SignInNode } from "./signInNode";
import { ErrorNode, InfoNode, type TreeNode } from "./treeNode";

export interface SharedKeyAccountsDeps {
  list(): SharedKeyAccount[];
  getKey(id: string): Promise<string | undefined>;
  createClient(url: string, accountName: string, key: string): BatchClientLike;
}

export interface AzureDeps {
  readonly arm: AzureArm;
  readonly createClient: AzureBatchClientFactory;
  /** false when nobody signed in (no I/O, no prompt); the Azure node then offers to sign in */
  readonly isSignedIn?: () => Promise<boolean>;
}

export interface RemoteAccountsDeps {
  readonly sharedKey?: SharedKeyAccountsDeps;
  readonly azure?: AzureDeps;
}

/** What every account's Pools/Jobs branches are built with (the Local account's options). */
export interface BranchOptions {
  readonly pageSize: () => number;
  readonly filters?: FilterStore;
}

export const AZURE_LABEL = "Azure";

/** Pools and Jobs of any account, from its client: the same subtrees the Local account shows. */
const batchChildren = (parent: TreeNode, client: BatchClientLike, options: BranchOptions): TreeNode[] => [
  poolsNode(parent, client, options.pageSize),
  jobsNode(parent, client, options.pageSize, options.filters),
];

/** The remote account nodes, in tree order; the Azure node is kept so its expansion and caches survive. */
export function remoteAccounts(parent: TreeNode, deps: RemoteAccountsDeps, options: BranchOptions): () => TreeNode[] {
  const azure = deps.azure ? new AzureNode(parent, deps.azure, options) : undefined;
  return () => [...(deps.sharedKey?.list().map((account) => new SharedKeyAccountNode(parent, account, deps.sharedKey!, options)) ?? []), ...(azure ? [azure] : [])];
}

export class SharedKeyAccountNode implements TreeNode {
  readonly contextValue = "account.sharedKey";
  readonly collapsible = "collapsed" as const;
  readonly icon = "key";
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;

  constructor(
    readonly parent: TreeNode,
    readonly account: SharedKeyAccount,
    private readonly deps: SharedKeyAccountsDeps,
    private readonly options: BranchOptions,
  ) {
    this.id = `${parent.id}/sharedKey:${account.id}`;
    this.label = account.accountName;
    this.description = account.url;
    this.tooltip = `Batch account "${account.accountName}" at ${account.url} (shared key)`;
  }

  async getChildren(): Promise<TreeNode[]> {
    const key = await this.deps.getKey(this.account.id);
    if (!key) return [new ErrorNode(this, "The key of this account is not in the secret storage: remove the account and add it again.", "key")];
    return batchChildren(this, this.deps.createClient(this.account.url, this.account.accountName, key), this.options);
  }
}

/** Runs an ARM listing; a missing or refused token becomes the "Sign in again" item instead of an error. */
async function orSignIn(parent: TreeNode, load: () => Promise<TreeNode[]>): Promise<TreeNode[]> {
  try {
    return await load();
  } catch (error) {
    if (!isAuthError(error)) throw error;
    // nobody signed in: "Sign in to Azure"; a refused or expired token: "Sign in again" with the reason
    return [new SignInNode(parent, error instanceof AuthRequiredError ? undefined : errorMessage(error))];
  }
}

export class AzureNode implements TreeNode {
  readonly label = AZURE_LABEL;
  readonly contextValue = "azure";
  readonly collapsible = "collapsed" as const;
  readonly icon = "azure";
  readonly tooltip = "Batch accounts of your Azure subscriptions (signed in with your Microsoft account)";
  readonly id: string;

  constructor(
    readonly parent: TreeNode,
    private readonly deps: AzureDeps,
    private readonly options: BranchOptions,
  ) {
    this.id = `${parent.id}/azure`;
  }

  getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    return orSignIn(this, async () => {
      if (this.deps.isSignedIn && !(await this.deps.isSignedIn())) throw new AuthRequiredError();
      const subscriptions = await this.deps.arm.listSubscriptions(signal);
      if (subscriptions.length === 0) return [new InfoNode(this, "No subscriptions", { key: "none" })];
      return subscriptions.map((s) => new SubscriptionNode(this, s, this.deps, this.options));
    });
  }
}

export class SubscriptionNode implements TreeNode {
  readonly contextValue = "azure.subscription";
  readonly collapsible = "collapsed" as const;
  readonly icon = "key";
  readonly id: string;
  readonly label: string;
  readonly tooltip: string;

  constructor(
    readonly parent: TreeNode,
    readonly subscription: SubscriptionInfo,
    private readonly deps: AzureDeps,
    private readonly options: BranchOptions,
  ) {
    this.id = `${parent.id}/subscription:${subscription.subscriptionId}`;
    this.label = subscription.displayName;
    this.tooltip = `Subscription ${subscription.subscriptionId}`;
  }

  getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    return orSignIn(this, async () => {
      const accounts = await this.deps.arm.listBatchAccounts(this.subscription.subscriptionId, signal);
      if (accounts.length === 0) return [new InfoNode(this, "No Batch accounts", { key: "none" })];
      return accounts.map((a) => new AzureBatchAccountNode(this, a, this.deps.createClient, this.options));
    });
  }
}

/** contextValue "account.azure": batchManager.openInPortal targets it through `resourceId` / `portalUrl`. */
export class AzureBatchAccountNode implements TreeNode {
  readonly contextValue = "account.azure";
  readonly collapsible = "collapsed" as const;
  readonly icon = "server-environment";
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip: string;
  readonly resourceId: string;
  readonly portalUrl: string;

  constructor(
    readonly parent: TreeNode,
    readonly account: AzureBatchAccountInfo,
    private readonly createClient: AzureBatchClientFactory,
    private readonly options: BranchOptions,
  ) {
    this.id = `${parent.id}/batchAccount:${account.name}`;
    this.label = account.name;
    this.description = account.location;
    this.resourceId = account.resourceId;
    this.portalUrl = portalUrl(account.resourceId);
    this.tooltip = `${account.resourceId}\n${account.accountEndpoint}`;
  }

  async getChildren(): Promise<TreeNode[]> {
    return batchChildren(this, this.createClient(this.account), this.options);
  }
}
