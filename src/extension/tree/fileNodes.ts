// Why: task and node files in the explorer (stdout.txt, wd/…, startup/…) as a paged folder tree; clicking a file opens its `batch:` URI.

import { directChildren, FileAccess, filesClientOf, type NodeFileLike } from "../files/batchFileClient";
import { type BatchFileRef, type FileOwner, formatBatchUri, isFollowable, LOCAL_AUTHORITY } from "../files/batchUri";
import { formatBytes } from "../files/tailView";
import { CommandId } from "../common/ids";
import { LoadMoreErrorNode, LoadMoreNode, type PageSource, PagedNode } from "./paging";
import type { Collapsible, NodeCommand, TreeNode } from "./treeNode";

export const FOLDER_CONTEXT = "batchFolder";
export const FILE_CONTEXT = "batchFile";

/**
 * The `batch:` authority of the account a node belongs to: "local", or what its account item (shared-key, or Azure under
 * its subscription) says in its `fileAuthority`; undefined outside an account.
 */
export function accountAuthority(node: TreeNode | undefined): string | undefined {
  for (let current = node; current; current = current.parent) {
    if (current.id === "accounts/local") return LOCAL_AUTHORITY;
    const authority = (current as { fileAuthority?: unknown }).fileAuthority;
    if (typeof authority === "string") return authority;
  }
  return undefined;
}

/** The direct children of `folder` ("" = the owner's directory), page by page. */
function folderSource(access: FileAccess, folder: string): PageSource<NodeFileLike> {
  return {
    first: async (query, signal) => directChildren(folder, await access.listFirst(folder, query.maxResults ?? 1000, signal)),
    next: async (link, signal) => directChildren(folder, await access.listNext(link, signal)),
  };
}

interface FolderContext {
  readonly access: FileAccess;
  readonly account: string;
  readonly pageSize: () => number;
}

/** A leaf for one file; its command opens the file read-only through the `batch:` file system. */
export class FileNode implements TreeNode {
  readonly collapsible = "none" as const;
  readonly id: string;
  readonly label: string;
  description: string;
  tooltip: string;
  readonly contextValue: string;
  readonly icon = "file";
  readonly uri: string;
  readonly command: NodeCommand;
  constructor(
    readonly parent: TreeNode,
    readonly ref: BatchFileRef,
    size: number | undefined,
  ) {
    this.label = ref.path.slice(ref.path.lastIndexOf("/") + 1);
    this.id = `${parent.id}/file:${this.label}`;
    this.uri = formatBatchUri(ref);
    this.description = size === undefined ? "" : formatBytes(size);
    this.tooltip = `${ref.path}${size === undefined ? "" : ` (${size} bytes)`}`;
    this.contextValue = isFollowable(ref) ? `${FILE_CONTEXT} followable` : FILE_CONTEXT;
    this.command = { id: CommandId.filesOpen, title: "Open", args: [this.uri] };
  }

  /** The same file listed again: its size. */
  update(fresh: TreeNode): void {
    if (!(fresh instanceof FileNode) || fresh.id !== this.id) return;
    this.description = fresh.description;
    this.tooltip = fresh.tooltip;
  }
}

function entryNode(parent: TreeNode, entry: NodeFileLike, context: FolderContext): TreeNode {
  const path = entry.name ?? "?";
  const ref: BatchFileRef = { account: context.account, owner: context.access.owner, path };
  if (!entry.isDirectory) return new FileNode(parent, ref, entry.properties?.contentLength);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return new PagedNode<NodeFileLike>(parent, `dir:${name}`, name, "folder", FOLDER_CONTEXT, {
    tooltip: path,
    select: "",
    pageSize: context.pageSize,
    source: folderSource(context.access, path),
    toNode: (child, folder) => entryNode(folder, child, context),
  });
}

/** A node that shows paged children through a FileChildren (TaskNode, ComputeNodeNode). */
export interface FileOwnerNode extends TreeNode {
  loadMore(signal?: AbortSignal): Promise<void>;
}

/**
 * The files of a task or compute node as that node's own children. The paging is an inner PagedNode's (never shown);
 * its "Load more…" item is re-parented to the owner so the explorer reloads the owner.
 */
export class FileChildren {
  private readonly list: PagedNode<NodeFileLike>;

  constructor(
    private readonly owner: FileOwnerNode,
    context: FolderContext,
  ) {
    this.list = new PagedNode<NodeFileLike>(owner, "files", "files", "folder", FOLDER_CONTEXT, {
      select: "",
      pageSize: context.pageSize,
      source: folderSource(context.access, ""),
      toNode: (entry) => entryNode(owner, entry, context),
    });
  }

  async children(signal?: AbortSignal): Promise<TreeNode[]> {
    const children = await this.list.getChildren(signal);
    return children.map((child) =>
      child instanceof LoadMoreNode
        ? new LoadMoreNode(this.owner, children.length - 1)
        : child instanceof LoadMoreErrorNode
          ? new LoadMoreErrorNode(this.owner, child.message)
          : child,
    );
  }

  loadMore(signal?: AbortSignal): Promise<void> {
    return this.list.loadMore(signal);
  }

  invalidate(): void {
    this.list.invalidate();
  }

  markStale(): void {
    this.list.markStale();
  }
}

/** Base of TaskNode and ComputeNodeNode: an item whose children are its files, collapsible only when it has them. */
export abstract class FileOwnerItem implements FileOwnerNode {
  abstract readonly contextValue: string;
  readonly id: string;
  readonly label: string;
  private readonly ownFiles?: FileChildren;

  /**
   * `kind`: the id segment ("task", "node") before the item's id; `itemId`: the task's or node's Batch id (Copy Id copies it);
   * `files`: from fileChildrenFor (they need only the id and parent); `label`: what the tree shows (default: the Batch id).
   */
  constructor(
    readonly parent: TreeNode,
    kind: string,
    readonly itemId: string,
    files?: (node: FileOwnerNode) => FileChildren | undefined,
    label?: string,
  ) {
    this.id = `${parent.id}/${kind}:${itemId}`;
    this.label = label ?? itemId;
    this.ownFiles = files?.(this);
  }

  /** The item's files (stdout.txt, wd/… of a task; startup/, shared/… of a node), when the client can list them. */
  get files(): FileChildren | undefined {
    return this.ownFiles;
  }

  get collapsible(): Collapsible {
    return this.ownFiles ? "collapsed" : "none";
  }

  async getChildren(signal?: AbortSignal): Promise<TreeNode[]> {
    return this.ownFiles ? this.ownFiles.children(signal) : [];
  }

  async loadMore(signal?: AbortSignal): Promise<void> {
    await this.ownFiles?.loadMore(signal);
  }

  invalidate(): void {
    this.ownFiles?.invalidate();
  }

  markStale(): void {
    this.ownFiles?.markStale();
  }

  /** The same task or node read again: its texts change, its files (loaded, maybe expanded) stay and reload when stale. */
  update(fresh: TreeNode): void {
    if (fresh.id !== this.id || fresh.constructor !== this.constructor) return;
    const presentation = this as unknown as Record<string, unknown>;
    for (const key of PRESENTATION) presentation[key] = fresh[key];
  }
}

/** What a FileOwnerItem subclass shows of its item (TaskNode, ComputeNodeNode): update() takes these over. */
const PRESENTATION = ["description", "tooltip", "icon", "contextValue", "active"] as const;

/**
 * What a TaskNode or ComputeNodeNode passes to show files: undefined when the client cannot list files (test fakes)
 * or the account has no `batch:` authority yet.
 */
export function fileChildrenFor(client: unknown, owner: FileOwner, pageSize: () => number): ((node: FileOwnerNode) => FileChildren | undefined) | undefined {
  const files = filesClientOf(client);
  if (!files) return undefined;
  return (node) => {
    const account = accountAuthority(node);
    return account ? new FileChildren(node, { access: new FileAccess(files, owner), account, pageSize }) : undefined;
  };
}
