// Why: runs a job's preparation task once per node before its first task there, and its release task on those nodes when the job ends.
import type { Logger } from "../common/logger";
import { parseIsoDuration } from "../node/isoDuration";
import type { AttemptResult, NodeAgent, TaskLaunch } from "../node/nodeAgent";
import { idKey } from "../protocol/ids";
import type { BatchState } from "../store/batchState";
import { nowIso, type JobRecord, type PoolRecord } from "../store/model";
import { nodeRelativeDir, runAttempt } from "./agentCalls";
import { finalFailureInfo, shouldRetry } from "./taskOutcome";

export interface PreparationDeps {
  state: BatchState;
  agent: NodeAgent;
  logger: Logger;
  /** called when a preparation task finished, so waiting tasks move on */
  onFinished: () => void;
}

/** What the preparation task on a node means for the job's tasks there. */
export type PreparationStatus = "ready" | "pending" | "failed" | "notStarted";

type PreparationTask = { id?: string; waitForSuccess?: boolean; constraints?: { maxTaskRetryCount?: number } } & Record<string, unknown>;
type ReleaseTask = { id?: string; maxWallClockTime?: string; retentionTime?: string } & Record<string, unknown>;

/** Release tasks may run at most 15 minutes. */
export const MAX_RELEASE_WALL_CLOCK = "PT15M";

export function preparationOf(job: JobRecord): PreparationTask | undefined {
  return job.wire.jobPreparationTask as PreparationTask | undefined;
}

export function preparationStatus(job: JobRecord, nodeId: string): PreparationStatus {
  const preparation = preparationOf(job);
  if (!preparation) return "ready";
  const entry = job.local.preparation[nodeId];
  const waits = preparation.waitForSuccess !== false;
  if (!entry) return "notStarted";
  if (entry.state === "running") return waits ? "pending" : "ready";
  return entry.result === "success" || !waits ? "ready" : "failed";
}

export class JobPreparationRunner {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** aborts release tasks when the service stops */
  private readonly shutdown = new AbortController();

  constructor(private readonly deps: PreparationDeps) {}

  /** Starts the preparation task on a node unless it already ran or runs there. */
  ensure(job: JobRecord, poolId: string, nodeId: string): void {
    const key = `${idKey(job.wire.id)}/${idKey(nodeId)}`;
    if (!preparationOf(job) || this.running.has(key) || job.local.preparation[nodeId]) return;
    const controller = new AbortController();
    const done = this.prepare(job.wire.id, poolId, nodeId, controller.signal)
      .catch((error: unknown) => this.deps.logger.error(`job preparation of ${job.wire.id} on ${nodeId} failed: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.running.delete(key);
        this.deps.onFinished();
      });
    this.running.set(key, { controller, done });
  }

  /** Stops the job's preparation tasks (the job ends) and waits for them. */
  async stopJob(jobId: string): Promise<void> {
    const prefix = `${idKey(jobId)}/`;
    const stopping = [...this.running.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, run]) => {
        run.controller.abort();
        return run.done;
      });
    await Promise.all(stopping);
  }

  async stopAll(): Promise<void> {
    this.shutdown.abort();
    const all = [...this.running.values()];
    for (const run of all) run.controller.abort();
    await Promise.all(all.map((run) => run.done));
  }

  private async prepare(jobId: string, poolId: string, nodeId: string, signal: AbortSignal): Promise<void> {
    const { state, agent, logger } = this.deps;
    for (let retryCount = 0; ; retryCount++) {
      const job = state.getJob(jobId);
      const pool = state.getPool(poolId);
      const preparation = job && preparationOf(job);
      if (!job || !pool || !preparation || signal.aborted) return;
      const previous = job.local.preparation[nodeId];
      const entry: JobRecord["local"]["preparation"][string] = { state: "running", startTime: nowIso(), retryCount, poolId };
      if (retryCount > 0) entry.lastRetryTime = entry.startTime;
      if (previous?.taskRootDirectory) entry.taskRootDirectory = previous.taskRootDirectory;
      job.local.preparation[nodeId] = entry;
      state.saveJob(job);
      const launch = jobTaskLaunch("jobPreparation", job, poolId, pool, nodeId, preparation, retryCount);
      const result = await runAttempt(agent, logger, launch, signal, (_pid, taskDir) => {
        entry.taskRootDirectory = nodeRelativeDir(state, poolId, nodeId, taskDir);
        const current = state.getJob(jobId);
        if (current) state.saveJob(current);
      });
      const current = state.getJob(jobId);
      if (!current || current.local.preparation[nodeId] !== entry) return;
      const maxRetries = preparation.constraints?.maxTaskRetryCount ?? 0;
      if (!signal.aborted && shouldRetry(result, retryCount, maxRetries)) continue;
      entry.state = "completed";
      recordOutcome(entry, result);
      state.saveJob(current);
      return;
    }
  }

  /** Runs the job release task on every node where the preparation task ran and no release ran yet. */
  async release(jobId: string): Promise<void> {
    const job = this.deps.state.getJob(jobId);
    const release = job?.wire.jobReleaseTask as ReleaseTask | undefined;
    if (!job || !release) return;
    const nodes = Object.entries(job.local.preparation).filter(([nodeId]) => !job.local.release[nodeId]);
    await Promise.all(
      nodes.map(([nodeId, preparation]) =>
        this.releaseOn(jobId, preparation.poolId ?? String((job.wire.poolInfo as { poolId?: string }).poolId), nodeId, release),
      ),
    );
  }

  private async releaseOn(jobId: string, poolId: string, nodeId: string, release: ReleaseTask): Promise<void> {
    const { state, agent, logger } = this.deps;
    const job = state.getJob(jobId);
    const pool = state.getPool(poolId);
    if (!job || !pool || !state.getNode(poolId, nodeId)) return;
    const entry: JobRecord["local"]["release"][string] = { state: "running", startTime: nowIso(), poolId };
    job.local.release[nodeId] = entry;
    state.saveJob(job);
    const maxWallClockTime = release.maxWallClockTime ?? MAX_RELEASE_WALL_CLOCK;
    const launch = jobTaskLaunch("jobRelease", job, poolId, pool, nodeId, release, 0);
    // a release task must not hold the job's end forever, whatever the agent does
    const limit = AbortSignal.any([AbortSignal.timeout((parseIsoDuration(maxWallClockTime) ?? 15 * 60_000) + 60_000), this.shutdown.signal]);
    const result = await runAttempt(agent, logger, launch, limit, (_pid, taskDir) => {
      entry.taskRootDirectory = nodeRelativeDir(state, poolId, nodeId, taskDir);
    });
    entry.state = "completed";
    recordOutcome(entry, result);
    const current = state.getJob(jobId);
    if (current) state.saveJob(current);
  }
}

/** The launch of a job's preparation or release task on a node (its id defaults to `jobpreparation` / `jobrelease`). */
function jobTaskLaunch(
  kind: "jobPreparation" | "jobRelease",
  job: JobRecord,
  poolId: string,
  pool: PoolRecord,
  nodeId: string,
  spec: { id?: string } & Record<string, unknown>,
  retryCount: number,
): TaskLaunch {
  const taskId = spec.id ?? kind.toLowerCase();
  return { kind, poolId, nodeId, jobId: job.wire.id, taskId, spec, job: job.wire, pool: pool.wire, retryCount };
}

/** Copies an attempt's outcome onto a preparation or release status entry. */
function recordOutcome(entry: JobRecord["local"]["preparation"][string] | JobRecord["local"]["release"][string], result: AttemptResult): void {
  entry.startTime = result.startTime;
  entry.endTime = result.endTime;
  if (result.exitCode !== undefined) entry.exitCode = result.exitCode;
  const failureInfo = finalFailureInfo(result);
  if (failureInfo) entry.failureInfo = failureInfo;
  entry.result = failureInfo ? "failure" : "success";
}
