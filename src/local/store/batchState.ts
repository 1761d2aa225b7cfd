// Why: the service's whole state behind one object: durable collections, change notification, ETag bookkeeping.
import { EventEmitter } from "node:events";
import { idKey } from "../protocol/ids";
import { JournalStore, type Collection } from "./journalStore";
import { newETag, nowIso, type JobRecord, type NodeRecord, type PoolRecord, type TaskRecord, type Wire } from "./model";

export class BatchState extends EventEmitter {
  readonly pools: Collection<PoolRecord>;
  /** partitioned by pool key */
  readonly nodes: Collection<NodeRecord>;
  readonly jobs: Collection<JobRecord>;
  /** partitioned by job key */
  readonly tasks: Collection<TaskRecord>;

  constructor(private readonly store: JournalStore) {
    super();
    this.setMaxListeners(50);
    this.pools = store.collection("pools");
    this.nodes = store.collection("nodes");
    this.jobs = store.collection("jobs");
    this.tasks = store.collection("tasks");
  }

  static open(directory: string): BatchState {
    const store = new JournalStore(directory);
    store.open();
    return new BatchState(store);
  }

  close(): void {
    this.store.close();
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
