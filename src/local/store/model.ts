// Why: the records the local service keeps: the wire form the REST API returns plus the local bookkeeping beside it.

/** A JSON object in the REST wire format (camelCase properties, ISO date strings). */
export type Wire = Record<string, unknown> & { id: string };

export interface PoolRecord {
  wire: Wire;
}

export interface NodeRecord {
  poolId: string;
  wire: Wire;
  /** the node's AZ_BATCH_NODE_ROOT_DIR */
  rootDir: string;
  /** user accounts added with ComputeNode_AddUser (not part of the wire: no API lists them) */
  users?: NodeUser[];
}

/** A node user account as kept: never its password, only whether it has one. */
export interface NodeUser {
  name: string;
  isAdmin: boolean;
  expiryTime: string;
  hasPassword: boolean;
  sshPublicKey?: string;
}

export interface JobRecord {
  wire: Wire;
  local: {
    /** node id → state of the job preparation task on that node */
    preparation: Record<
      string,
      {
        state: "running" | "completed";
        exitCode?: number;
        result?: "success" | "failure";
        startTime?: string;
        endTime?: string;
        retryCount: number;
        failureInfo?: unknown;
        lastRetryTime?: string;
        taskRootDirectory?: string;
        poolId?: string;
      }
    >;
    /** node id → state of the job release task on that node */
    release: Record<
      string,
      {
        state: "running" | "completed";
        exitCode?: number;
        startTime?: string;
        endTime?: string;
        failureInfo?: unknown;
        result?: "success" | "failure";
        taskRootDirectory?: string;
        poolId?: string;
      }
    >;
    /** number of tasks added, used for DataServiceId-style sequencing */
    taskSequence: number;
  };
}

export interface TaskRecord {
  jobId: string;
  wire: Wire;
  local: {
    /** insertion order within the job */
    sequence: number;
    /** process group of the running attempt, to kill it on terminate or after a crash */
    pid?: number;
    /** the node the current attempt runs on */
    nodeId?: string;
    poolId?: string;
    /** the end time of the completion whose directory was removed because its retention time ran out */
    filesRemovedAfter?: string;
    /** true for the job manager task */
    jobManager?: boolean;
    /** once completed: whether tasks depending on this one may run (its exit options' dependencyAction) */
    dependencyAction?: "satisfy" | "block";
    /** what its attempts used, summed: [userCPU ms, kernelCPU ms, wall ms, read ops, write ops, bytes read, bytes written] (node/taskFigures.ts) */
    figures?: number[];
  };
}

export interface JobScheduleRecord {
  wire: Wire;
  local: {
    /** n of the last job created (`<scheduleId>:job-<n>`) */
    jobSequence: number;
    /** when the next job is due (ms since the epoch); absent once no more jobs will be created */
    nextDueMs?: number;
  };
}

/** ETag in the service's style (0x8D… hex). */
export function newETag(): string {
  return `0x8D${(Date.now() * 1000 + Math.floor(Math.random() * 1000)).toString(16).toUpperCase().padStart(13, "0")}`;
}

let lastMs = -1;
let lastIso = "";

/** The current time as an ISO string; formatted once per millisecond however often it is asked for. */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
