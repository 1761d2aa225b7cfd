// Why: the explorer's vscode-free model: roots, child loading that never throws, refresh/retry/"load more", auto-refresh that redraws only what changed, and change notification.

import type { Logger } from "../../local/common/logger";
import { errorMessage, isUserCancelled } from "../common/errors";
import { AccountsNode, type LocalServiceProbe } from "./accountNodes";
import { type BranchReloadHooks, outermost, reloadShownBranch } from "./branchReload";
import { FilterStore } from "./filters";
import { DEFAULT_PAGE_SIZE, isPageable, LoadMoreErrorNode, LoadMoreNode } from "./paging";
import { isAuthError } from "../accounts/azureCredentials";
import type { RemoteAccountsDeps } from "./remoteAccountNodes";
import { ShownTree } from "./shownTree";
import { SignInNode } from "./signInNode";
import { ErrorNode, type TreeNode } from "./treeNode";

export interface ExplorerModelDeps {
  readonly localService: LocalServiceProbe;
  readonly logger?: Logger;
  /** maxResults per list page (a number, or read on every request so a setting change applies) */
  readonly pageSize?: number | (() => number);
  /** shared-key and Azure accounts (none when absent) */
  readonly remoteAccounts?: RemoteAccountsDeps;
}

export type ChangeListener = (node: TreeNode | undefined) => void;

export class ExplorerModel {
  private readonly rootNodes: readonly TreeNode[];
  private readonly listeners = new Set<ChangeListener>();
  /** The job/task filters the list calls use (batchManager.filterJobs / filterTasks). */
  readonly filters = new FilterStore();
  /** Loaded parents with at least one active child, by id (the node last asked for its children): what auto-refresh reloads. */
  private readonly watched = new Map<string, TreeNode>();
  /** What the views were handed: auto-refresh compares a reload with it, and redraws only what differs. */
  private readonly shown = new ShownTree();
  /** In-place reloads under way (auto-refresh, an expand), and the manual refreshes made while any was: see superseded(). */
  private reloadsInFlight = 0;
  private refreshSeq = 0;
  private readonly refreshedDuringReloads: { readonly seq: number; readonly id: string | undefined }[] = [];

  constructor(private readonly deps: ExplorerModelDeps) {
    const size = deps.pageSize ?? DEFAULT_PAGE_SIZE;
    const pageSize = typeof size === "function" ? size : () => size;
    this.rootNodes = [new AccountsNode(deps.localService, { pageSize, filters: this.filters, remote: deps.remoteAccounts })];
  }

  roots(): TreeNode[] {
    return [...this.rootNodes];
  }

  /** Children of `node` (roots when undefined), as a view asks for them. Never rejects: a failure becomes a single ErrorNode. */
  async children(node?: TreeNode, signal?: AbortSignal): Promise<TreeNode[]> {
    const children = await this.load(node, signal);
    this.shown.handed(node, children);
    return children;
  }

  private async load(node: TreeNode | undefined, signal?: AbortSignal): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (!node.getChildren) return [];
    try {
      const children = await node.getChildren(signal);
      this.watch(node, children);
      return children;
    } catch (error) {
      const message = errorMessage(error);
      this.deps.logger?.error(`Loading children of "${node.id}" failed: ${message}`);
      return [isAuthError(error) ? new SignInNode(node, message) : new ErrorNode(node, message)];
    }
  }

  private watch(node: TreeNode, children: readonly TreeNode[]): void {
    if (children.some((child) => child.active)) this.watched.set(node.id, node);
    else this.watched.delete(node.id);
  }

  /** Ask views to reload `node` (everything when undefined); its cached pages are dropped. */
  refresh(node?: TreeNode): void {
    this.deps.logger?.debug(`Refreshing ${node ? `"${node.id}"` : "the explorer"}`);
    node?.invalidate?.();
    this.forgetBelow(node);
    this.refreshSeq++;
    if (this.reloadsInFlight > 0) this.refreshedDuringReloads.push({ seq: this.refreshSeq, id: node?.id });
    this.fire(node);
  }

  /**
   * Whether `node` was refreshed by hand (it, a node above it, or everything) after a reload that began at `since`: that
   * reload read it before the refresh, so what it read must neither be handed to the views nor redrawn over what the
   * views asked for since.
   */
  private superseded(node: TreeNode, since: number): boolean {
    return this.refreshedDuringReloads.some(
      (refresh) => refresh.seq > since && (refresh.id === undefined || node.id === refresh.id || node.id.startsWith(`${refresh.id}/`)),
    );
  }

  /**
   * The loaded branches showing something active, outermost only (reloading a branch reloads what is shown under it).
   * Auto-refresh reloads these; a branch drops out once a reload shows nothing active in it, or once it is refreshed.
   */
  activeBranches(): TreeNode[] {
    for (const [id, node] of this.watched) if (!this.shown.childrenOf(node)) this.watched.delete(id);
    return outermost([...this.watched.values()]);
  }

  /**
   * Auto-refresh: reloads every active branch in place FIRST (every loaded "Load more…" page is read again, expanded items keep their
   * nodes and are reloaded too), then tells the views about exactly what changed: an item whose rendering changed, a node whose list of
   * children changed; nothing when nothing did, so nothing is redrawn (a redraw drops the commands of the items it redraws). A failed
   * reload keeps what is shown. Resolves with the branches reloaded; when `signal` aborts, with none and without telling the views.
   */
  async refreshActive(signal?: AbortSignal): Promise<TreeNode[]> {
    const branches = this.activeBranches();
    const inPlace = branches.filter((node) => node.markStale);
    if (!(await this.reloadAndRedraw(inPlace, signal))) return [];
    // a branch that cannot reload in place is dropped and loaded again as the views ask for it
    for (const branch of branches.filter((node) => !node.markStale)) this.refresh(branch);
    return branches;
  }

  /**
   * The view expanded or collapsed `node` (TreeView.onDidExpandElement / onDidCollapseElement). While collapsed, auto-refresh
   * does not read what is under it (it is only marked stale); once expanded again, what it shows is read again at once and
   * whatever changed is redrawn, as auto-refresh would.
   */
  async setExpanded(node: TreeNode, expanded: boolean): Promise<void> {
    const wasCollapsed = this.shown.isCollapsed(node);
    this.shown.setExpanded(node, expanded);
    if (expanded && wasCollapsed && node.markStale && this.shown.childrenOf(node)) await this.reloadAndRedraw([node]);
  }

  /** Reloads `branches` in place, then fires for the outermost items whose rendering or list of children changed; false when `signal` aborted. */
  private async reloadAndRedraw(branches: readonly TreeNode[], signal?: AbortSignal): Promise<boolean> {
    this.reloadsInFlight++;
    try {
      return await this.reloadThenRedraw(branches, this.refreshSeq, signal);
    } finally {
      if (--this.reloadsInFlight === 0) this.refreshedDuringReloads.length = 0;
    }
  }

  private async reloadThenRedraw(branches: readonly TreeNode[], since: number, signal?: AbortSignal): Promise<boolean> {
    const redraw: TreeNode[] = [];
    const reloaded: [TreeNode, readonly TreeNode[]][] = [];
    const hooks: BranchReloadHooks = {
      loaded: (node, children) => {
        this.watch(node, children);
        reloaded.push([node, children]);
      },
      failed: (node, error) => this.deps.logger?.warn(`Auto-refresh of "${node.id}" failed (its loaded items stay): ${errorMessage(error)}`),
    };
    for (const branch of branches) {
      try {
        redraw.push(...(await reloadShownBranch(branch, this.shown, hooks, signal)));
      } catch (error) {
        if (signal?.aborted) return false;
        this.deps.logger?.error(`Auto-refresh of "${branch.id}" failed: ${errorMessage(error)}`);
      }
    }
    for (const node of outermost(redraw.filter((each) => !this.superseded(each, since)))) {
      // a redraw shows what was reloaded under the node (a view asks again for what it shows expanded, the rest when expanded)
      for (const [parent, children] of reloaded)
        if ((parent === node || parent.id.startsWith(`${node.id}/`)) && !this.superseded(parent, since)) this.shown.handed(parent, children);
      this.fire(node);
    }
    return true;
  }

  private forgetBelow(node: TreeNode | undefined): void {
    for (const id of [...this.watched.keys()]) if (!node || id.startsWith(`${node.id}/`)) this.watched.delete(id);
    this.shown.forgetChildren(node);
  }

  /** What clicking an error item does: reload the branch that failed (a failed "Load more…": try the next page again). */
  retry(node?: TreeNode): void {
    if (node instanceof LoadMoreErrorNode) return void this.loadMore(node);
    this.refresh(node instanceof ErrorNode ? node.parent : node);
  }

  /**
   * Loads the next page of a paged node (given it, its "Load more…" item or its load-more error item) and shows it.
   * Never rejects: a failure keeps the loaded pages and ends the list with an error item whose retry tries the page again.
   */
  async loadMore(node: TreeNode, signal?: AbortSignal): Promise<void> {
    const target = node instanceof LoadMoreNode || node instanceof LoadMoreErrorNode ? node.parent : node;
    if (!isPageable(target)) return;
    try {
      await target.loadMore(signal);
    } catch (error) {
      if (signal?.aborted || isUserCancelled(error)) return;
      this.deps.logger?.error(`Loading more children of "${target.id}" failed: ${errorMessage(error)}`);
    }
    this.fire(target);
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Tells the views to redraw `node` and everything under it (everything when undefined). */
  private fire(node: TreeNode | undefined): void {
    if (node) this.shown.redrawn(node);
    for (const listener of [...this.listeners]) listener(node);
  }
}
