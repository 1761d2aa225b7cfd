// Why: one paged-list node behaviour for every Batch list (pools, nodes, jobs, tasks): maxResults pages, $select, "Load more…".

import { errorMessage, isUserCancelled } from "../common/errors";
import { CommandId } from "../common/ids";
import type { ListPage, ListQuery } from "../common/batchClientLike";
import { ErrorNode, InfoNode, type NodeCommand, type TreeNode } from "./treeNode";

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
  /** The item may still change by itself (auto-refresh watches it) */
  readonly active?: boolean;
  /** The active `$filter` of this list, read on every first-page load (tree/filters.ts) */
  readonly filter?: () => ListFilter | undefined;
  /** What the items are ("tasks"), for the row a filter that matches nothing shows ("No tasks match the filter …") */
  readonly itemsName?: string;
  /** Extra reads per loaded page before its nodes are built (task counts, progress); bounded by the caller */
  readonly decorate?: (items: T[], signal?: AbortSignal) => Promise<T[]>;
}

/** An OData `$filter` with the short label the parent's description shows. */
export interface ListFilter {
  readonly label: string;
  readonly odata: string;
}

/**
 * A container whose children are loaded page by page; the loaded pages are kept until invalidate(). markStale() makes the next
 * getChildren read as many pages again and update the children in place (auto-refresh), so "Load more…" pages survive it.
 */
export class PagedNode<T> implements TreeNode {
  readonly collapsible = "collapsed" as const;
  readonly id: string;
  tooltip?: string;
  active?: boolean;
  private loaded: TreeNode[] | undefined;
  /** how many pages `loaded` holds (a reload in place reads as many) */
  private pages = 0;
  private stale = false;
  private nextLink: string | undefined;
  /** Why the last "Load more…" failed; shown as an error item (with a retry) after the loaded pages. */
  private moreError: string | undefined;

  constructor(
    readonly parent: TreeNode,
    key: string,
    readonly label: string,
    public icon: string,
    public contextValue: string,
    private options: PagedNodeOptions<T>,
  ) {
    this.id = `${parent.id}/${key}`;
    this.tooltip = options.tooltip;
    this.active = options.active;
  }

  /** The node's own description, plus the filter its children are listed with. */
  get description(): string | undefined {
    const filter = this.options.filter?.();
    if (!filter) return this.options.description;
    return this.options.description ? `${this.options.description} · filter: ${filter.label}` : `filter: ${filter.label}`;
  }

  /** True when the service said there is another page (`odata.nextLink`). */
  get hasMore(): boolean {
    return this.nextLink !== undefined;
  }

  async getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    if (!this.loaded) {
      const page = await this.options.source.first(this.firstQuery(), signal);
      this.loaded = (await this.decorated(page, signal)).map((item) => this.options.toNode(item, this));
      this.pages = 1;
      this.nextLink = page.odatanextLink || undefined;
    } else if (this.stale) {
      await this.reloadInPlace(signal);
    }
    const children = [...this.loaded];
    const filter = this.options.filter?.();
    if (children.length === 0 && filter && !this.nextLink) return [new NoMatchNode(this, this.options.itemsName ?? "items", filter)];
    if (this.nextLink) children.push(this.moreError !== undefined ? new LoadMoreErrorNode(this, this.moreError) : new LoadMoreNode(this, this.loaded.length));
    return children;
  }

  /**
   * Appends the next page to the loaded children (no-op without a next link). On failure the loaded pages stay,
   * the error is remembered (getChildren then ends with a LoadMoreErrorNode instead of "Load more…") and rethrown.
   */
  async loadMore(signal?: AbortSignal): Promise<void> {
    if (!this.loaded || !this.nextLink) return;
    try {
      const page = await this.options.source.next(this.nextLink, signal);
      const nodes = (await this.decorated(page, signal)).map((item) => this.options.toNode(item, this));
      this.loaded.push(...nodes);
      this.pages++;
      this.nextLink = page.odatanextLink || undefined;
      this.moreError = undefined;
    } catch (error) {
      if (!signal?.aborted && !isUserCancelled(error)) this.moreError = errorMessage(error);
      throw error;
    }
  }

  invalidate(): void {
    this.loaded = undefined;
    this.pages = 0;
    this.stale = false;
    this.nextLink = undefined;
    this.moreError = undefined;
  }

  markStale(): void {
    if (this.loaded) this.stale = true;
  }

  /** The same job, pool or folder read again: its texts and options change, its loaded pages stay (they reload when stale). */
  update(fresh: TreeNode): void {
    if (!(fresh instanceof PagedNode) || fresh.id !== this.id) return;
    this.icon = fresh.icon;
    this.contextValue = fresh.contextValue;
    this.tooltip = fresh.tooltip;
    this.active = fresh.active;
    this.options = fresh.options as PagedNodeOptions<T>;
  }

  /**
   * Reads as many pages as are loaded and updates the children in place: a child still listed keeps its node (update() takes
   * the fresh texts), new ones are added, gone ones dropped. On failure or abort the loaded children stay as they were (and stay stale).
   */
  private async reloadInPlace(signal?: AbortSignal): Promise<void> {
    let page = await this.options.source.first(this.firstQuery(), signal);
    const items = await this.decorated(page, signal);
    let pages = 1;
    while (pages < this.pages && page.odatanextLink) {
      page = await this.options.source.next(page.odatanextLink, signal);
      items.push(...(await this.decorated(page, signal)));
      pages++;
    }
    signal?.throwIfAborted(); // an aborted reload changes nothing
    const current = new Map((this.loaded ?? []).map((node) => [node.id, node]));
    const seen = new Set<string>();
    const children: TreeNode[] = [];
    for (const item of items) {
      const fresh = this.options.toNode(item, this);
      if (seen.has(fresh.id)) continue; // the list moved between two page reads
      seen.add(fresh.id);
      const existing = current.get(fresh.id);
      if (existing?.update) {
        existing.update(fresh);
        existing.markStale?.();
        children.push(existing);
      } else children.push(fresh);
    }
    this.loaded = children;
    this.pages = pages;
    this.nextLink = page.odatanextLink || undefined;
    this.moreError = undefined;
    this.stale = false;
  }

  private firstQuery(): ListQuery {
    const filter = this.options.filter?.()?.odata;
    return { maxResults: this.options.pageSize(), select: this.options.select, ...(filter ? { filter } : {}) };
  }

  private decorated(page: ListPage<T>, signal?: AbortSignal): Promise<T[]> {
    return this.options.decorate ? this.options.decorate([...page], signal) : Promise.resolve([...page]);
  }
}

/** A node whose children come in pages: a PagedNode, or a node showing one's pages as its own (tree/fileNodes.ts). */
export interface Pageable extends TreeNode {
  loadMore(signal?: AbortSignal): Promise<void>;
}

export const isPageable = (node: TreeNode | undefined): node is Pageable => typeof (node as Partial<Pageable> | undefined)?.loadMore === "function";

/** The last child of a paged list while the service has more; clicking it runs batchManager.loadMore. */
export class LoadMoreNode implements TreeNode {
  readonly label = LOAD_MORE_LABEL;
  readonly contextValue = "loadMore";
  readonly collapsible = "none" as const;
  readonly icon = "ellipsis";
  readonly id: string;
  readonly description: string;
  readonly command: NodeCommand = { id: CommandId.loadMore, title: LOAD_MORE_LABEL };
  constructor(
    readonly parent: Pageable,
    shown: number,
  ) {
    this.id = `${parent.id}/more`;
    this.description = `${shown} shown`;
  }
}

/**
 * The last child of a paged list whose "Load more…" failed (the pages already loaded stay above it).
 * Clicking it (batchManager.retry) re-attempts the next page, not the whole list.
 */
export class LoadMoreErrorNode extends ErrorNode {
  constructor(
    override readonly parent: Pageable,
    message: string,
  ) {
    super(parent, message, "more");
  }
}

/** The one row of a filtered list that matched nothing, so an empty branch is not mistaken for a failed or empty account. */
export class NoMatchNode extends InfoNode {
  override readonly contextValue = "noMatch";
  constructor(parent: TreeNode, itemsName: string, filter: ListFilter) {
    super(parent, `No ${itemsName} match the filter "${filter.label}"`, {
      key: "no-match",
      icon: "filter",
      tooltip: `${filter.odata}\nClear Filters (or pick another filter) to see more.`,
    });
  }
}
