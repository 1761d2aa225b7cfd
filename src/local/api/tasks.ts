// Why: the task operations (add, add collection, get, list, update, delete, terminate, reactivate, list subtasks).
import { applyCompletionEffects } from "../dispatcher/jobTransitions";
import { endTask, reactivateTask } from "../dispatcher/taskTransitions";
import { BatchServiceError, conflict, errorBody, notFound } from "../protocol/batchError";
import { assertValidId, idKey } from "../protocol/ids";
import type { JobRecord, TaskRecord } from "../store/model";
import type { Router } from "../server/router";
import type { HandlerDeps } from "./context";
import { assertJobNotEnded, requireJob } from "./jobs";
import { listReply } from "./listing";
import { accepted, checkConditions, created, entity, updated } from "./replies";
import { checkConstraints, checkDependencies, checkExitConditions, checkTaskSpec } from "./taskValidation";
import { checkMultiInstance, newTaskRecord, presentTask, taskConstraints, taskUrl } from "./taskWire";

function requireTask(deps: HandlerDeps, job: JobRecord, taskId: string): TaskRecord {
  const task = deps.state.getTask(job.wire.id, taskId);
  if (!task) throw notFound("TaskNotFound", "task");
  return task;
}

const taskCompleted = () => conflict("TaskCompleted", "The specified task is already in a completed state.");

function specialTaskId(job: JobRecord, name: "jobPreparationTask" | "jobReleaseTask"): string | undefined {
  return (job.wire[name] as { id?: string } | undefined)?.id;
}

/** Everything the service checks before it adds one task to a job (whose state was already checked). */
function checkNewTask(deps: HandlerDeps, job: JobRecord, body: Record<string, unknown>): void {
  const id = assertValidId(body.id, "id");
  if (idKey(id) === idKey(specialTaskId(job, "jobPreparationTask") ?? "")) {
    throw conflict("TaskIdSameAsJobPreparationTask", "The specified task id is the same as the id of the job's job preparation task.");
  }
  if (idKey(id) === idKey(specialTaskId(job, "jobReleaseTask") ?? "")) {
    throw conflict("TaskIdSameAsJobReleaseTask", "The specified task id is the same as the id of the job's job release task.");
  }
  if (deps.state.getTask(job.wire.id, id)) throw conflict("TaskExists", "The specified task already exists.");
  checkMultiInstance(body);
  checkTaskSpec(body);
  checkExitConditions(body, job.wire);
  checkDependencies(body, job.wire);
}

function addTask(deps: HandlerDeps, job: JobRecord, body: Record<string, unknown>): TaskRecord {
  checkNewTask(deps, job, body);
  const task = newTaskRecord(job, body);
  deps.state.touch(task.wire);
  deps.state.saveTask(task);
  return task;
}

/** Adding tasks needs a job that is still running (active, disabled, …). */
function requireOpenJob(deps: HandlerDeps, jobId: string): JobRecord {
  const job = requireJob(deps, jobId);
  assertJobNotEnded(job);
  return job;
}

export function registerTaskRoutes(router: Router, deps: HandlerDeps): void {
  const { state, dispatcher } = deps;

  router.on("Task_Add", (context) => {
    const job = requireOpenJob(deps, context.params.jobId);
    const task = addTask(deps, job, context.body as Record<string, unknown>);
    state.saveJob(job);
    return created(task.wire, taskUrl(context, job.wire.id, task.wire.id));
  });

  router.on("Task_AddCollection", (context) => {
    const job = requireOpenJob(deps, context.params.jobId);
    const { value } = context.body as { value: Record<string, unknown>[] };
    // the whole collection goes to the journal in one write, before the reply
    const results = state.batch(() => {
      const replies = value.map((body) => {
        const taskId = typeof body.id === "string" ? body.id : "";
        try {
          const task = addTask(deps, job, body);
          const location = taskUrl(context, job.wire.id, task.wire.id);
          return { status: "success", taskId, eTag: task.wire.eTag, lastModified: task.wire.lastModified, location };
        } catch (error) {
          if (!(error instanceof BatchServiceError)) throw error;
          return { status: error.statusCode >= 500 ? "servererror" : "clienterror", taskId, error: errorBody(error, context.requestId) };
        }
      });
      state.saveJob(job);
      return replies;
    });
    return { status: 200, body: { value: results } };
  });

  router.on("Task_List", (context) => {
    const job = requireJob(deps, context.params.jobId);
    return listReply(context, state.tasksOf(job.wire.id), { present: (task) => presentTask(context, task) });
  });

  router.on("Task_Get", (context) => {
    const job = requireJob(deps, context.params.jobId);
    const task = requireTask(deps, job, context.params.taskId);
    checkConditions(context, task.wire);
    const reply = entity(context, task.wire, presentTask(context, task));
    reply.headers = { ...reply.headers, DataServiceId: taskUrl(context, job.wire.id, task.wire.id) };
    return reply;
  });

  router.on("Task_Update", (context) => {
    const job = requireJob(deps, context.params.jobId);
    const task = requireTask(deps, job, context.params.taskId);
    checkConditions(context, task.wire);
    if (task.wire.state === "completed") throw taskCompleted();
    const constraints = (context.body as { constraints?: Record<string, unknown> }).constraints;
    checkConstraints(constraints, "constraints");
    task.wire.constraints = taskConstraints(constraints, job.wire);
    state.touch(task.wire);
    state.saveTask(task);
    return updated(task.wire, taskUrl(context, job.wire.id, task.wire.id));
  });

  router.on("Task_Delete", (context) => {
    const job = requireJob(deps, context.params.jobId);
    const task = requireTask(deps, job, context.params.taskId);
    checkConditions(context, task.wire);
    state.tasks.delete(idKey(task.wire.id), idKey(job.wire.id));
    state.changed();
    void dispatcher.killTask(job.wire.id, task.wire.id);
    return { status: 200 };
  });

  router.on("Task_Terminate", (context) => {
    const job = requireJob(deps, context.params.jobId);
    const task = requireTask(deps, job, context.params.taskId);
    checkConditions(context, task.wire);
    if (task.wire.state === "completed") throw taskCompleted();
    endTask(state, task);
    void dispatcher.killTask(job.wire.id, task.wire.id);
    applyCompletionEffects(state, dispatcher, job, task, undefined);
    return accepted(task.wire, taskUrl(context, job.wire.id, task.wire.id), 204);
  });

  router.on("Task_Reactivate", (context) => {
    const job = requireJob(deps, context.params.jobId);
    const task = requireTask(deps, job, context.params.taskId);
    checkConditions(context, task.wire);
    assertJobNotEnded(job);
    const result = (task.wire.executionInfo as { result?: string } | undefined)?.result;
    if (task.wire.state !== "completed" || result !== "failure") {
      throw conflict(
        "OperationInvalidForCurrentState",
        `Only a task that completed with a failure can be reactivated; the task is ${String(task.wire.state)}${result ? ` with result ${result}` : ""}.`,
      );
    }
    reactivateTask(state, task);
    return accepted(task.wire, taskUrl(context, job.wire.id, task.wire.id), 204);
  });

  router.on("Task_ListSubtasks", (context) => {
    const job = requireJob(deps, context.params.jobId);
    requireTask(deps, job, context.params.taskId);
    return { status: 200, body: { value: [] } };
  });
}
