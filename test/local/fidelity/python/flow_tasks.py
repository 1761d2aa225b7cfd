# Why: the task extras family of the Python SDK flow: reactivate a failed task, subtasks, terminate a running task, delete a task and a task file, the job preparation status.
"""Its own pool (one node, two slots) and job (with a job preparation task), deleted at the end."""
import azure.batch.models as batchmodels
from flow_support import add_pool, delete_pool, delete_pool_quietly, failure, gone, poll, text, when

POOL_ID = "py-tasks-pool"
JOB_ID = "py-tasks-job"
# fails (exit 2) the first time, succeeds once reactivated: the marker in the node's shared folder remembers the first run
FLAKY = '/bin/sh -c \'m="$AZ_BATCH_NODE_SHARED_DIR/py-flaky"; if [ -f "$m" ]; then echo second; exit 0; fi; touch "$m"; exit 2\''


def steps(client):
    def task(task_id):
        return client.task.get(JOB_ID, task_id)

    def completed(task_id):
        return when(lambda: task(task_id), lambda found: text(found.state) == "completed", f"task {task_id} to complete")

    def reactivate():
        add_pool(client, POOL_ID, 1, task_slots_per_node=2)
        client.job.add(
            batchmodels.JobAddParameter(
                id=JOB_ID,
                pool_info=batchmodels.PoolInformation(pool_id=POOL_ID),
                job_preparation_task=batchmodels.JobPreparationTask(command_line='/bin/sh -c "echo prepared"'),
            )
        )
        client.task.add(JOB_ID, batchmodels.TaskAddParameter(id="flaky", command_line=FLAKY))
        first = completed("flaky")
        client.task.reactivate(JOB_ID, "flaky")
        right_after = task("flaky")
        second = completed("flaky")
        stdout = b"".join(client.file.get_from_task(JOB_ID, "flaky", "stdout.txt")).decode()
        return {
            "first": [first.execution_info.exit_code, text(first.execution_info.result)],
            "rightAfter": [text(right_after.state), right_after.execution_info.exit_code if right_after.execution_info else None],
            "second": [second.execution_info.exit_code, text(second.execution_info.result), second.execution_info.retry_count],
            "stdout": stdout,
        }

    def subtasks():
        return {"subtasks": client.task.list_subtasks(JOB_ID, "flaky").value}

    def terminate_running():
        client.task.add(JOB_ID, batchmodels.TaskAddParameter(id="sleeper", command_line='/bin/sh -c "sleep 120"'))
        running = when(lambda: task("sleeper"), lambda found: text(found.state) == "running", "the sleeper to run")
        client.task.terminate(JOB_ID, "sleeper")
        ended = completed("sleeper")
        info = ended.execution_info
        return {
            "wasRunning": text(running.state),
            "state": text(ended.state),
            "result": text(info.result),
            "failureCode": info.failure_info.code if info.failure_info else None,
            "terminateAgain": failure(lambda: client.task.terminate(JOB_ID, "sleeper")),
        }

    def delete_task_and_file():
        client.task.delete(JOB_ID, "sleeper")
        client.file.delete_from_task(JOB_ID, "flaky", "stderr.txt")
        return {
            "taskAfterDelete": poll(lambda: gone(lambda: task("sleeper")), "the deleted task to be gone"),
            "remaining": sorted(found.id for found in client.task.list(JOB_ID)),
            # a HEAD answer has no body, so the deleted file's code is asked with a GET
            "fileAfterDelete": failure(lambda: b"".join(client.file.get_from_task(JOB_ID, "flaky", "stderr.txt"))),
        }

    def preparation_status():
        statuses = list(client.job.list_preparation_and_release_task_status(JOB_ID))
        preparation = statuses[0].job_preparation_task_execution_info if statuses else None
        return {
            "nodes": len(statuses),
            "poolId": statuses[0].pool_id if statuses else None,
            "preparation": [text(preparation.state), preparation.exit_code] if preparation else None,
        }

    def errors():
        return {
            "taskExists": failure(lambda: client.task.add(JOB_ID, batchmodels.TaskAddParameter(id="flaky", command_line="/bin/true"))),
            "taskNotFound": failure(lambda: client.task.get(JOB_ID, "no-such-task")),
            "jobNotFound": failure(lambda: client.task.get("no-such-job", "flaky")),
            "reactivateSucceeded": failure(lambda: client.task.reactivate(JOB_ID, "flaky")),
            "updateCompleted": failure(lambda: client.task.update(JOB_ID, "flaky", constraints=batchmodels.TaskConstraints(max_task_retry_count=1))),
        }

    def delete():
        client.job.delete(JOB_ID)
        job = poll(lambda: gone(lambda: client.job.get(JOB_ID)), "the job to be gone")
        return {"jobAfterDelete": job, "poolAfterDelete": delete_pool(client, POOL_ID)}

    return [
        ("tasks_reactivate", reactivate),
        ("tasks_subtasks", subtasks),
        ("tasks_terminate_running", terminate_running),
        ("tasks_delete_task_and_file", delete_task_and_file),
        ("tasks_preparation_status", preparation_status),
        ("tasks_errors", errors),
        ("tasks_delete", delete),
    ]


def cleanup(client):
    try:
        client.job.delete(JOB_ID)
    except Exception:  # cleanup only; the family's failing step is the report
        pass
    delete_pool_quietly(client, POOL_ID)
