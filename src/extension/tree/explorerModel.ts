// Why: the explorer's vscode-free model: roots, child loading that never throws, refresh/retry/"load more", and change notification.

import type { Logger } from "../../local/logger";
import { errorMessage } from "../errors";
import { AccountsNode, type LocalServiceProbe } from "./accountNodes";
import { DEFAULT_PAGE_SIZE, LoadMoreNode, PagedNode } from "./paging";
import { ErrorNode, type TreeNode } from "./treeNode";

export interface ExplorerModelDeps {
  readonly localService: LocalServiceProbe;
  readonly logger?: Logger;
  /** maxResults per list page (a number, or read on every request so a setting change applies) */
  readonly pageSize?: number | (() => number);
}

export type ChangeListener = (node: TreeNode | undefined) => void;

export class ExplorerModel {
  private readonly rootNodes: readonly TreeNode[];
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly deps: ExplorerModelDeps) {
    const size = deps.pageSize ?? DEFAULT_PAGE_SIZE;
    const pageSize = typeof size === "function" ? size : () => size;
    this.rootNodes = [new AccountsNode(deps.localService, { pageSize })];
  }

  roots(): TreeNode[] {
    return [...this.rootNodes];
  }

  /** Children of `node` (roots when undefined). Never rejects: a failure becomes a single ErrorNode. */
  async children(node?: TreeNode, signal?: AbortSignal): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (!node.getChildren) return [];
    try {
      return await node.getChildren(signal);
    } catch (error) {
      const message = errorMessage(error);
      this.deps.logger?.error(`Loading children of "${node.id}" failed: ${message}`);
      return [new ErrorNode(node, message)];
    }
  }

  /** Ask views to reload `node` (everything when undefined); its cached pages are dropped. */
  refresh(node?: TreeNode): void {
    this.deps.logger?.debug(`Refreshing ${node ? `"${node.id}"` : "the explorer"}`);
    node?.invalidate?.();
    this.fire(node);
  }

  /** What clicking an error item does: reload the branch that failed. */
  retry(node?: TreeNode): void {
    this.refresh(node instanceof ErrorNode ? node.parent : node);
  }

  /** Loads the next page of a paged node (given it or its "Load more…" item) and shows it. Rejects when the call fails. */
  async loadMore(node: TreeNode, signal?: AbortSignal): Promise<void> {
    const target = node instanceof LoadMoreNode ? node.parent : node;
    if (!(target instanceof PagedNode)) return;
    await target.loadMore(signal);
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
