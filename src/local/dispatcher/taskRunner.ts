// Why: runs placed tasks: waits for job preparation, runs the attempt on the agent and applies the result (retry, requeue, complete).
import type { AccountSettings } from "../common/account";
import type { Logger } from "../common/logger";
import type { AttemptResult, NodeAgent, TaskLaunch } from "../node/nodeAgent";
import type { BatchState } from "../store/batchState";
import { addFigures, attemptFigures, recordAttempt, recordTaskOutcome } from "../store/lifetimeTotals";
import { nodeRelativeDir, runAttempt, taskNodeInfo } from "./agentCalls";
import type { Attempt, AttemptRegistry } from "./attempts";
import { type JobPreparationRunner, preparationStatus } from "./jobPreparation";
import { applyCompletionEffects } from "./jobTransitions";
import type { NodeDispatcher } from "./nodeDispatcher";
import { nodeTaskFinished, nodeTaskProgressed, nodeTaskStarted } from "./nodeCounters";
import type { Placement } from "./scheduler";
import { effectiveExitOptions, finalFailureInfo, shouldRetry, type ExitConditions } from "./taskOutcome";
import {
  completeTask,
  executionInfoOf,
  markPreparing,
  markRunning,
  recordStarted,
  requeueTask,
  retryTask,
  unplaceTask,
  type TaskNodeInfo,
} from "./taskTransitions";

export interface TaskRunnerDeps {
  state: BatchState;
  agent: NodeAgent;
  logger: Logger;
  account: AccountSettings;
  registry: AttemptRegistry;
  preparation: JobPreparationRunner;
  /** the dispatcher, for the job-level effects of a finished task */
  dispatcher: NodeDispatcher;
}

/** A node removed with nodeDeallocationOption terminate ends its tasks instead of requeuing them. */
function endedByNodeRemoval(result: AttemptResult): boolean {
  return result.nodeRemoval === "terminate";
}

export class TaskRunner {
  /** set while the service stops: attempts that end now are requeued, not judged */
  stopping = false;
  private readonly finishers = new WeakMap<Attempt, () => void>();

  constructor(private readonly deps: TaskRunnerDeps) {}

  /** Takes the node slots for a placed task, then starts it (or waits for the job preparation task on that node). */
  place(placement: Placement): void {
    const { state, registry, preparation, account } = this.deps;
    const { job, task, pool, node } = placement;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const attempt: Attempt = {
      jobId: job.wire.id,
      taskId: task.wire.id,
      poolId: pool.wire.id,
      nodeId: node.wire.id,
      slots: placement.slots,
      exclusive: placement.exclusive,
      record: task,
      controller: new AbortController(),
      phase: "preparing",
      done,
    };
    this.finishers.set(attempt, finish);
    registry.add(attempt);
    nodeTaskStarted(state, account.batchUrl, pool.wire.id, node.wire.id, task, placement.slots);
    preparation.ensure(job, pool.wire.id, node.wire.id);
    if (preparationStatus(job, node.wire.id) === "pending") {
      markPreparing(state, task, taskNodeInfo(state, account.batchUrl, pool.wire.id, node.wire.id));
      nodeTaskProgressed(state, account.batchUrl, pool.wire.id, node.wire.id, task);
      // killed while waiting: nothing runs yet, just give the slots back
      attempt.controller.signal.addEventListener("abort", () => {
        if (attempt.phase === "preparing") this.release(attempt);
      });
      return;
    }
    void this.execute(attempt);
  }

  /** Moves tasks waiting for job preparation on: run them once it succeeded, requeue them where it failed. */
  resumePrepared(): void {
    const { state, registry } = this.deps;
    for (const attempt of registry.all()) {
      if (attempt.phase !== "preparing") continue;
      const job = state.getJob(attempt.jobId);
      const current = state.getTask(attempt.jobId, attempt.taskId);
      if (!job || current !== attempt.record || current.wire.state !== "preparing") {
        this.release(attempt);
        continue;
      }
      const status = preparationStatus(job, attempt.nodeId);
      if (status === "ready") void this.execute(attempt);
      else if (status === "failed") {
        unplaceTask(state, current);
        this.release(attempt);
      }
    }
  }

  private async execute(attempt: Attempt): Promise<void> {
    const { state, agent, logger, account } = this.deps;
    attempt.phase = "running";
    const task = attempt.record;
    const job = state.getJob(attempt.jobId);
    const pool = state.getPool(attempt.poolId);
    if (!job || !pool || state.getTask(attempt.jobId, attempt.taskId) !== task || attempt.controller.signal.aborted) {
      this.release(attempt);
      return;
    }
    const nodeInfo = (task.wire.nodeInfo as TaskNodeInfo | undefined) ?? taskNodeInfo(state, account.batchUrl, attempt.poolId, attempt.nodeId);
    markRunning(state, task, nodeInfo);
    nodeTaskProgressed(state, account.batchUrl, attempt.poolId, attempt.nodeId, task);
    const launch: TaskLaunch = {
      kind: task.local.jobManager ? "jobManager" : "task",
      poolId: attempt.poolId,
      nodeId: attempt.nodeId,
      jobId: job.wire.id,
      taskId: task.wire.id,
      spec: task.wire,
      job: job.wire,
      pool: pool.wire,
      retryCount: executionInfoOf(task).retryCount,
    };
    const result = await runAttempt(agent, logger, launch, attempt.controller.signal, (pid, taskDir) => {
      if (state.getTask(attempt.jobId, attempt.taskId) === task)
        recordStarted(state, task, pid, nodeRelativeDir(state, attempt.poolId, attempt.nodeId, taskDir));
    });
    try {
      this.apply(attempt, result);
    } catch (error) {
      logger.error(`applying the result of task ${attempt.jobId}/${attempt.taskId} failed: ${(error as Error).stack ?? error}`);
    }
    this.release(attempt);
  }

  /** Judges a finished attempt, unless a handler already moved the task on (terminated, requeued, deleted). */
  private apply(attempt: Attempt, result: AttemptResult): void {
    const { state, dispatcher } = this.deps;
    const task = attempt.record;
    const figures = attemptFigures(result.figures, result.startTime, result.endTime);
    recordAttempt(state, figures);
    if (state.getTask(attempt.jobId, attempt.taskId) !== task) return;
    task.local.figures = addFigures(task.local.figures, figures);
    if (task.wire.state !== "running") {
      delete task.local.pid;
      state.saveTask(task);
      return;
    }
    if (this.stopping || (result.failureKind === "killed" && !endedByNodeRemoval(result))) {
      requeueTask(state, task);
      return;
    }
    const constraints = task.wire.constraints as { maxTaskRetryCount?: number } | undefined;
    if (shouldRetry(result, executionInfoOf(task).retryCount, constraints?.maxTaskRetryCount ?? 0)) {
      retryTask(state, task);
      recordTaskOutcome(state, "retry");
      return;
    }
    const options = effectiveExitOptions(task.wire.exitConditions as ExitConditions | undefined, result);
    completeTask(
      state,
      task,
      { exitCode: result.exitCode, failureInfo: finalFailureInfo(result), startTime: result.startTime, endTime: result.endTime },
      options.dependencyAction,
    );
    const info = executionInfoOf(task);
    const waitMs = Date.parse(info.startTime ?? result.startTime) - Date.parse(String(task.wire.creationTime));
    recordTaskOutcome(state, info.result === "failure" ? "failure" : "success", waitMs);
    const job = state.getJob(attempt.jobId);
    if (job) applyCompletionEffects(state, dispatcher, job, task, options);
  }

  /** Frees the attempt's slots and settles its `done`. */
  private release(attempt: Attempt): void {
    const finish = this.finishers.get(attempt);
    if (!finish) return;
    this.finishers.delete(attempt);
    const { state, registry, account } = this.deps;
    registry.remove(attempt);
    nodeTaskFinished(state, account.batchUrl, attempt.poolId, attempt.nodeId, attempt.record, attempt.slots);
    finish();
    this.deps.dispatcher.kick();
  }
}
