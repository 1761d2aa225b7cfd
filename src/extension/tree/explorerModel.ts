// Why: the explorer's vscode-free model: roots, child loading that never throws, refresh/retry/"load more", and change notification.

import type { Logger } from "../../local/common/logger";
import { errorMessage, isUserCancelled } from "../common/errors";
import { AccountsNode, type LocalServiceProbe } from "./accountNodes";
import { FilterStore } from "./filters";
import { DEFAULT_PAGE_SIZE, isPageable, LoadMoreErrorNode, LoadMoreNode } from "./paging";
import { isAuthError } from "../accounts/azureCredentials";
import type { RemoteAccountsDeps } from "./remoteAccountNodes";
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
  /** Loaded parents with at least one active child, by id: what auto-refresh reloads. */
  private readonly watched = new Map<string, TreeNode>();

  constructor(private readonly deps: ExplorerModelDeps) {
    const size = deps.pageSize ?? DEFAULT_PAGE_SIZE;
    const pageSize = typeof size === "function" ? size : () => size;
    this.rootNodes = [new AccountsNode(deps.localService, { pageSize, filters: this.filters, remote: deps.remoteAccounts })];
  }

  roots(): TreeNode[] {
    return [...this.rootNodes];
  }

  /** Children of `node` (roots when undefined). Never rejects: a failure becomes a single ErrorNode. */
  async children(node?: TreeNode, signal?: AbortSignal): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (!node.getChildren) return [];
    try {
      const children = await node.getChildren(signal);
      if (children.some((child) => child.active)) this.watched.set(node.id, node);
      else this.watched.delete(node.id);
      return children;
    } catch (error) {
      const message = errorMessage(error);
      this.deps.logger?.error(`Loading children of "${node.id}" failed: ${message}`);
      return [isAuthError(error) ? new SignInNode(node, message) : new ErrorNode(node, message)];
    }
  }

  /** Ask views to reload `node` (everything when undefined); its cached pages are dropped. */
  refresh(node?: TreeNode): void {
    this.deps.logger?.debug(`Refreshing ${node ? `"${node.id}"` : "the explorer"}`);
    node?.invalidate?.();
    this.forgetBelow(node);
    this.fire(node);
  }

  /**
   * The loaded branches showing something active, outermost only (reloading a parent reloads what is under it).
   * Auto-refresh reloads these; a branch drops out once a reload shows nothing active in it.
   */
  activeBranches(): TreeNode[] {
    const nodes = [...this.watched.values()];
    return nodes.filter((node) => !nodes.some((other) => other !== node && node.id.startsWith(`${other.id}/`)));
  }

  /**
   * Reloads every active branch; returns them (none: nothing to do). Branches that can (paged lists) are reloaded in place:
   * every loaded page is read again and their items updated, so "Load more…" pages and expanded items survive the reload.
   */
  refreshActive(): TreeNode[] {
    for (const node of this.watched.values()) node.markStale?.();
    const branches = this.activeBranches();
    for (const node of branches) {
      if (node.markStale) this.fire(node);
      else this.refresh(node);
    }
    return branches;
  }

  private forgetBelow(node: TreeNode | undefined): void {
    for (const id of [...this.watched.keys()]) {
      if (!node || id.startsWith(`${node.id}/`)) this.watched.delete(id);
    }
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

  private fire(node: TreeNode | undefined): void {
    for (const listener of [...this.listeners]) listener(node);
  }
}
