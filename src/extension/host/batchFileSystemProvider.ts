// Why: the read-only `batch:` FileSystemProvider: stat/readDirectory/readFile of task and node files through FileAccess, plus follow sessions.

import * as vscode from "vscode";
import { errorMessage } from "../common/errors";
import { FileAccess, type BatchFilesClientLike } from "../files/batchFileClient";
import { type BatchFileRef, parseBatchPath } from "../files/batchUri";
import { type FollowEnd, Follower } from "../files/follower";
import { TailView } from "../files/tailView";

export interface BatchFileSystemDeps {
  /**
   * The client of a `batch:` authority ("local", or a shared-key account's `<name>@<host>`), undefined when that account is not
   * reachable now; a promise when it has to be looked up (a key read from secret storage).
   */
  clientFor(account: string): BatchFilesClientLike | undefined | Promise<BatchFilesClientLike | undefined>;
  /** `batchManager.files.maxOpenBytes`: how much of a file an editor shows (its tail); 0 = all. */
  maxOpenBytes(): number;
  followIntervalMs?: number;
}

/** Read-only: registered with isReadonly, and every write answers NoPermissions. */
export class BatchFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly follows = new Map<string, Follower>();
  private readonly ended = new vscode.EventEmitter<{ uri: vscode.Uri; end: FollowEnd }>();
  /** A follow session ended (task completed, unfollowed, or polling failed). */
  readonly onDidEndFollow = this.ended.event;

  constructor(private readonly deps: BatchFileSystemDeps) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined); // changes are announced by follow sessions only
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const view = this.follows.get(uri.toString())?.view;
    if (view) return { type: vscode.FileType.File, ctime: 0, mtime: view.mtime, size: view.size, permissions: vscode.FilePermission.Readonly };
    const { ref, access } = await this.resolve(uri);
    const stat = await this.call(uri, () => access.stat(ref.path));
    const max = this.deps.maxOpenBytes();
    // the size of what readFile gives (the tail), so VS Code's large-file guard judges the view, not a 1 GB log
    const size = stat.isDirectory ? 0 : max > 0 ? Math.min(stat.size, max) : stat.size;
    return {
      type: stat.isDirectory ? vscode.FileType.Directory : vscode.FileType.File,
      ctime: stat.ctime,
      mtime: stat.mtime,
      size,
      permissions: vscode.FilePermission.Readonly,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { ref, access } = await this.resolve(uri);
    const entries = await this.call(uri, () => access.listAll(ref.path));
    return entries.map((entry) => {
      const name = entry.name ?? "";
      return [name.slice(name.lastIndexOf("/") + 1), entry.isDirectory ? vscode.FileType.Directory : vscode.FileType.File];
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const view = this.follows.get(uri.toString())?.view;
    if (view) return view.content;
    const { ref, access } = await this.resolve(uri);
    return (await this.call(uri, () => TailView.open(access, ref.path, this.deps.maxOpenBytes()))).content;
  }

  /** Starts polling a task file (no-op when already followed); every appended range fires a change for `uri`. */
  async follow(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    if (this.follows.has(key)) return;
    const { ref, access } = await this.resolve(uri);
    if (ref.owner.kind !== "task") throw new Error("Only task files can be followed.");
    const view = await this.call(uri, () => TailView.open(access, ref.path, this.deps.maxOpenBytes()));
    if (this.follows.has(key)) return;
    const follower = new Follower(access, view, {
      intervalMs: this.deps.followIntervalMs,
      onChange: () => this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]),
      onEnd: (end) => {
        if (this.follows.get(key) === follower) this.follows.delete(key);
        this.ended.fire({ uri, end });
      },
    });
    this.follows.set(key, follower);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  unfollow(uri: vscode.Uri): boolean {
    const follower = this.follows.get(uri.toString());
    follower?.stop();
    return follower !== undefined;
  }

  isFollowing(uri: vscode.Uri | undefined): boolean {
    return uri !== undefined && this.follows.has(uri.toString());
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    for (const follower of [...this.follows.values()]) follower.stop();
    this.changed.dispose();
    this.ended.dispose();
  }

  private async resolve(uri: vscode.Uri): Promise<{ ref: BatchFileRef; access: FileAccess }> {
    const ref = parseBatchPath(uri.authority, uri.path);
    if (!ref) throw vscode.FileSystemError.FileNotFound(uri);
    const client = await this.deps.clientFor(ref.account);
    if (!client) throw vscode.FileSystemError.Unavailable(`The Batch account "${ref.account}" is not available (is the local Batch service running?)`);
    return { ref, access: new FileAccess(client, ref.owner) };
  }

  /** Maps service errors to FileSystemErrors (404 → FileNotFound) so editors and explorers react as for any file system. */
  private async call<T>(uri: vscode.Uri, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) throw vscode.FileSystemError.FileNotFound(uri);
      if (status === 403) throw vscode.FileSystemError.NoPermissions(`${uri.toString()}: ${errorMessage(error)}`);
      throw vscode.FileSystemError.Unavailable(`${uri.toString()}: ${errorMessage(error)}`);
    }
  }
}
