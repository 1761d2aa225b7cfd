// Why: one paged-list node behaviour for every Batch list (pools, nodes, jobs, tasks): maxResults pages, $select, "Load more…".

import { CommandId } from "../ids";
import type { ListPage, ListQuery } from "./batchClientLike";
import type { NodeCommand, TreeNode } from "./treeNode";

export const LOAD_MORE_LABEL = "Load more…";
export const DEFAULT_PAGE_SIZE = 50;

/** Where a paged node's items come from: the first page with its query, then the service's next links. */
export interface PageSource<T> {
  first(query: ListQuery, signal?: AbortSignal): Promise<ListPage<T>>;
  next(nextLink: string, signal?: AbortSignal): Promise<ListPage<T>>;
}

export interface PagedNodeOptions<T> {
  readonly source: PageSource<T>;
  /** `$select`: only the properties the child nodes show */
  readonly select: string;
  readonly pageSize: () => number;
  readonly toNode: (item: T, parent: PagedNode<T>) => TreeNode;
  readonly description?: string;
  readonly tooltip?: string;
}

/** A container whose children are loaded page by page; the loaded pages are kept until invalidate(). */
export class PagedNode<T> implements TreeNode {
  readonly collapsible = "collapsed" as const;
  readonly id: string;
  readonly description?: string;
  readonly tooltip?: string;
  private loaded: TreeNode[] | undefined;
  private nextLink: string | undefined;

  constructor(
    readonly parent: TreeNode,
    key: string,
    readonly label: string,
    readonly icon: string,
    readonly contextValue: string,
    private readonly options: PagedNodeOptions<T>,
  ) {
    this.id = `${parent.id}/${key}`;
    this.description = options.description;
    this.tooltip = options.tooltip;
  }

  /** True when the service said there is another page (`odata.nextLink`). */
  get hasMore(): boolean {
    return this.nextLink !== undefined;
  }

  async getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    if (!this.loaded) {
      const page = await this.options.source.first({ maxResults: this.options.pageSize(), select: this.options.select }, signal);
      this.loaded = page.map((item) => this.options.toNode(item, this));
      this.nextLink = page.odatanextLink || undefined;
    }
    const children = [...this.loaded];
    if (this.nextLink) children.push(new LoadMoreNode(this, this.loaded.length));
    return children;
  }

  /** Appends the next page to the loaded children (no-op without a next link). */
  async loadMore(signal?: AbortSignal): Promise<void> {
    if (!this.loaded || !this.nextLink) return;
    const page = await this.options.source.next(this.nextLink, signal);
    this.loaded.push(...page.map((item) => this.options.toNode(item, this)));
    this.nextLink = page.odatanextLink || undefined;
  }

  invalidate(): void {
    this.loaded = undefined;
    this.nextLink = undefined;
  }
}

// `any`: a LoadMoreNode belongs to a PagedNode of any item type.
/** The last child of a PagedNode while the service has more; clicking it runs batchManager.loadMore. */
export class LoadMoreNode implements TreeNode {
  readonly label = LOAD_MORE_LABEL;
  readonly contextValue = "loadMore";
  readonly collapsible = "none" as const;
  readonly icon = "ellipsis";
  readonly id: string;
  readonly description: string;
  readonly command: NodeCommand = { id: CommandId.loadMore, title: LOAD_MORE_LABEL };
  constructor(
    readonly parent: PagedNode<any>,
    shown: number,
  ) {
    this.id = `${parent.id}/more`;
    this.description = `${shown} shown`;
  }
}
