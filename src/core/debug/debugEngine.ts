// Why: runs one debug launch as real tasks of a real job on a local pool of the local service, vscode-free: the DAP session only translates.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { UserCancelledError } from "../cancellation";
import { createBatchClient } from "../localService/batchClient";
import { acquireLocalService, type LocalServiceLease } from "../localService/localServiceLease";
import type { LocalConnection } from "../localService/localServiceController";
import { nodeAttachConfiguration, type ChildSessionLauncher, type ChildSessionRequest } from "./childSessionLauncher";
import { debugpyAttachConfiguration, waitForDebugpyPort } from "./pythonDebugTask";
import { DEBUGPY_ADDRESS_PREFIX } from "./pythonDebugHook";
import { prepareTarget, type PreparedTarget } from "./debugTargets";
import type { DebugPlan } from "./launchArguments";
import { ensureDebugPool } from "./localDebugPool";
import { watchJob } from "./jobWatcher";
import { watchTask, type TaskOutcome } from "./taskWatcher";

export interface DebugEngineListener {
  /** a Debug Console line: what the run is doing */
  phase(text: string): void;
  /** the task's own output, as written */
  output(category: "stdout" | "stderr", text: string): void;
  /** the task was added: configuration errors can no longer happen */
  started?(): void;
}

/** How a run gets its local service; the default joins the one running for the data folder or starts one (stopped on release). */
export type LocalServiceAcquirer = (dataDir: string | undefined, signal: AbortSignal) => Promise<LocalServiceLease>;

export interface DebugEngineOptions {
  /** dist/cli.js, to start a local service when none runs */
  readonly cliPath: string;
  /** the editor passes its own explorer's service controller, so a service the session starts shows in the explorer */
  readonly acquireService?: LocalServiceAcquirer;
  readonly launcher: ChildSessionLauncher;
  readonly listener: DebugEngineListener;
}

export interface DebugRunResult {
  readonly exitCode: number;
  readonly outcome: TaskOutcome | undefined;
}

/** One run of a plan. `run()` resolves with the task's exit code once it completed; `stop()` terminates it through the service. */
export class DebugEngine {
  private readonly abort = new AbortController();
  private client: BatchServiceClient | undefined;
  private running: { jobId: string; taskIds: Set<string> } | undefined;
  private stopping = false;

  constructor(
    private readonly plan: DebugPlan,
    private readonly options: DebugEngineOptions,
  ) {}

  async run(): Promise<DebugRunResult> {
    const say = (text: string) => this.options.listener.phase(text);
    const lease = await this.acquire();
    try {
      const connection = lease.connection;
      this.client = createBatchClient(connection);
      const target = await prepareTarget(this.plan, { client: this.client, connection, signal: this.abort.signal, say });
      this.checkAborted();
      const pool = await ensureDebugPool(this.client, this.plan.pool ?? target.poolId, this.abort.signal);
      say(
        pool.created
          ? `Created the local debug pool ${pool.poolId}; node ${pool.nodeIds[0]} ready`
          : `Pool ${pool.poolId} ready (nodes ${pool.nodeIds.join(", ")})`,
      );
      this.checkAborted();
      return await this.runTask(connection, target, pool.poolId);
    } finally {
      await lease.release().catch(() => undefined);
      if (lease.started) say("Stopped the local Batch service this session started");
    }
  }

  /** Terminates what runs (the service marks the task as on any terminate); run() then resolves with the task's exit code. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    const running = this.running;
    if (!running || !this.client) return;
    if (running.taskIds.size === 0) {
      this.options.listener.phase(`Stopping: terminating job ${running.jobId} (and its running tasks) through the service`);
      await this.client.job
        .terminate(running.jobId)
        .catch((error: unknown) => this.options.listener.phase(`Terminate ${running.jobId}: ${(error as Error).message}`));
      return;
    }
    this.options.listener.phase(`Stopping: terminating task ${[...running.taskIds].join(", ")} of job ${running.jobId} through the service`);
    for (const taskId of running.taskIds) {
      await this.client.task
        .terminate(running.jobId, taskId)
        .catch((error: unknown) => this.options.listener.phase(`Terminate ${taskId}: ${(error as Error).message}`));
    }
  }

  private async acquire(): Promise<LocalServiceLease> {
    const lease = this.options.acquireService
      ? await this.options.acquireService(this.plan.dataDir, this.abort.signal)
      : await acquireLocalService({ cliPath: this.options.cliPath, dataDir: this.plan.dataDir, keepRunning: false, signal: this.abort.signal });
    const { batchUrl, dataDir } = lease.connection;
    this.options.listener.phase(
      lease.started
        ? `Started the local Batch service at ${batchUrl} (data folder ${dataDir}); it stops with this session`
        : `Joined the local Batch service at ${batchUrl} (data folder ${dataDir})`,
    );
    return lease;
  }

  private async runTask(connection: LocalConnection, target: PreparedTarget, poolId: string): Promise<DebugRunResult> {
    const client = this.client!;
    const say = (text: string) => this.options.listener.phase(text);
    const jobId = target.jobId;
    const job: BatchServiceModels.JobAddParameter = target.job
      ? await target.job(poolId)
      : { id: jobId, displayName: target.jobDisplayName, poolInfo: { poolId } };
    await client.job.add(job);
    this.running = { jobId, taskIds: new Set(target.task ? [target.task.id] : []) };
    say(`Created job ${jobId} on pool ${poolId}${job.jobManagerTask ? ` with its job manager (${job.jobManagerTask.commandLine})` : ""}`);
    const listener = {
      phase: say,
      output: (category: "stdout" | "stderr", text: string) => this.options.listener.output(category, text),
    };
    try {
      if (!target.task) {
        this.options.listener.started?.();
        if (this.stopping) await client.job.terminate(jobId).catch(() => undefined);
        const outcome = await watchJob({
          client,
          dataDir: connection.dataDir,
          jobId,
          // the preload waits in inspector.open(): the child lets it run, and a stopOnEntry process then stops at its debugger statement
          listener: { ...listener, inspector: (taskId, address) => void this.attach(jobId, taskId, address, target.codeFolders, false) },
        });
        return { exitCode: outcome.exitCode, outcome: outcome.tasks.get("job-manager") };
      }
      await client.task.add(jobId, target.task);
      say(`Added task ${target.task.id}${this.plan.noDebug ? " (no debugging)" : " (node waits for the debugger)"}`);
      this.options.listener.started?.();
      if (this.stopping) await client.task.terminate(jobId, target.task.id).catch(() => undefined);
      const taskId = target.task.id;
      let ended = false;
      if (target.debugpyEndpointsFile && !this.plan.noDebug) void this.attachDebugpy(jobId, taskId, target.debugpyEndpointsFile, () => ended || this.stopping);
      const outcome = await watchTask({
        client,
        dataDir: connection.dataDir,
        jobId,
        taskId,
        listener: { ...listener, inspector: (address) => void this.attach(jobId, taskId, address, target.codeFolders) },
      });
      ended = true;
      if (outcome.workingDir) say(`Working directory: ${outcome.workingDir}`);
      return { exitCode: outcome.exitCode, outcome };
    } finally {
      await client.job.terminate(jobId).catch(() => undefined);
      this.running = undefined;
    }
  }

  /** A Python task: once debugpy wrote its port, a `debugpy` attach child session is asked for. */
  private async attachDebugpy(jobId: string, taskId: string, endpointsFile: string, stopped: () => boolean): Promise<void> {
    const endpoint = await waitForDebugpyPort(endpointsFile, stopped);
    if (endpoint) await this.attachToDebugpy(jobId, taskId, endpoint);
  }

  private attachToDebugpy(jobId: string, taskId: string, endpoint: { host: string; port: number }): Promise<void> {
    this.options.listener.phase(`Task ${taskId} waits for the Python debugger (debugpy) at ${endpoint.host}:${endpoint.port}`);
    return this.startChild(jobId, taskId, debugpyAttachConfiguration({ jobId, taskId, ...endpoint }));
  }

  /** Asks for the child session; a task nobody attaches to would wait forever, so it is stopped. */
  private async attach(
    jobId: string,
    taskId: string,
    websocketAddress: string,
    codeFolders: readonly string[],
    stopOnEntry = this.plan.stopOnEntry,
  ): Promise<void> {
    if (this.plan.noDebug) return;
    if (websocketAddress.startsWith(DEBUGPY_ADDRESS_PREFIX)) {
      const [host, port] = websocketAddress.slice(DEBUGPY_ADDRESS_PREFIX.length).split(":");
      return this.attachToDebugpy(jobId, taskId, { host: host!, port: Number(port) });
    }
    this.options.listener.phase(`Task ${taskId} waits for the debugger at ${websocketAddress}`);
    await this.startChild(jobId, taskId, nodeAttachConfiguration({ jobId, taskId, websocketAddress, stopOnEntry, codeFolders }));
  }

  private async startChild(jobId: string, taskId: string, configuration: ChildSessionRequest["configuration"]): Promise<void> {
    const say = (text: string) => this.options.listener.phase(text);
    let started = false;
    try {
      started = await this.options.launcher.startChild({ jobId, taskId, configuration, timeoutMs: this.plan.attachTimeoutMs });
    } catch (error) {
      say(`Starting the child debug session failed: ${(error as Error).message}`);
    }
    if (started) return say(`Debugger attached to task ${taskId}`);
    say(`No debugger attached to task ${taskId} within ${this.plan.attachTimeoutMs / 1000} s: terminating it`);
    await this.client?.task.terminate(jobId, taskId).catch(() => undefined);
  }

  private checkAborted(): void {
    if (this.abort.signal.aborted) throw new UserCancelledError("debug");
  }
}
