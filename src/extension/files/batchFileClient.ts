// Why: the slice of @azure/batch's `file` and `task` operations the file views need, plus one FileAccess per owner (task or node) over it.

import type { AbortSignalish, ListPage } from "../common/batchClientLike";
import type { FileOwner } from "./batchUri";

export interface NodeFileLike {
  name?: string;
  isDirectory?: boolean;
  properties?: { contentLength?: number; lastModified?: Date; creationTime?: Date };
}

export interface FilePropertiesLike {
  contentLength?: number;
  lastModified?: Date;
  ocpCreationTime?: Date;
  ocpBatchFileIsdirectory?: boolean;
}

interface Aborting {
  abortSignal?: AbortSignalish;
}
type Range = { ocpRange?: string };
type ListOptions = { filter?: string; maxResults?: number };
type Body = { readableStreamBody?: NodeJS.ReadableStream };

/** A real `BatchServiceClient` is assignable to this (checked in local/batchClient.ts). */
export interface BatchFilesClientLike {
  readonly file: {
    listFromTask(
      jobId: string,
      taskId: string,
      options?: Aborting & { recursive?: boolean; fileListFromTaskOptions?: ListOptions },
    ): Promise<ListPage<NodeFileLike>>;
    listFromTaskNext(link: string, options?: Aborting): Promise<ListPage<NodeFileLike>>;
    getFromTask(jobId: string, taskId: string, path: string, options?: Aborting & { fileGetFromTaskOptions?: Range }): Promise<Body>;
    getPropertiesFromTask(jobId: string, taskId: string, path: string, options?: Aborting): Promise<FilePropertiesLike>;
    listFromComputeNode(
      poolId: string,
      nodeId: string,
      options?: Aborting & { recursive?: boolean; fileListFromComputeNodeOptions?: ListOptions },
    ): Promise<ListPage<NodeFileLike>>;
    listFromComputeNodeNext(link: string, options?: Aborting): Promise<ListPage<NodeFileLike>>;
    getFromComputeNode(poolId: string, nodeId: string, path: string, options?: Aborting & { fileGetFromComputeNodeOptions?: Range }): Promise<Body>;
    getPropertiesFromComputeNode(poolId: string, nodeId: string, path: string, options?: Aborting): Promise<FilePropertiesLike>;
  };
  readonly task: {
    get(jobId: string, taskId: string, options?: Aborting & { taskGetOptions?: { select?: string } }): Promise<{ state?: string }>;
  };
}

/** The explorer's client carries file operations when it is a real BatchServiceClient; fakes without them show no files. */
export function filesClientOf(client: unknown): BatchFilesClientLike | undefined {
  const candidate = client as Partial<BatchFilesClientLike> | undefined;
  return typeof candidate?.file?.listFromTask === "function" &&
    typeof candidate.file.listFromComputeNode === "function" &&
    typeof candidate.task?.get === "function"
    ? (candidate as BatchFilesClientLike)
    : undefined;
}

export interface FileStat {
  readonly isDirectory: boolean;
  readonly size: number;
  readonly mtime: number;
  readonly ctime: number;
}

/** An OData string literal for `startswith(name,'…')`. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Every file operation of one task or node, independent of which it is. */
export class FileAccess {
  constructor(
    private readonly client: BatchFilesClientLike,
    readonly owner: FileOwner,
  ) {}

  async stat(path: string, signal?: AbortSignalish): Promise<FileStat> {
    if (path === "") return { isDirectory: true, size: 0, mtime: 0, ctime: 0 };
    const { file } = this.client;
    const owner = this.owner;
    const props =
      owner.kind === "task"
        ? await file.getPropertiesFromTask(owner.jobId, owner.taskId, path, { abortSignal: signal })
        : await file.getPropertiesFromComputeNode(owner.poolId, owner.nodeId, path, { abortSignal: signal });
    const mtime = props.lastModified?.getTime() ?? 0;
    return {
      isDirectory: props.ocpBatchFileIsdirectory === true,
      size: Number(props.contentLength ?? 0),
      mtime,
      ctime: props.ocpCreationTime?.getTime() ?? mtime,
    };
  }

  /** Bytes [start, end] (inclusive) with `ocp-range`, so only those bytes cross the wire. */
  async read(path: string, start: number, end: number, signal?: AbortSignalish): Promise<Buffer> {
    if (end < start) return Buffer.alloc(0);
    const { file } = this.client;
    const owner = this.owner;
    const ocpRange = `bytes=${start}-${end}`;
    const body =
      owner.kind === "task"
        ? await file.getFromTask(owner.jobId, owner.taskId, path, { abortSignal: signal, fileGetFromTaskOptions: { ocpRange } })
        : await file.getFromComputeNode(owner.poolId, owner.nodeId, path, { abortSignal: signal, fileGetFromComputeNodeOptions: { ocpRange } });
    return collect(body.readableStreamBody);
  }

  /** The first page of a folder's entries: the directory itself non-recursively, a sub-folder through `startswith(name,'dir/')`. */
  listFirst(folder: string, maxResults: number, signal?: AbortSignalish): Promise<ListPage<NodeFileLike>> {
    const options = { maxResults, ...(folder ? { filter: `startswith(name,${literal(`${folder}/`)})` } : {}) };
    const recursive = folder !== "";
    const owner = this.owner;
    return owner.kind === "task"
      ? this.client.file.listFromTask(owner.jobId, owner.taskId, { abortSignal: signal, recursive, fileListFromTaskOptions: options })
      : this.client.file.listFromComputeNode(owner.poolId, owner.nodeId, { abortSignal: signal, recursive, fileListFromComputeNodeOptions: options });
  }

  listNext(link: string, signal?: AbortSignalish): Promise<ListPage<NodeFileLike>> {
    return this.owner.kind === "task"
      ? this.client.file.listFromTaskNext(link, { abortSignal: signal })
      : this.client.file.listFromComputeNodeNext(link, { abortSignal: signal });
  }

  /** Every direct child of a folder, all pages (for readDirectory). */
  async listAll(folder: string, signal?: AbortSignalish): Promise<NodeFileLike[]> {
    const entries: NodeFileLike[] = [];
    let page = await this.listFirst(folder, 1000, signal);
    for (;;) {
      entries.push(...directChildren(folder, page));
      if (!page.odatanextLink) return entries;
      page = await this.listNext(page.odatanextLink, signal);
    }
  }

  /** The task's state ("completed" ends following); nodes have no end. */
  async taskState(signal?: AbortSignalish): Promise<string | undefined> {
    if (this.owner.kind !== "task") return undefined;
    return (await this.client.task.get(this.owner.jobId, this.owner.taskId, { abortSignal: signal, taskGetOptions: { select: "state" } })).state;
  }
}

/** Entries directly inside `folder` (a recursive listing also holds deeper ones); keeps the page's next link. */
export function directChildren(folder: string, page: ListPage<NodeFileLike>): ListPage<NodeFileLike> {
  const prefix = folder ? `${folder}/` : "";
  const kept = page.filter((entry) => {
    const name = entry.name ?? "";
    return name.startsWith(prefix) && name.length > prefix.length && !name.slice(prefix.length).includes("/");
  });
  return Object.assign(kept, page.odatanextLink ? { odatanextLink: page.odatanextLink } : {});
}

async function collect(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
