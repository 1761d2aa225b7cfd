// Why: an in-memory Batch account for the explorer's unit tests: pools and nodes, jobs, paged tasks and task files the test changes between reloads; list calls it can fail or hold.

import type { BatchFilesClientLike, NodeFileLike } from "../../../src/extension/files/batchFileClient";
import type {
  AbortSignalish,
  BatchClientLike,
  ComputeNodeLike,
  JobLike,
  ListPage,
  ListQuery,
  PoolLike,
  TaskLike,
} from "../../../src/extension/common/batchClientLike";
import type { LocalServiceProbe } from "../../../src/extension/tree/accountNodes";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import type { TreeNode } from "../../../src/extension/tree/treeNode";

export interface FakeTask {
  id: string;
  state: string;
  exitCode?: number;
  /** the task directory's files (name → size); shown when the task is expanded */
  files?: Record<string, number>;
}

export interface FakePool extends PoolLike {
  nodes: ComputeNodeLike[];
}

export interface FakeJob {
  id: string;
  state: string;
  tasks: FakeTask[];
}

type Options = { abortSignal?: AbortSignalish };

const page = <T>(items: T[], next?: string): ListPage<T> => Object.assign([...items], next ? { odatanextLink: next } : {});

/** A page of `items` from `offset`, with a next link `<kind>:<key>:<next offset>` while more remain. */
function slice<T>(items: T[], offset: number, size: number, kind: string, key: string): ListPage<T> {
  const end = offset + size;
  return page(items.slice(offset, end), end < items.length ? `${kind}:${key}:${end}` : undefined);
}

export class FakeBatch {
  readonly pools: FakePool[] = [];
  readonly jobs: FakeJob[] = [];
  /** items per list page (the model's page size) */
  pageSize = 2;
  /** every list call fails with this message while set */
  failing: string | undefined;
  /** a list call fails with the message this gives for its name (`pool.list`, `task.listNext tasks:j1:2`) */
  failWhen: ((call: string) => string | undefined) | undefined;
  /** every list call, in order (`task.list j1`, `task.listNext tasks:j1:2`, `file.listFromTask j1/t1`) */
  readonly calls: string[] = [];
  /** the abort signals the list calls were given */
  readonly signals: AbortSignal[] = [];
  private held: { promise: Promise<void>; release: () => void } | undefined;
  private heldCalls = 0;
  private readonly onHeldCall: (() => void)[] = [];

  /** From now on every list call waits until release() (or rejects as the SDK does when its signal aborts). */
  hold(): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.held = { promise, release };
  }

  release(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Resolves once a list call waits on hold(). */
  heldCall(): Promise<void> {
    return new Promise((resolve) => (this.heldCalls > 0 ? resolve() : this.onHeldCall.push(resolve)));
  }

  job(id: string): FakeJob {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  task(jobId: string, taskId: string): FakeTask {
    const task = this.job(jobId).tasks.find((t) => t.id === taskId);
    if (!task) throw new Error(`no task ${jobId}/${taskId}`);
    return task;
  }

  client(): BatchClientLike & BatchFilesClientLike {
    const jobsPage = (offset: number, size: number) =>
      slice(
        this.jobs.map((j): JobLike => ({ id: j.id, state: j.state, poolInfo: { poolId: "p1" } })),
        offset,
        size,
        "jobs",
        "-",
      );
    const poolsPage = () => page(this.pools.map(({ nodes: _nodes, ...pool }): PoolLike => pool));
    const nodesPage = (poolId: string) => page(this.pools.find((pool) => pool.id === poolId)?.nodes ?? []);
    const tasksPage = (jobId: string, offset: number, size: number) => slice(this.job(jobId).tasks.map(taskLike), offset, size, "tasks", jobId);
    const next = <T>(link: string, from: (key: string, offset: number) => ListPage<T>) => {
      const [, key, offset] = link.split(":");
      return from(key, Number(offset));
    };
    const size = (query?: ListQuery) => query?.maxResults ?? 1000;
    const noProgress = async () => {
      throw Object.assign(new Error("The specified file does not exist."), { statusCode: 404 });
    };
    return {
      pool: { list: (o) => this.call("pool.list", o, poolsPage), listNext: (_l, o) => this.call("pool.listNext", o, () => page([])) },
      computeNode: {
        list: (poolId, o) => this.call(`computeNode.list ${poolId}`, o, () => nodesPage(poolId)),
        listNext: (_l, o) => this.call("computeNode.listNext", o, () => page([])),
      },
      job: {
        list: (o) => this.call("job.list", o, () => jobsPage(0, size(o?.jobListOptions))),
        listNext: (l, o) => this.call(`job.listNext ${l}`, o, () => next(l, (_key, offset) => jobsPage(offset, this.pageSize))),
      },
      task: {
        list: (jobId, o) => this.call(`task.list ${jobId}`, o, () => tasksPage(jobId, 0, size(o?.taskListOptions))),
        listNext: (l, o) => this.call(`task.listNext ${l}`, o, () => next(l, (jobId, offset) => tasksPage(jobId, offset, this.pageSize))),
        get: async (jobId, taskId) => ({ state: this.task(jobId, taskId).state }),
      },
      file: {
        listFromTask: (jobId, taskId, o) => this.call(`file.listFromTask ${jobId}/${taskId}`, o, () => page(filesOf(this.task(jobId, taskId)))),
        listFromTaskNext: (_l, o) => this.call("file.listFromTaskNext", o, () => page([])),
        getFromTask: noProgress,
        getPropertiesFromTask: noProgress,
        listFromComputeNode: (_p, _n, o) => this.call("file.listFromComputeNode", o, () => page([])),
        listFromComputeNodeNext: (_l, o) => this.call("file.listFromComputeNodeNext", o, () => page([])),
        getFromComputeNode: noProgress,
        getPropertiesFromComputeNode: noProgress,
      },
    };
  }

  private async call<T>(what: string, options: Options | undefined, answer: () => T): Promise<T> {
    this.calls.push(what);
    const signal = options?.abortSignal as AbortSignal | undefined;
    if (signal) this.signals.push(signal);
    if (this.held) {
      this.heldCalls++;
      for (const resolve of this.onHeldCall.splice(0)) resolve();
      try {
        await Promise.race([this.held.promise, aborted(signal)]);
      } finally {
        this.heldCalls--;
      }
    }
    const failure = this.failing ?? this.failWhen?.(what);
    if (failure) throw new Error(failure);
    return answer();
  }
}

/** Rejects like the SDK when `signal` aborts; never settles without one. */
function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(Object.assign(new Error("The operation was aborted."), { name: "AbortError" }));
    if (signal?.aborted) fail();
    else signal?.addEventListener("abort", fail, { once: true });
  });
}

function taskLike(task: FakeTask): TaskLike {
  return { id: task.id, state: task.state, executionInfo: task.exitCode === undefined ? undefined : { exitCode: task.exitCode } };
}

function filesOf(task: FakeTask): NodeFileLike[] {
  return Object.entries(task.files ?? {}).map(([name, contentLength]) => ({ name, isDirectory: false, properties: { contentLength } }));
}

/** A model over `batch` (as the Local account, `pageSize` items per page), the change events it fires, its warnings, and a view's expand. */
export function fakeExplorer(batch: FakeBatch, pageSize = 2) {
  batch.pageSize = pageSize;
  const client = batch.client();
  const probe: LocalServiceProbe = { getStatus: async () => ({ state: "running", endpoint: "http://127.0.0.1:1", accountName: "localbatch", client }) };
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
  const model = new ExplorerModel({ localService: probe, pageSize, logger });
  /** the nodes the change events named, in order */
  const events: (TreeNode | undefined)[] = [];
  model.onDidChange((node) => events.push(node));
  /** Expands a path of labels from the root as a view does (asking each node on the way for its children); returns the last node's children. */
  const expand = async (...labels: string[]): Promise<TreeNode[]> => {
    let children = await model.children();
    for (const label of labels) {
      const node = children.find((child) => child.label === label);
      if (!node) throw new Error(`no "${label}" in ${children.map((c) => c.label)}`);
      children = await model.children(node);
    }
    return children;
  };
  return { model, events, warnings, expand };
}
