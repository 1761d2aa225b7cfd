// Why: creates one job of a job schedule from its jobSpecification, as Job_Add would (defaults, job manager task), under the service's `<scheduleId>:job-<n>` id.
import { newJobWire } from "../api/jobWire";
import { newTaskRecord } from "../api/taskWire";
import type { BatchState } from "../store/batchState";
import type { JobRecord, JobScheduleRecord } from "../store/model";

export function jobUrlOf(baseUrl: string, jobId: string): string {
  return `${baseUrl}/jobs/${encodeURIComponent(jobId)}`;
}

export function newScheduledJob(state: BatchState, schedule: JobScheduleRecord, jobId: string): JobRecord {
  // the id is set after the checks: ":" is not allowed in ids users choose, only in the ids the service makes
  const wire = newJobWire({ ...(schedule.wire.jobSpecification as Record<string, unknown>), id: "scheduled" });
  wire.id = jobId;
  state.touch(wire);
  const job: JobRecord = { wire, local: { preparation: {}, release: {}, taskSequence: 0 } };
  state.saveJob(job);
  if (wire.jobManagerTask) {
    const manager = newTaskRecord(job, wire.jobManagerTask as Record<string, unknown>, { jobManager: true });
    state.touch(manager.wire);
    state.saveTask(manager);
  }
  return job;
}

/** The jobs a schedule created that still exist, in creation order (their ids start with `<scheduleId>:job-`). */
export function scheduleJobs(state: BatchState, scheduleId: string): JobRecord[] {
  const prefix = `${scheduleId.toLowerCase()}:job-`;
  return [...state.jobs.allValues()].filter((job) => job.wire.id.toLowerCase().startsWith(prefix));
}
