// Why: the local scheduler the REST handlers talk to: runs scheduling passes on every state change and ends jobs, over a node agent.
import type { AccountSettings } from "../common/account";
import type { Logger } from "../common/logger";
import type { NodeAgent } from "../node/nodeAgent";
import { idKey } from "../protocol/ids";
import type { BatchState } from "../store/batchState";
import { nowIso } from "../store/model";
import { type Attempt, AttemptRegistry } from "./attempts";
import { jobHousekeeping } from "./jobHousekeeping";
import { JobPreparationRunner } from "./jobPreparation";
import { jobExecutionInfo, tasksOnNodes } from "./jobTransitions";
import type { NodeDispatcher } from "./nodeDispatcher";
import { resetNodeLoad } from "./nodeCounters";
import { planPreemptions } from "./preemption";
import { planPlacements, type SchedulingDelay } from "./scheduler";
import { RetentionSchedule, removeJobDirectories } from "./taskRetention";
import { TaskRunner } from "./taskRunner";
import { endTask, requeueTask } from "./taskTransitions";

export interface DispatcherDeps {
  state: BatchState;
  account: AccountSettings;
  logger: Logger;
  maxNodes: number;
  /** local-only (--scheduling-delay): the least time between a task becoming active and its placement; default 0 */
  schedulingDelayMs?: number;
}

export class LocalDispatcher implements NodeDispatcher {
  private readonly registry = new AttemptRegistry();
  private readonly preparation: JobPreparationRunner;
  private readonly runner: TaskRunner;
  /** per job key: the ending in progress (terminate, then maybe delete), so they run one after the other */
  private readonly endings = new Map<string, Promise<void>>();
  /** attempts asked to stop for a higher-priority job (allowTaskPreemption), until they have ended */
  private readonly preempting = new Set<Attempt>();
  private passQueued = false;
  private started = false;
  private stopped = false;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private delayTimer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private retention: RetentionSchedule | undefined;
  private readonly onChanged = () => this.kick();

  constructor(private readonly deps: DispatcherDeps & { agent: NodeAgent }) {
    this.preparation = new JobPreparationRunner({ state: deps.state, agent: deps.agent, logger: deps.logger, onFinished: () => this.kick() });
    this.runner = new TaskRunner({ ...deps, registry: this.registry, preparation: this.preparation, dispatcher: this });
  }

  /** Recovers from a previous run (kills orphans, requeues their tasks, resumes job endings), then schedules on every change. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.recover();
    this.deps.state.on("changed", this.onChanged);
    this.kick();
    this.retention = new RetentionSchedule(this.deps.state, this.deps.logger);
    this.sweepRetention();
  }

  /** Stops scheduling, kills running attempts (their tasks are requeued for the next start) and stops the agent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.runner.stopping = true;
    this.deps.state.off("changed", this.onChanged);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.delayTimer) clearTimeout(this.delayTimer);
    if (this.retentionTimer) clearTimeout(this.retentionTimer);
    const attempts = this.registry.all();
    for (const attempt of attempts) attempt.controller.abort();
    await Promise.all([...attempts.map((attempt) => attempt.done), this.preparation.stopAll()]);
    await Promise.allSettled([...this.endings.values()]);
    await this.deps.agent.stop();
  }

  reconcilePool(poolId: string): void {
    this.deps.agent.reconcilePool(poolId);
  }

  async removePool(poolId: string): Promise<void> {
    await this.deps.agent.removePool(poolId);
  }

  async killTask(jobId: string, taskId: string): Promise<void> {
    const attempt = this.registry.get(jobId, taskId);
    if (!attempt) return;
    attempt.controller.abort();
    await attempt.done;
  }

  /** Ends a job already marked terminating or deleting: stops its tasks, runs its release tasks, then completes or removes it. */
  endJob(jobId: string, reason: "terminate" | "delete"): Promise<void> {
    const key = idKey(jobId);
    const previous = this.endings.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.finishJob(jobId, reason))
      .catch((error: unknown) => this.deps.logger.error(`ending job ${jobId} (${reason}) failed: ${(error as Error).stack ?? error}`));
    this.endings.set(key, next);
    void next.finally(() => {
      if (this.endings.get(key) === next) this.endings.delete(key);
    });
    return next;
  }

  kick(): void {
    if (this.passQueued || !this.started || this.stopped) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      if (this.stopped) return;
      try {
        this.pass();
      } catch (error) {
        this.deps.logger.error(`scheduling pass failed: ${(error as Error).stack ?? error}`);
      }
    });
  }

  private pass(): void {
    const { state } = this.deps;
    const nextDeadline = jobHousekeeping(state, this, this.registry);
    this.runner.resumePrepared();
    const delay: SchedulingDelay | undefined = this.deps.schedulingDelayMs ? { ms: this.deps.schedulingDelayMs, now: Date.now() } : undefined;
    for (const placement of planPlacements(state, this.registry, delay)) this.runner.place(placement);
    this.preempt();
    this.watchDeadline(nextDeadline);
    this.watchHeldBack(delay?.wakeAt);
  }

  /** Requeues running tasks of lower-priority jobs that allow preemption where a higher-priority job waits for slots. */
  private preempt(): void {
    for (const attempt of [...this.preempting]) if (this.registry.get(attempt.jobId, attempt.taskId) !== attempt) this.preempting.delete(attempt);
    for (const attempt of planPreemptions(this.deps.state, this.registry, this.preempting)) {
      this.deps.logger.info(`task ${attempt.jobId}/${attempt.taskId} on ${attempt.nodeId}: preempted for a higher-priority job; requeued`);
      attempt.controller.abort();
    }
  }

  /** With a scheduling delay: looks again when the first held-back task becomes placeable. */
  private watchHeldBack(wakeAt: number | undefined): void {
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    if (wakeAt === undefined) return;
    this.delayTimer = setTimeout(() => this.kick(), Math.max(0, wakeAt - Date.now()) + 1);
    this.delayTimer.unref();
  }

  /** Removes task directories whose retention ran out, then looks again at the next deadline (at least every 10 s). */
  private sweepRetention(): void {
    if (this.stopped) return;
    let next: number | undefined;
    try {
      next = this.retention?.sweep();
    } catch (error) {
      this.deps.logger.error(`task retention sweep failed: ${(error as Error).stack ?? error}`);
    }
    const delay = Math.min(Math.max(1000, (next ?? Infinity) - Date.now()), 10_000);
    this.retentionTimer = setTimeout(() => this.sweepRetention(), delay);
    this.retentionTimer.unref();
  }

  /** Looks again when the next job wall-clock limit runs out. */
  private watchDeadline(deadline: number | undefined): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    if (deadline === undefined) return;
    // a timer longer than ~24.8 days overflows; looking again a day later is enough
    const delay = Math.min(Math.max(0, deadline - Date.now()) + 5, 24 * 3600_000);
    this.deadlineTimer = setTimeout(() => this.kick(), delay);
    this.deadlineTimer.unref();
  }

  private async finishJob(jobId: string, reason: "terminate" | "delete"): Promise<void> {
    const { state } = this.deps;
    const job = state.getJob(jobId);
    if (!job) return;
    for (const task of tasksOnNodes(state, job)) endTask(state, task);
    const attempts = this.registry.ofJob(jobId);
    for (const attempt of attempts) attempt.controller.abort();
    await Promise.all([...attempts.map((attempt) => attempt.done), this.preparation.stopJob(jobId)]);
    if (this.stopped) return;
    await this.preparation.release(jobId);
    const current = state.getJob(jobId);
    if (!current || this.stopped) return;
    if (reason === "delete") {
      removeJobDirectories(state, current);
      state.tasks.deletePartition(idKey(jobId));
      state.jobs.delete(idKey(jobId));
      state.changed();
      return;
    }
    if (current.wire.state !== "terminating") return;
    state.transition(current.wire, "completed");
    jobExecutionInfo(current).endTime = nowIso();
    state.touch(current.wire);
    state.saveJob(current);
  }

  /** After a crash or restart: nothing of the previous run still runs; requeue its tasks and finish what was in progress. */
  private recover(): void {
    const { state, agent } = this.deps;
    for (const node of [...state.nodes.allValues()]) resetNodeLoad(state, node);
    for (const job of [...state.jobs.allValues()]) {
      for (const task of [...state.tasksOf(job.wire.id)]) {
        if (task.wire.state !== "running" && task.wire.state !== "preparing") continue;
        if (task.local.pid !== undefined) agent.killOrphan(task.local.pid);
        requeueTask(state, task);
      }
      let changed = false;
      for (const entries of [job.local.preparation, job.local.release]) {
        for (const [nodeId, entry] of Object.entries(entries)) {
          if (entry.state !== "running") continue;
          // interrupted: it runs again when needed
          delete entries[nodeId];
          changed = true;
        }
      }
      if (changed) state.saveJob(job);
      if (job.wire.state === "terminating") void this.endJob(job.wire.id, "terminate");
      if (job.wire.state === "deleting") void this.endJob(job.wire.id, "delete");
    }
    for (const pool of [...state.pools.allValues()]) {
      if (pool.wire.state === "deleting")
        void this.removePool(pool.wire.id).catch((error: unknown) =>
          this.deps.logger.error(`removing pool ${pool.wire.id} failed: ${(error as Error).message}`),
        );
      else this.reconcilePool(pool.wire.id);
    }
  }
}
