// Why: the job schedule operations (add, get, list, exists, update, patch, disable, enable, terminate, delete) and the jobs listed by schedule; the ScheduleRunner creates the jobs.
import { TerminateReasons, terminateJob } from "../dispatcher/jobTransitions";
import { scheduleJobs } from "../jobSchedules/scheduledJob";
import { conflict } from "../protocol/batchError";
import type { RequestContext, Router } from "../server/router";
import type { JobScheduleRecord } from "../store/model";
import type { HandlerDeps } from "./context";
import {
  assertScheduleOpen,
  checkJobSpecification,
  checkSchedule,
  dueAfterChange,
  newScheduleRecord,
  requireSchedule,
  scheduleUrl,
  showNextRun,
} from "./jobScheduleWire";
import { listReply } from "./listing";
import { accepted, checkConditions, created, entity, updated } from "./replies";
import { jobUrl } from "./taskWire";

function present(context: RequestContext, record: JobScheduleRecord): Record<string, unknown> {
  return { ...record.wire, url: scheduleUrl(context, record.wire.id) };
}

export function registerJobScheduleRoutes(router: Router, deps: HandlerDeps): void {
  const { state, dispatcher } = deps;

  const save = (record: JobScheduleRecord): void => {
    showNextRun(record);
    state.touch(record.wire);
    state.saveJobSchedule(record);
  };

  const found = (context: RequestContext): JobScheduleRecord => {
    const record = requireSchedule(state.getJobSchedule(context.params.jobScheduleId));
    checkConditions(context, record.wire);
    return record;
  };

  /** Update (replace: absent metadata is cleared) and Patch (only what is given) share this. */
  const change = (context: RequestContext, mode: "replace" | "patch") => {
    const record = found(context);
    assertScheduleOpen(record);
    const body = context.body as Record<string, unknown>;
    const schedule = body.schedule === undefined ? undefined : checkSchedule(body.schedule);
    const jobSpecification = body.jobSpecification === undefined ? undefined : checkJobSpecification(body.jobSpecification);
    if (schedule) {
      record.wire.schedule = schedule;
      record.local.nextDueMs = dueAfterChange(record, schedule);
    }
    if (jobSpecification) record.wire.jobSpecification = jobSpecification;
    if (body.metadata !== undefined) record.wire.metadata = body.metadata;
    else if (mode === "replace") delete record.wire.metadata;
    save(record);
    return updated(record.wire, scheduleUrl(context, record.wire.id));
  };

  router.on("JobSchedule_Add", (context) => {
    const record = newScheduleRecord(context.body as Record<string, unknown>);
    if (state.getJobSchedule(record.wire.id)) throw conflict("JobScheduleExists", "The specified job schedule already exists.");
    save(record);
    return created(record.wire, scheduleUrl(context, record.wire.id));
  });

  router.on("JobSchedule_List", (context) => listReply(context, state.jobSchedules.values(), { present: (record) => present(context, record) }));

  router.on("JobSchedule_Get", (context) => {
    const record = found(context);
    return entity(context, record.wire, present(context, record));
  });

  router.on("JobSchedule_Exists", (context) => {
    const record = state.getJobSchedule(context.params.jobScheduleId);
    if (!record) return { status: 404 };
    checkConditions(context, record.wire);
    return { status: 200, headers: { ETag: String(record.wire.eTag), "Last-Modified": new Date(String(record.wire.lastModified)).toUTCString() } };
  });

  router.on("JobSchedule_Update", (context) => change(context, "replace"));
  router.on("JobSchedule_Patch", (context) => change(context, "patch"));

  for (const [operation, target] of [
    ["JobSchedule_Disable", "disabled"],
    ["JobSchedule_Enable", "active"],
  ] as const) {
    router.on(operation, (context) => {
      const record = found(context);
      assertScheduleOpen(record);
      state.transition(record.wire, target);
      save(record);
      return accepted(record.wire, scheduleUrl(context, record.wire.id), 204);
    });
  }

  router.on("JobSchedule_Terminate", (context) => {
    const record = found(context);
    assertScheduleOpen(record);
    state.batch(() => {
      state.transition(record.wire, "terminating");
      record.local.nextDueMs = undefined;
      save(record);
      for (const job of scheduleJobs(state, record.wire.id)) terminateJob(state, dispatcher, job, TerminateReasons.UserTerminate);
    });
    return accepted(record.wire, scheduleUrl(context, record.wire.id));
  });

  router.on("JobSchedule_Delete", (context) => {
    const record = found(context);
    if (record.wire.state === "deleting") return { status: 202 };
    state.batch(() => {
      state.transition(record.wire, "deleting");
      record.local.nextDueMs = undefined;
      save(record);
      for (const job of scheduleJobs(state, record.wire.id)) {
        if (job.wire.state === "deleting") continue;
        state.transition(job.wire, "deleting");
        state.touch(job.wire);
        state.saveJob(job);
        void dispatcher.endJob(job.wire.id, "delete");
      }
    });
    return { status: 202 };
  });

  router.on("Job_ListFromJobSchedule", (context) => {
    const record = requireSchedule(state.getJobSchedule(context.params.jobScheduleId));
    return listReply(context, scheduleJobs(state, record.wire.id), { present: (job) => ({ ...job.wire, url: jobUrl(context, job.wire.id) }) });
  });
}
