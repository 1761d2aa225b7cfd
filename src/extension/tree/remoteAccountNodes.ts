// Why: the explorer's remote accounts under "Accounts": shared-key accounts, then "Azure" → subscriptions → Batch accounts → Pools/Jobs.

import type { AzureArm, AzureBatchAccountInfo, SubscriptionInfo } from "../accounts/azureArm";
import { portalUrl } from "../accounts/azureArm";
import { AuthRequiredError, isAuthError } from "../accounts/azureCredentials";
import type { AzureBatchClientFactory } from "../accounts/batchClients";
import { type AzureFileClients, azureAuthority } from "../accounts/azureFileClients";
import { type SharedKeyAccount, sharedKeyAuthority } from "../accounts/sharedKeyAccounts";
import { errorMessage } from "../common/errors";
import type { BatchClientLike } from "../common/batchClientLike";
import type { FilterStore } from "./filters";
import { jobsNode } from "./jobNodes";
import { poolsNode } from "./poolNodes";
import { jobSchedulesNode, listsSchedules } from "./scheduleNodes";
import { SignInNode } from "./signInNode";
import { ChildNode, ErrorNode, InfoNode, type TreeNode } from "./treeNode";

export interface SharedKeyAccountsDeps {
  list(): SharedKeyAccount[];
  getKey(id: string): Promise<string | undefined>;
  createClient(url: string, accountName: string, key: string): BatchClientLike;
}

export interface AzureDeps {
  readonly arm: AzureArm;
  readonly createClient: AzureBatchClientFactory;
  /** where each listed account's client is kept for its `batch:` files (the file system provider looks them up) */
  readonly fileClients?: AzureFileClients;
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

/** Pools, Jobs and (when the client lists them) Job Schedules of any account: the Local account and the remote ones show the same. */
export function accountBranches(parent: TreeNode, client: BatchClientLike, pageSize: () => number, filters?: FilterStore): TreeNode[] {
  const branches: TreeNode[] = [poolsNode(parent, client, pageSize), jobsNode(parent, client, pageSize, filters)];
  if (listsSchedules(client)) branches.push(jobSchedulesNode(parent, client, pageSize, filters));
  return branches;
}

const batchChildren = (parent: TreeNode, client: BatchClientLike, options: BranchOptions): TreeNode[] =>
  accountBranches(parent, client, options.pageSize, options.filters);

/** The remote account nodes, in tree order; the Azure node is kept so its expansion and caches survive. */
export function remoteAccounts(parent: TreeNode, deps: RemoteAccountsDeps, options: BranchOptions): () => TreeNode[] {
  const azure = deps.azure ? new AzureNode(parent, deps.azure, options) : undefined;
  return () => [
    ...(deps.sharedKey?.list().map((account) => new SharedKeyAccountNode(parent, account, deps.sharedKey!, options)) ?? []),
    ...(azure ? [azure] : []),
  ];
}

/** Base of the remote nodes: collapsed items that carry the branch options down to the Pools/Jobs they lead to. */
abstract class RemoteNode extends ChildNode {
  readonly collapsible = "collapsed" as const;
  constructor(
    parent: TreeNode,
    protected readonly options: BranchOptions,
    key: string,
    label: string,
    tooltip: string,
    description?: string,
  ) {
    super(parent, key, label, tooltip, description);
  }
}

export class SharedKeyAccountNode extends RemoteNode {
  readonly contextValue = "account.sharedKey";
  readonly icon = "key";
  /** the `batch:` authority of its task and node files (tree/fileNodes.ts accountAuthority) */
  get fileAuthority(): string {
    return sharedKeyAuthority(this.account);
  }

  constructor(
    parent: TreeNode,
    readonly account: SharedKeyAccount,
    private readonly deps: SharedKeyAccountsDeps,
    options: BranchOptions,
  ) {
    super(
      parent,
      options,
      `sharedKey:${account.id}`,
      account.accountName,
      `Batch account "${account.accountName}" at ${account.url} (shared key)`,
      account.url,
    );
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

export class AzureNode extends RemoteNode {
  readonly contextValue = "azure";
  readonly icon = "azure";

  constructor(
    parent: TreeNode,
    private readonly deps: AzureDeps,
    options: BranchOptions,
  ) {
    super(parent, options, "azure", AZURE_LABEL, "Batch accounts of your Azure subscriptions (signed in with your Microsoft account)");
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

export class SubscriptionNode extends RemoteNode {
  readonly contextValue = "azure.subscription";
  readonly icon = "key";

  constructor(
    parent: TreeNode,
    readonly subscription: SubscriptionInfo,
    private readonly deps: AzureDeps,
    options: BranchOptions,
  ) {
    super(parent, options, `subscription:${subscription.subscriptionId}`, subscription.displayName, `Subscription ${subscription.subscriptionId}`);
  }

  getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    return orSignIn(this, async () => {
      const accounts = await this.deps.arm.listBatchAccounts(this.subscription.subscriptionId, signal);
      if (accounts.length === 0) return [new InfoNode(this, "No Batch accounts", { key: "none" })];
      return accounts.map((a) => new AzureBatchAccountNode(this, a, this.deps.createClient, this.options, this.deps.fileClients));
    });
  }
}

/** contextValue "account.azure": batchManager.openInPortal targets it through `resourceId` / `portalUrl`. */
export class AzureBatchAccountNode extends RemoteNode {
  readonly contextValue = "account.azure";
  readonly icon = "server-environment";
  readonly resourceId: string;
  readonly portalUrl: string;

  constructor(
    parent: TreeNode,
    readonly account: AzureBatchAccountInfo,
    private readonly createClient: AzureBatchClientFactory,
    options: BranchOptions,
    private readonly fileClients?: AzureFileClients,
  ) {
    super(parent, options, `batchAccount:${account.name}`, account.name, `${account.resourceId}\n${account.accountEndpoint}`, account.location);
    this.resourceId = account.resourceId;
    this.portalUrl = portalUrl(account.resourceId);
  }

  /** the `batch:` authority of its task and node files (tree/fileNodes.ts accountAuthority) */
  get fileAuthority(): string {
    return azureAuthority(this.account);
  }

  async getChildren(): Promise<TreeNode[]> {
    const client = this.createClient(this.account);
    this.fileClients?.remember(this.fileAuthority, client);
    return batchChildren(this, client, this.options);
  }
}
