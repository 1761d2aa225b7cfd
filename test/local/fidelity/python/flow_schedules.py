# Why: the job schedule family of the Python SDK flow: add with a recurrence, get, list, exists, patch, update, disable, enable, the schedule's job, terminate and delete.
"""The schedule's jobs name a pool that does not exist, so they stay active without running anything."""
import datetime

import azure.batch.models as batchmodels
from flow_support import failure, gone, metadata_of, poll, text, when

SCHEDULE_ID = "py-schedule"
ONE_MINUTE = datetime.timedelta(minutes=1)
JOB_SPEC = batchmodels.JobSpecification(pool_info=batchmodels.PoolInformation(pool_id="py-schedule-pool"), priority=5)


def steps(client):
    def schedule():
        return client.job_schedule.get(SCHEDULE_ID)

    def add():
        client.job_schedule.add(
            batchmodels.JobScheduleAddParameter(
                id=SCHEDULE_ID,
                schedule=batchmodels.Schedule(recurrence_interval=ONE_MINUTE),
                job_specification=JOB_SPEC,
                metadata=[batchmodels.MetadataItem(name="stage", value="added")],
            )
        )
        added = when(schedule, lambda found: found.execution_info is not None and found.execution_info.recent_job is not None, "the schedule's first job")
        return {
            "state": text(added.state),
            "recurrenceSeconds": added.schedule.recurrence_interval.total_seconds(),
            "recentJob": added.execution_info.recent_job.id,
            "nextRunWithinAMinute": added.execution_info.next_run_time is not None
            and added.execution_info.next_run_time - datetime.datetime.now(datetime.timezone.utc) <= ONE_MINUTE,
            "metadata": metadata_of(added),
        }

    def list_and_exists():
        ids = [found.id for found in client.job_schedule.list()]
        return {"listed": ids, "exists": client.job_schedule.exists(SCHEDULE_ID), "existsMissing": client.job_schedule.exists("no-such-schedule")}

    def jobs_of_schedule():
        jobs = list(client.job.list_from_job_schedule(SCHEDULE_ID))
        job = client.job.get(jobs[0].id)
        return {"jobs": [found.id for found in jobs], "state": text(job.state), "poolId": job.pool_info.pool_id, "priority": job.priority}

    def patch_and_update():
        client.job_schedule.patch(SCHEDULE_ID, batchmodels.JobSchedulePatchParameter(metadata=[batchmodels.MetadataItem(name="stage", value="patched")]))
        patched = schedule()
        client.job_schedule.update(
            SCHEDULE_ID,
            batchmodels.JobScheduleUpdateParameter(schedule=batchmodels.Schedule(recurrence_interval=2 * ONE_MINUTE), job_specification=JOB_SPEC),
        )
        updated = schedule()
        return {
            "patched": {"metadata": metadata_of(patched), "recurrenceSeconds": patched.schedule.recurrence_interval.total_seconds()},
            "updated": {"metadata": metadata_of(updated), "recurrenceSeconds": updated.schedule.recurrence_interval.total_seconds()},
        }

    def disable_and_enable():
        client.job_schedule.disable(SCHEDULE_ID)
        disabled = text(schedule().state)
        client.job_schedule.enable(SCHEDULE_ID)
        return {"disabled": disabled, "enabled": text(schedule().state)}

    def errors():
        return {
            "exists": failure(
                lambda: client.job_schedule.add(
                    batchmodels.JobScheduleAddParameter(id=SCHEDULE_ID, schedule=batchmodels.Schedule(recurrence_interval=ONE_MINUTE), job_specification=JOB_SPEC)
                )
            ),
            "notFound": failure(lambda: client.job_schedule.get("no-such-schedule")),
            "tooShort": failure(
                lambda: client.job_schedule.add(
                    batchmodels.JobScheduleAddParameter(
                        id="py-too-often", schedule=batchmodels.Schedule(recurrence_interval=datetime.timedelta(seconds=30)), job_specification=JOB_SPEC
                    )
                )
            ),
        }

    def terminate():
        job_id = next(iter(client.job.list_from_job_schedule(SCHEDULE_ID))).id
        client.job_schedule.terminate(SCHEDULE_ID)
        ended = when(schedule, lambda found: text(found.state) == "completed", "the schedule to complete")
        job = when(lambda: client.job.get(job_id), lambda found: text(found.state) == "completed", "the schedule's job to complete")
        return {
            "state": text(ended.state),
            "jobState": text(job.state),
            "terminateReason": job.execution_info.terminate_reason,
            "enableAfter": failure(lambda: client.job_schedule.enable(SCHEDULE_ID)),
        }

    def delete():
        job_ids = [job.id for job in client.job.list_from_job_schedule(SCHEDULE_ID)]
        client.job_schedule.delete(SCHEDULE_ID)
        code = poll(lambda: gone(schedule), "the schedule to be gone")
        jobs_gone = [poll(lambda job_id=job_id: gone(lambda: client.job.get(job_id)), "the schedule's job to be gone") for job_id in job_ids]
        return {"getAfterDelete": code, "jobsAfterDelete": jobs_gone, "exists": client.job_schedule.exists(SCHEDULE_ID)}

    return [
        ("schedules_add", add),
        ("schedules_list_and_exists", list_and_exists),
        ("schedules_jobs", jobs_of_schedule),
        ("schedules_patch_and_update", patch_and_update),
        ("schedules_disable_and_enable", disable_and_enable),
        ("schedules_errors", errors),
        ("schedules_terminate", terminate),
        ("schedules_delete", delete),
    ]


def cleanup(client):
    try:
        client.job_schedule.delete(SCHEDULE_ID)
    except Exception:  # cleanup only; the family's failing step is the report
        pass
