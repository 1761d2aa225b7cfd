// Why: the clock of job schedules: creates each schedule's jobs when due (doNotRunUntil, doNotRunAfter, startWindow, recurrenceInterval, one open job at a time) and completes, terminates and removes schedules.
import { jobUrlOf, scheduleJobs } from "./scheduledJob";
import type { NodeDispatcher } from "../dispatcher/nodeDispatcher";
import type { Logger } from "../common/logger";
import { parseIsoDuration } from "../node/isoDuration";
import type { BatchState } from "../store/batchState";
import { type JobRecord, type JobScheduleRecord, nowIso } from "../store/model";

export interface ScheduleRunnerDeps {
  state: BatchState;
  dispatcher: NodeDispatcher;
  logger: Logger;
  /** the service's base URL, for executionInfo.recentJob.url */
  baseUrl(): string;
  /** makes and stores the job `jobId` of a schedule from its jobSpecification, as Job_Add would */
  createJob(schedule: JobScheduleRecord, jobId: string): JobRecord;
}

const TICK_MS = 250;

export class ScheduleRunner {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ScheduleRunnerDeps) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private jobsOf(scheduleId: string): JobRecord[] {
    return scheduleJobs(this.deps.state, scheduleId);
  }

  tick(): void {
    if (!this.timer) return;
    const { state } = this.deps;
    for (const schedule of [...state.jobSchedules.values()]) {
      try {
        state.batch(() => this.advance(schedule, Date.now()));
      } catch (error) {
        this.deps.logger.error(`job schedule ${schedule.wire.id}: ${(error as Error).message}`);
      }
    }
  }

  private advance(schedule: JobScheduleRecord, nowMs: number): void {
    const { state } = this.deps;
    const jobs = this.jobsOf(schedule.wire.id);
    const open = jobs.some((job) => job.wire.state !== "completed");
    switch (schedule.wire.state) {
      case "deleting":
        if (jobs.length === 0) state.deleteJobSchedule(schedule.wire.id);
        return;
      case "terminating":
        if (!open) this.complete(schedule);
        return;
      case "completed":
        return;
    }
    const spec = schedule.wire.schedule as Record<string, unknown>;
    const after = typeof spec.doNotRunAfter === "string" ? Date.parse(spec.doNotRunAfter) : Number.POSITIVE_INFINITY;
    const interval = typeof spec.recurrenceInterval === "string" ? parseIsoDuration(spec.recurrenceInterval) : undefined;
    const window = typeof spec.startWindow === "string" ? (parseIsoDuration(spec.startWindow) ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    let due = schedule.local.nextDueMs;
    const next = (from: number): number | undefined => {
      if (interval === undefined) return undefined;
      let candidate = from + interval;
      while (candidate <= nowMs) candidate += interval;
      return candidate;
    };
    // an opportunity whose start window passed is lost; so is everything after doNotRunAfter
    if (due !== undefined && nowMs > due + Math.min(window, interval ?? Number.POSITIVE_INFINITY)) due = next(due);
    if (due !== undefined && due > after) due = undefined;
    if (due !== undefined && nowMs >= due && !open && schedule.wire.state === "active") {
      this.createJob(schedule);
      due = next(due);
      if (due !== undefined && due > after) due = undefined;
    }
    if (due !== schedule.local.nextDueMs) {
      schedule.local.nextDueMs = due;
      this.save(schedule);
    }
    if (due === undefined && !this.jobsOf(schedule.wire.id).some((job) => job.wire.state !== "completed")) this.complete(schedule);
  }

  private createJob(schedule: JobScheduleRecord): void {
    schedule.local.jobSequence += 1;
    const jobId = `${schedule.wire.id}:job-${schedule.local.jobSequence}`;
    this.deps.createJob(schedule, jobId);
    const info = schedule.wire.executionInfo as Record<string, unknown>;
    info.recentJob = { id: jobId, url: jobUrlOf(this.deps.baseUrl(), jobId) };
    this.deps.logger.info(`job schedule ${schedule.wire.id} created job ${jobId}`);
    this.deps.dispatcher.kick();
  }

  private complete(schedule: JobScheduleRecord): void {
    const { state } = this.deps;
    state.transition(schedule.wire, "completed");
    const info = schedule.wire.executionInfo as Record<string, unknown>;
    info.endTime = nowIso();
    schedule.local.nextDueMs = undefined;
    this.save(schedule);
  }

  private save(schedule: JobScheduleRecord): void {
    const info = schedule.wire.executionInfo as Record<string, unknown>;
    if (schedule.local.nextDueMs === undefined || schedule.wire.state === "completed") delete info.nextRunTime;
    else info.nextRunTime = new Date(schedule.local.nextDueMs).toISOString();
    this.deps.state.touch(schedule.wire);
    this.deps.state.saveJobSchedule(schedule);
  }
}
