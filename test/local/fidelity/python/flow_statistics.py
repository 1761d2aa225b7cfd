# Why: the statistics family of the Python SDK flow: job and task $expand=stats, lifetime job and pool statistics, pool usage metrics.
"""Its own pool and job: one task that burns CPU and one that fails, so the figures have something to count."""
import datetime

import azure.batch.models as batchmodels
from flow_support import add_pool, delete_pool, delete_pool_quietly, failure, gone, poll, text, when

POOL_ID = "py-stats-pool"
JOB_ID = "py-stats-job"
# about a second of CPU in the shell itself
BUSY = "/bin/sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo busy done'"
ZERO = datetime.timedelta(0)


def steps(client):
    def run_tasks():
        add_pool(client, POOL_ID, 1)
        client.job.add(batchmodels.JobAddParameter(id=JOB_ID, pool_info=batchmodels.PoolInformation(pool_id=POOL_ID)))
        client.task.add_collection(
            JOB_ID,
            [batchmodels.TaskAddParameter(id="busy", command_line=BUSY), batchmodels.TaskAddParameter(id="fails", command_line="/bin/sh -c 'exit 4'")],
        )

        def all_completed():
            tasks = list(client.task.list(JOB_ID))
            return tasks if len(tasks) == 2 and all(text(task.state) == "completed" for task in tasks) else None

        tasks = poll(all_completed, "the statistics tasks to complete")
        return {"exitCodes": {task.id: task.execution_info.exit_code for task in tasks}}

    def job_stats():
        job = client.job.get(JOB_ID, job_get_options=batchmodels.JobGetOptions(expand="stats"))
        plain = client.job.get(JOB_ID)
        stats = job.stats
        task = client.task.get(JOB_ID, "busy", task_get_options=batchmodels.TaskGetOptions(expand="stats"))
        return {
            "withoutExpand": plain.stats,
            "numSucceededTasks": stats.num_succeeded_tasks,
            "numFailedTasks": stats.num_failed_tasks,
            "numTaskRetries": stats.num_task_retries,
            "cpuPositive": stats.user_cpu_time + stats.kernel_cpu_time > ZERO,
            "wallClockPositive": stats.wall_clock_time > ZERO,
            "taskCpuPositive": task.stats is not None and task.stats.user_cpu_time + task.stats.kernel_cpu_time > ZERO,
        }

    def lifetime_job_stats():
        stats = client.job.get_all_lifetime_statistics()
        return {
            "atLeastOurSucceeded": stats.num_succeeded_tasks >= 1,
            "atLeastOurFailed": stats.num_failed_tasks >= 1,
            "cpuPositive": stats.user_cpu_time + stats.kernel_cpu_time > ZERO,
            "urlEnds": stats.url.endswith("/lifetimejobstats"),
            "spanOrdered": stats.start_time <= stats.last_update_time,
        }

    def lifetime_pool_stats():
        stats = when(
            client.pool.get_all_lifetime_statistics,
            lambda found: found.usage_stats is not None and found.usage_stats.dedicated_core_time > ZERO,
            "dedicated core time to be counted",
        )
        resources = stats.resource_stats
        return {
            "dedicatedCoreTimePositive": stats.usage_stats.dedicated_core_time > ZERO,
            "peakMemoryPositive": resources.peak_memory_gi_b > 0,
            "avgCpuInRange": 0 <= resources.avg_cpu_percentage <= 100,
            "urlEnds": stats.url.endswith("/lifetimepoolstats"),
        }

    def usage_metrics():
        def mine():
            items = [item for item in client.pool.list_usage_metrics() if item.pool_id == POOL_ID and item.total_core_hours > 0]
            return items or None

        items = poll(mine, f"a usage metric of {POOL_ID}")
        item = items[0]
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        backwards = failure(
            lambda: list(client.pool.list_usage_metrics(batchmodels.PoolListUsageMetricsOptions(start_time=later, end_time=later - datetime.timedelta(hours=2))))
        )
        return {
            "vmSize": item.vm_size.lower(),
            "intervalMinutes": (item.end_time - item.start_time).total_seconds() / 60,
            "endBeforeStart": backwards,
        }

    def errors():
        return {
            "jobNotFound": failure(lambda: client.job.get("no-such-job", job_get_options=batchmodels.JobGetOptions(expand="stats"))),
            "noPreparationTask": failure(lambda: list(client.job.list_preparation_and_release_task_status(JOB_ID))),
            "jobExists": failure(lambda: client.job.add(batchmodels.JobAddParameter(id=JOB_ID, pool_info=batchmodels.PoolInformation(pool_id=POOL_ID)))),
        }

    def delete():
        client.job.delete(JOB_ID)
        job = poll(lambda: gone(lambda: client.job.get(JOB_ID)), "the job to be gone")
        return {"jobAfterDelete": job, "poolAfterDelete": delete_pool(client, POOL_ID)}

    return [
        ("statistics_run_tasks", run_tasks),
        ("statistics_job_stats", job_stats),
        ("statistics_lifetime_job", lifetime_job_stats),
        ("statistics_lifetime_pool", lifetime_pool_stats),
        ("statistics_usage_metrics", usage_metrics),
        ("statistics_errors", errors),
        ("statistics_delete", delete),
    ]


def cleanup(client):
    try:
        client.job.delete(JOB_ID)
    except Exception:  # cleanup only; the family's failing step is the report
        pass
    delete_pool_quietly(client, POOL_ID)
