// Why: honours constraints.retentionTime as the service does: a completed task's directory is removed once its retention ran out.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Logger } from "../common/logger";
import { parseIsoDuration } from "../node/isoDuration";
import type { BatchState } from "../store/batchState";
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

/** Removes the directories of completed tasks whose retention ran out; returns the earliest deadline still ahead. */
export function sweepExpiredTaskDirectories(state: BatchState, logger: Logger, now = Date.now()): number | undefined {
  let next: number | undefined;
  for (const job of state.jobs.allValues()) {
    for (const task of state.tasksOf(job.wire.id)) {
      const deadline = retentionDeadline(task);
      // a reactivated task that ran again has a new end time: its new directory has its own retention
      if (task.local.filesRemovedAfter !== undefined && task.local.filesRemovedAfter === endTimeOf(task)) continue;
      if (deadline === undefined) continue;
      if (deadline > now) {
        next = next === undefined ? deadline : Math.min(next, deadline);
        continue;
      }
      const directory = taskDirectoryOf(state, task);
      if (directory) fs.rmSync(directory, { recursive: true, force: true });
      task.local.filesRemovedAfter = endTimeOf(task);
      state.saveTask(task);
      logger.debug(`retention of task ${job.wire.id}/${task.wire.id} ran out; removed its directory`);
    }
  }
  return next;
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
