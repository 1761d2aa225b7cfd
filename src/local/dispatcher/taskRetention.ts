// Why: honours constraints.retentionTime as the service does: a completed task's directory is removed once its retention ran out.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Logger } from "../common/logger";
import { parseIsoDuration } from "../node/isoDuration";
import type { BatchState } from "../store/batchState";
import { MinHeap } from "../store/minHeap";
import type { JobRecord, TaskRecord } from "../store/model";

interface TaskPlacement {
  poolId?: string;
  nodeId?: string;
  taskRootDirectory?: string;
}

/** The absolute directory of a task on its node, if it ran and the node is still there (and the path stays inside the node root). */
export function taskDirectoryOf(state: BatchState, task: TaskRecord): string | undefined {
  const info = task.wire.nodeInfo as TaskPlacement | undefined;
  if (!info?.poolId || !info.nodeId || !info.taskRootDirectory) return undefined;
  const node = state.getNode(info.poolId, info.nodeId);
  if (!node) return undefined;
  const root = path.resolve(node.rootDir);
  const directory = path.resolve(root, info.taskRootDirectory);
  return directory.startsWith(root + path.sep) ? directory : undefined;
}

const endTimeOf = (task: TaskRecord): string | undefined => (task.wire.executionInfo as { endTime?: string } | undefined)?.endTime;

/** When the task's files may go: its end time plus its retention time (undefined while it is not completed). */
export function retentionDeadline(task: TaskRecord): number | undefined {
  if (task.wire.state !== "completed") return undefined;
  const endTime = endTimeOf(task);
  const retention = parseIsoDuration(String((task.wire.constraints as { retentionTime?: string } | undefined)?.retentionTime ?? "P7D"));
  if (!endTime || retention === undefined) return undefined;
  return Date.parse(endTime) + retention;
}

interface Due {
  deadline: number;
  jobId: string;
  taskId: string;
}

/**
 * The completed tasks by the time their directories may go, kept as tasks are saved, so a sweep costs what it removes,
 * not the number of completed tasks (a full scan of 100,000 took about 140 ms of the service's thread every 10 s).
 * An entry holds ids, not the record: a deleted task's entry is dropped when it comes due, and rebuilt away when deleted
 * tasks' entries outnumber the live ones.
 */
export class RetentionSchedule {
  private readonly due = new MinHeap<Due>((a, b) => a.deadline - b.deadline);
  /** the deadline each record was queued under: a save that does not move it queues nothing */
  private readonly queued = new WeakMap<TaskRecord, number>();

  /** `deadlineOf` is retentionDeadline; tests count its calls. */
  constructor(
    private readonly state: BatchState,
    private readonly logger: Logger,
    private readonly deadlineOf: (task: TaskRecord) => number | undefined = retentionDeadline,
  ) {
    this.rebuild();
    state.observeSavedTasks((task) => this.consider(task));
  }

  /** Removes the directories whose retention ran out by `now`; returns the earliest deadline still ahead. */
  sweep(now = Date.now()): number | undefined {
    for (let next = this.due.peek(); next && next.deadline <= now; next = this.due.peek()) {
      this.due.pop();
      const task = this.state.getTask(next.jobId, next.taskId);
      // deleted, reactivated, or its retention changed since: a later entry (or none) stands for it now
      if (!task || this.deadlineOf(task) !== next.deadline || this.removed(task)) continue;
      const directory = taskDirectoryOf(this.state, task);
      if (directory) fs.rmSync(directory, { recursive: true, force: true });
      task.local.filesRemovedAfter = endTimeOf(task);
      this.state.saveTask(task);
      this.logger.debug(`retention of task ${next.jobId}/${next.taskId} ran out; removed its directory`);
    }
    if (this.due.size > 2 * this.completedTasks() + 1000) this.rebuild();
    return this.due.peek()?.deadline;
  }

  private consider(task: TaskRecord): void {
    const deadline = this.deadlineOf(task);
    if (deadline === undefined || this.removed(task) || this.queued.get(task) === deadline) return;
    this.queued.set(task, deadline);
    this.due.push({ deadline, jobId: task.jobId, taskId: task.wire.id });
  }

  /** a reactivated task that ran again has a new end time: its new directory has its own retention */
  private removed(task: TaskRecord): boolean {
    return task.local.filesRemovedAfter !== undefined && task.local.filesRemovedAfter === endTimeOf(task);
  }

  private completedTasks(): number {
    let count = 0;
    for (const job of this.state.jobs.allValues()) count += this.state.taskIndex(job.wire.id).counts.completed;
    return count;
  }

  private rebuild(): void {
    this.due.clear();
    for (const job of this.state.jobs.allValues()) {
      for (const task of this.state.tasksOf(job.wire.id)) {
        this.queued.delete(task);
        this.consider(task);
      }
    }
  }
}

/** A deleted job's directories (`workitems/<jobId>`) go from every node of its pool, as on the service. */
export function removeJobDirectories(state: BatchState, job: JobRecord): void {
  const poolId = (job.wire.poolInfo as { poolId?: string } | undefined)?.poolId;
  if (!poolId) return;
  for (const node of state.nodesOf(poolId)) {
    const workitems = path.resolve(node.rootDir, "workitems");
    const directory = path.resolve(workitems, job.wire.id);
    if (directory.startsWith(workitems + path.sep)) fs.rmSync(directory, { recursive: true, force: true });
  }
}
