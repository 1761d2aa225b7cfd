// Why: the service's whole state behind one object: durable collections, change notification, ETag bookkeeping.
import { EventEmitter } from "node:events";
import { idKey } from "../protocol/ids";
import { JournalStore, type Collection, type JournalStoreOptions } from "./journalStore";
import { JobTaskIndex } from "./taskIndex";
import { newETag, nowIso, type JobRecord, type JobScheduleRecord, type NodeRecord, type PoolRecord, type TaskRecord, type Wire } from "./model";

const EMPTY_INDEX = new JobTaskIndex();

export class BatchState extends EventEmitter {
  readonly pools: Collection<PoolRecord>;
  /** partitioned by pool key */
  readonly nodes: Collection<NodeRecord>;
  readonly jobs: Collection<JobRecord>;
  /** partitioned by job key */
  readonly tasks: Collection<TaskRecord>;
  readonly jobSchedules: Collection<JobScheduleRecord>;
  /** account-wide statistics that outlive jobs, tasks, nodes and pools (store/lifetimeTotals.ts) */
  readonly statistics: Collection<unknown>;
  private readonly taskIndexes = new Map<string, JobTaskIndex>();
  private readonly pendingNodes = new Set<NodeRecord>();
  private readonly pendingStatistics = new Set<string>();
  private readonly taskObservers: ((task: TaskRecord) => void)[] = [];

  constructor(private readonly store: JournalStore) {
    super();
    this.setMaxListeners(50);
    this.pools = store.collection("pools");
    this.nodes = store.collection("nodes");
    this.jobs = store.collection("jobs");
    this.jobSchedules = store.collection("jobSchedules");
    this.statistics = store.collection("statistics");
    this.tasks = store.collection<TaskRecord>("tasks", (jobKey, taskKey, task) => this.indexTask(jobKey, taskKey, task));
  }

  /** Throws StateUnreadableError (with how to recover) when the state cannot be loaded without losing data. */
  static open(directory: string, options: JournalStoreOptions = { onNote: (note) => process.stderr.write(`local Batch state: ${note}\n`) }): BatchState {
    const store = new JournalStore(directory, options);
    store.open();
    return new BatchState(store);
  }

  close(): void {
    this.flushNodes();
    this.flushStatistics();
    this.store.close();
  }

  /** Runs `work` with its changes written to the journal together (one write) when it returns. */
  batch<T>(work: () => T): T {
    return this.store.batch(work);
  }

  /** Marks a wire object as modified now: new ETag and lastModified (and stateTransitionTime when `stateChanged`). */
  touch(wire: Wire): void {
    wire.eTag = newETag();
    wire.lastModified = nowIso();
  }

  /** Moves a wire object to a new state, keeping previousState and the transition times as the service does. */
  transition(wire: Wire, state: string): void {
    if (wire.state === state) return;
    const now = nowIso();
    if (wire.state !== undefined) {
      wire.previousState = wire.state;
      wire.previousStateTransitionTime = wire.stateTransitionTime;
    }
    wire.state = state;
    wire.stateTransitionTime = now;
  }

  getPool(poolId: string): PoolRecord | undefined {
    return this.pools.get(idKey(poolId));
  }

  savePool(record: PoolRecord): void {
    this.pools.set(idKey(record.wire.id), record);
    this.changed();
  }

  getJob(jobId: string): JobRecord | undefined {
    return this.jobs.get(idKey(jobId));
  }

  saveJob(record: JobRecord): void {
    this.jobs.set(idKey(record.wire.id), record);
    this.changed();
  }

  getJobSchedule(scheduleId: string): JobScheduleRecord | undefined {
    return this.jobSchedules.get(idKey(scheduleId));
  }

  saveJobSchedule(record: JobScheduleRecord): void {
    this.jobSchedules.set(idKey(record.wire.id), record);
    this.changed();
  }

  deleteJobSchedule(scheduleId: string): void {
    this.jobSchedules.delete(idKey(scheduleId));
    this.changed();
  }

  getTask(jobId: string, taskId: string): TaskRecord | undefined {
    return this.tasks.get(idKey(taskId), idKey(jobId));
  }

  saveTask(record: TaskRecord): void {
    this.tasks.set(idKey(record.wire.id), record, idKey(record.jobId));
    this.changed();
  }

  tasksOf(jobId: string): IterableIterator<TaskRecord> {
    return this.tasks.values(idKey(jobId));
  }

  getNode(poolId: string, nodeId: string): NodeRecord | undefined {
    return this.nodes.get(idKey(nodeId), idKey(poolId));
  }

  saveNode(record: NodeRecord): void {
    this.nodes.set(idKey(record.wire.id), record, idKey(record.poolId));
    this.changed();
  }

  /** The indexes of a job's tasks (counts by state, ready queue), kept current on every change. */
  taskIndex(jobId: string): JobTaskIndex {
    return this.taskIndexes.get(idKey(jobId)) ?? EMPTY_INDEX;
  }

  /** Calls `observer` with every task saved from now on (loaded ones are not replayed: read them with tasksOf). */
  observeSavedTasks(observer: (task: TaskRecord) => void): void {
    this.taskObservers.push(observer);
  }

  private indexTask(jobKey: string, taskKey: string, task: TaskRecord | undefined): void {
    if (task) for (const observer of this.taskObservers) observer(task);
    let index = this.taskIndexes.get(jobKey);
    if (!index) {
      if (!task) return;
      index = new JobTaskIndex();
      this.taskIndexes.set(jobKey, index);
    }
    index.update(taskKey, task);
    if (index.size === 0) this.taskIndexes.delete(jobKey);
  }

  /**
   * Saves a node at the end of this tick, once however often it changed: for the counters and recentTasks the
   * dispatcher keeps per task (recomputed after a restart), which would otherwise rewrite the node several times per task.
   */
  saveNodeSoon(record: NodeRecord): void {
    this.pendingNodes.add(record);
    if (this.pendingNodes.size === 1) setImmediate(() => this.flushNodes());
  }

  private flushNodes(): void {
    const nodes = [...this.pendingNodes];
    this.pendingNodes.clear();
    // a node removed meanwhile stays removed
    this.batch(() => {
      for (const node of nodes) if (this.getNode(node.poolId, node.wire.id) === node) this.saveNode(node);
    });
  }

  /** Saves a statistics record (changed in place) at the end of this tick, once however often it changed: totals change per task. */
  saveStatisticSoon(key: string): void {
    this.pendingStatistics.add(key);
    if (this.pendingStatistics.size === 1) setImmediate(() => this.flushStatistics());
  }

  private flushStatistics(): void {
    const keys = [...this.pendingStatistics];
    this.pendingStatistics.clear();
    if (keys.length === 0) return;
    try {
      this.batch(() => {
        for (const key of keys) {
          const value = this.statistics.get(key);
          if (value !== undefined) this.statistics.set(key, value);
        }
      });
    } catch {
      // the store closed meanwhile, or its journal failed: that failure is reported where it happened
    }
  }

  nodesOf(poolId: string): IterableIterator<NodeRecord> {
    return this.nodes.values(idKey(poolId));
  }

  /** Tells the dispatcher (and anyone waiting) that something changed; coalesced per tick. */
  changed(): void {
    if (this.pendingChange) return;
    this.pendingChange = true;
    setImmediate(() => {
      this.pendingChange = false;
      this.emit("changed");
    });
  }

  private pendingChange = false;
}
