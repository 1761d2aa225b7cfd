// Why: adds many tasks fast: addCollection in chunks of 100, several chunks in flight, retrying the tasks the service reports as retryable.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { getLogger, type Logger } from "../logging/logger";
import { addTaskCollection } from "./addTaskCollection";
import { dependencyIds } from "./taskDependencies";

export interface SubmitOptions {
  /** tasks per addCollection request; Batch accepts at most 100 */
  chunkSize?: number;
  /** addCollection requests in flight at once */
  concurrency?: number;
  /**
   * attempts per task the service answers `servererror` for inside a successful response. Failed requests (429,
   * 5xx, timeouts, network errors) are retried by the client's own pipeline (the SDK's retry policies), not here.
   */
  maxAttempts?: number;
  /** first retry delay; doubles per attempt */
  retryDelayMs?: number;
  logger?: Logger;
}

export interface FailedTask {
  taskId: string;
  code: string;
  message: string;
}

export interface SubmissionResult {
  added: string[];
  /** already present with that id (e.g. a restarted job manager re-adding its tasks): counted as submitted */
  alreadyExisted: string[];
  failed: FailedTask[];
  /** addCollection requests sent */
  requests: number;
}

export class TaskSubmissionError extends Error {
  constructor(readonly result: SubmissionResult) {
    const sample = result.failed
      .slice(0, 5)
      .map((f) => `${f.taskId}: ${f.code} ${f.message}`)
      .join("; ");
    super(`${result.failed.length} task(s) could not be added: ${sample}${result.failed.length > 5 ? "; …" : ""}`);
    this.name = "TaskSubmissionError";
  }
}

export const MAX_TASKS_PER_ADD_COLLECTION = 100;
const DEFAULTS = { chunkSize: MAX_TASKS_PER_ADD_COLLECTION, concurrency: 8, maxAttempts: 5, retryDelayMs: 250 };

interface RequestFailure {
  statusCode?: number;
  code?: string;
  message?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

class Submission {
  readonly result: SubmissionResult = { added: [], alreadyExisted: [], failed: [], requests: 0 };
  private readonly options: Required<Omit<SubmitOptions, "logger">> & { logger: Logger };

  constructor(
    private readonly client: BatchServiceClient,
    private readonly jobId: string,
    options: SubmitOptions,
  ) {
    this.options = { ...DEFAULTS, logger: getLogger("runtime.submission"), ...options };
    if (this.options.chunkSize < 1 || this.options.chunkSize > MAX_TASKS_PER_ADD_COLLECTION)
      throw new RangeError(`chunkSize must be 1-${MAX_TASKS_PER_ADD_COLLECTION}`);
  }

  /** Sends one chunk until every task in it is added, exists, or failed for good. */
  async send(tasks: BatchServiceModels.TaskAddParameter[]): Promise<void> {
    let pending = tasks;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(this.options.retryDelayMs * 2 ** (attempt - 2));
      const last = attempt >= this.options.maxAttempts;
      pending = await this.attempt(pending, last);
    }
  }

  /** One addCollection call; returns the tasks to retry. */
  private async attempt(tasks: BatchServiceModels.TaskAddParameter[], last: boolean): Promise<BatchServiceModels.TaskAddParameter[]> {
    let results: BatchServiceModels.TaskAddResult[];
    try {
      this.result.requests++;
      results = await addTaskCollection(this.client, this.jobId, tasks);
    } catch (error) {
      return this.requestFailed(tasks, error as RequestFailure);
    }
    const byId = new Map(tasks.map((task) => [task.id, task]));
    const retry: BatchServiceModels.TaskAddParameter[] = [];
    for (const outcome of results) {
      const code = outcome.error?.code ?? outcome.status;
      if (outcome.status === "success") this.result.added.push(outcome.taskId);
      else if (code === "TaskExists") this.result.alreadyExisted.push(outcome.taskId);
      else if (outcome.status === "servererror" && !last) retry.push(byId.get(outcome.taskId)!);
      else this.result.failed.push({ taskId: outcome.taskId, code, message: outcome.error?.message?.value ?? outcome.status });
      byId.delete(outcome.taskId);
    }
    // a task the service did not answer for is retried like a server error
    for (const missing of byId.values()) {
      if (last) this.result.failed.push({ taskId: missing.id, code: "NoResult", message: "addCollection returned no result for this task" });
      else retry.push(missing);
    }
    if (retry.length > 0) this.options.logger.warning(`Retrying ${retry.length} task(s) the service could not add yet`, { jobId: this.jobId });
    return retry;
  }

  /** A request the client's pipeline gave up on (after its own retries) fails its tasks; only 413 is worth a different request. */
  private async requestFailed(tasks: BatchServiceModels.TaskAddParameter[], error: RequestFailure): Promise<BatchServiceModels.TaskAddParameter[]> {
    if (error.statusCode === 413 && tasks.length > 1) {
      // the chunk's JSON is over the service's body limit (large resource file lists): halve it
      const half = Math.ceil(tasks.length / 2);
      await this.send(tasks.slice(0, half));
      await this.send(tasks.slice(half));
      return [];
    }
    for (const task of tasks)
      this.result.failed.push({ taskId: task.id, code: error.code ?? `HTTP${error.statusCode ?? ""}`, message: error.message ?? String(error) });
    return [];
  }

  get logger(): Logger {
    return this.options.logger;
  }
  get concurrency(): number {
    return this.options.concurrency;
  }
  get chunkSize(): number {
    return this.options.chunkSize;
  }
}

/**
 * Adds `tasks` to the job in order. A chunk holding a task whose parent is in an earlier chunk is sent only after that
 * chunk has been answered, so dependencies always name tasks the service already has. Never throws for task-level
 * failures: check `result.failed` (or use `submitTasksOrThrow`).
 */
export async function submitTasks(
  client: BatchServiceClient,
  jobId: string,
  tasks: readonly BatchServiceModels.TaskAddParameter[],
  options: SubmitOptions = {},
): Promise<SubmissionResult> {
  const submission = new Submission(client, jobId, options);
  const chunks = chunk(tasks, submission.chunkSize);
  const chunkOfTask = new Map<string, number>();
  for (const [index, tasksOfChunk] of chunks.entries()) for (const task of tasksOfChunk) chunkOfTask.set(task.id, index);
  const done: Promise<void>[] = [];
  const settle = new Map<number, () => void>();
  for (const index of chunks.keys()) done.push(new Promise<void>((resolve) => settle.set(index, resolve)));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const index = next++;
      const tasksOfChunk = chunks[index]!;
      const parents = new Set(
        tasksOfChunk
          .flatMap((task) => dependencyIds(task.dependsOn))
          .map((id) => chunkOfTask.get(id))
          .filter((c): c is number => c !== undefined && c < index),
      );
      await Promise.all([...parents].map((parent) => done[parent]));
      try {
        await submission.send(tasksOfChunk);
      } finally {
        settle.get(index)!();
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: Math.min(submission.concurrency, chunks.length) }, worker));
  const { result } = submission;
  submission.logger.info(`Submitted ${tasks.length} task(s) in ${result.requests} addCollection request(s)`, {
    added: result.added.length,
    alreadyExisted: result.alreadyExisted.length,
    failed: result.failed.length,
    ms: Date.now() - started,
  });
  return result;
}

export async function submitTasksOrThrow(
  client: BatchServiceClient,
  jobId: string,
  tasks: readonly BatchServiceModels.TaskAddParameter[],
  options: SubmitOptions = {},
): Promise<SubmissionResult> {
  const result = await submitTasks(client, jobId, tasks, options);
  if (result.failed.length > 0) throw new TaskSubmissionError(result);
  return result;
}
