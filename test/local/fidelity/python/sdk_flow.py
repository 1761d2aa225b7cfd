# Why: every operation family of the local service through Microsoft's Python SDK (azure-batch, Debian's python3-azure); one JSON line per step for test/local/fidelity/pythonSdk.test.ts.
"""Runs the flow against BATCH_URL with BATCH_ACCOUNT_NAME / BATCH_ACCOUNT_KEY (never printed).

Prints one JSON object per line: {"step": <name>, "family": <family>, "ok": true, "result": {...}} or {..., "ok": false,
"error": "..."}. The steps of a family depend on each other, so a failing step ends its family (whose cleanup then
deletes what it made); the next family still runs. FLOW_FAMILIES=nodes,pools runs only those families.
The core family is the pool / job / task / file / delete flow; the others are in flow_<family>.py.
"""
import json
import os
import sys
from urllib.parse import parse_qs, urlparse

import azure.batch
import azure.batch.models as batchmodels
import flow_account
import flow_nodes
import flow_pools
import flow_schedules
import flow_statistics
import flow_tasks
from azure.batch import BatchServiceClient
from azure.batch.batch_auth import SharedKeyCredentials
from flow_support import START_TASK, VM, describe, gone, poll, text
from flow_support import failure as not_found

POOL_ID = os.environ.get("FLOW_POOL_ID", "py-flow-pool")
JOB_ID = os.environ.get("FLOW_JOB_ID", "py-flow-job")
NODES = 2


def core_steps(client):
    def versions():
        raw = client.pool.exists("py-flow-version-probe", raw=True)
        sent = parse_qs(urlparse(raw.response.request.url).query).get("api-version", [None])[0]
        return {"sdkVersion": azure.batch.VERSION, "clientApiVersion": client.api_version, "sentApiVersion": sent}

    def create_pool():
        client.pool.add(
            batchmodels.PoolAddParameter(id=POOL_ID, vm_size="standard_d2s_v3", virtual_machine_configuration=VM, target_dedicated_nodes=NODES, start_task=START_TASK)
        )

        def idle_nodes():
            nodes = list(client.compute_node.list(POOL_ID))
            return nodes if len(nodes) == NODES and all(text(node.state) == "idle" for node in nodes) else None

        nodes = poll(idle_nodes, f"{NODES} idle nodes")
        pool = client.pool.get(POOL_ID)
        return {"nodeStates": [text(node.state) for node in nodes], "allocationState": text(pool.allocation_state), "currentDedicatedNodes": pool.current_dedicated_nodes}

    def patch_pool():
        client.pool.patch(POOL_ID, batchmodels.PoolPatchParameter(metadata=[batchmodels.MetadataItem(name="owner", value="python")]))
        pool = client.pool.get(POOL_ID)
        return {"metadata": {item.name: item.value for item in pool.metadata or []}, "startTask": pool.start_task.command_line if pool.start_task else None}

    def update_pool():
        client.pool.update_properties(
            POOL_ID,
            batchmodels.PoolUpdatePropertiesParameter(
                certificate_references=[],
                application_package_references=[],
                metadata=[batchmodels.MetadataItem(name="stage", value="updated")],
                start_task=START_TASK,
            ),
        )
        pool = client.pool.get(POOL_ID)
        return {"metadata": {item.name: item.value for item in pool.metadata or []}, "startTask": pool.start_task.command_line if pool.start_task else None}

    def add_job():
        client.job.add(
            batchmodels.JobAddParameter(id=JOB_ID, pool_info=batchmodels.PoolInformation(pool_id=POOL_ID), priority=10, on_all_tasks_complete="noaction")
        )
        job = client.job.get(JOB_ID)
        return {"state": text(job.state), "poolId": job.pool_info.pool_id, "priority": job.priority}

    def patch_job():
        client.job.patch(JOB_ID, batchmodels.JobPatchParameter(priority=100, metadata=[batchmodels.MetadataItem(name="flow", value="python")]))
        job = client.job.get(JOB_ID)
        return {"priority": job.priority, "metadata": {item.name: item.value for item in job.metadata or []}}

    def update_job():
        client.job.update(
            JOB_ID,
            batchmodels.JobUpdateParameter(
                pool_info=batchmodels.PoolInformation(pool_id=POOL_ID),
                priority=200,
                constraints=batchmodels.JobConstraints(max_task_retry_count=1),
                on_all_tasks_complete="noaction",
            ),
        )
        job = client.job.get(JOB_ID)
        return {"priority": job.priority, "maxTaskRetryCount": job.constraints.max_task_retry_count, "metadata": {item.name: item.value for item in job.metadata or []}}

    def disable_job():
        # so that the tasks added next wait, and can still be updated
        client.job.disable(JOB_ID, "requeue")
        job = poll(lambda: (lambda job: job if text(job.state) == "disabled" else None)(client.job.get(JOB_ID)), "the job to be disabled")
        return {"state": text(job.state)}

    def add_task():
        client.task.add(JOB_ID, batchmodels.TaskAddParameter(id="single", command_line='/bin/sh -c "echo hello from python"'))
        task = client.task.get(JOB_ID, "single")
        return {"id": task.id, "state": text(task.state)}

    def add_collection():
        tasks = [
            batchmodels.TaskAddParameter(id="many-1", command_line='/bin/sh -c "echo one"'),
            batchmodels.TaskAddParameter(id="many-2", command_line='/bin/sh -c "echo two >&2"'),
            batchmodels.TaskAddParameter(id="many-3", command_line='/bin/sh -c "exit 3"'),
        ]
        result = client.task.add_collection(JOB_ID, tasks)
        return {"results": sorted([{"taskId": item.task_id, "status": text(item.status), "error": item.error.code if item.error else None} for item in result.value], key=lambda item: item["taskId"])}

    def update_task():
        client.task.update(JOB_ID, "single", constraints=batchmodels.TaskConstraints(max_task_retry_count=2))
        task = client.task.get(JOB_ID, "single")
        return {"state": text(task.state), "maxTaskRetryCount": task.constraints.max_task_retry_count}

    def enable_job():
        client.job.enable(JOB_ID)
        return {"state": text(client.job.get(JOB_ID).state)}

    def wait_for_completion():
        def all_completed():
            tasks = list(client.task.list(JOB_ID))
            return tasks if len(tasks) == 4 and all(text(task.state) == "completed" for task in tasks) else None

        tasks = poll(all_completed, "the 4 tasks to complete")
        return {"tasks": {task.id: {"state": text(task.state), "exitCode": task.execution_info.exit_code} for task in tasks}}

    def get_task():
        task = client.task.get(JOB_ID, "single")
        info = task.execution_info
        return {"id": task.id, "state": text(task.state), "exitCode": info.exit_code, "result": text(info.result), "nodeId": task.node_info.node_id if task.node_info else None}

    def list_tasks_with_filter():
        failed = client.task.list(JOB_ID, task_list_options=batchmodels.TaskListOptions(filter="executionInfo/exitCode eq 3"))
        selected = client.task.list(JOB_ID, task_list_options=batchmodels.TaskListOptions(filter="startswith(id,'many-')", select="id,state"))
        return {"exitCode3": [task.id for task in failed], "many": sorted((task.id, text(task.state), task.command_line) for task in selected)}

    def task_counts():
        counts = client.job.get_task_counts(JOB_ID)
        counts = getattr(counts, "task_counts", counts)
        return {"active": counts.active, "running": counts.running, "completed": counts.completed, "succeeded": counts.succeeded, "failed": counts.failed}

    def list_files():
        files = client.file.list_from_task(JOB_ID, "single", recursive=True)
        return {"names": sorted(file.name for file in files)}

    def file_properties():
        raw = client.file.get_properties_from_task(JOB_ID, "single", "stdout.txt", raw=True)
        return {"contentLength": int(raw.headers["Content-Length"]), "isDirectory": str(raw.headers.get("ocp-batch-file-isdirectory")).lower()}

    def download_stdout():
        content = b"".join(client.file.get_from_task(JOB_ID, "single", "stdout.txt"))
        ranged = b"".join(
            client.file.get_from_task(JOB_ID, "single", "stdout.txt", file_get_from_task_options=batchmodels.FileGetFromTaskOptions(ocp_range="bytes=0-4"))
        )
        stderr = b"".join(client.file.get_from_task(JOB_ID, "many-2", "stderr.txt"))
        return {"stdout": content.decode(), "range": ranged.decode(), "stderrOfMany2": stderr.decode()}

    def node_files():
        node_id = client.task.get(JOB_ID, "single").node_info.node_id
        names = [file.name for file in client.file.list_from_compute_node(POOL_ID, node_id, recursive=True)]
        started = b"".join(client.file.get_from_compute_node(POOL_ID, node_id, "startup/wd/started.txt"))
        return {"hasStartTaskOutput": "startup/wd/started.txt" in names, "started": started.decode()}

    def terminate_job():
        client.job.terminate(JOB_ID, terminate_reason="flow done")
        job = poll(lambda: (lambda job: job if text(job.state) == "completed" else None)(client.job.get(JOB_ID)), "the job to complete")
        return {"state": text(job.state), "terminateReason": job.execution_info.terminate_reason}

    def delete_job():
        client.job.delete(JOB_ID)
        return {"getAfterDelete": poll(lambda: gone(lambda: client.job.get(JOB_ID)), "the job to be gone")}

    def delete_pool():
        client.pool.delete(POOL_ID)
        return {"getAfterDelete": poll(lambda: gone(lambda: client.pool.get(POOL_ID)), "the pool to be gone")}

    def not_found_after_delete():
        return {
            "job": not_found(lambda: client.job.get(JOB_ID)),
            "task": not_found(lambda: client.task.get(JOB_ID, "single")),
            "file": not_found(lambda: b"".join(client.file.get_from_task(JOB_ID, "single", "stdout.txt"))),
            "pool": not_found(lambda: client.pool.get(POOL_ID)),
            "poolExists": client.pool.exists(POOL_ID),
            "deleteAgain": not_found(lambda: client.pool.delete(POOL_ID)),
        }

    return [
        ("versions", versions),
        ("create_pool", create_pool),
        ("patch_pool", patch_pool),
        ("update_pool", update_pool),
        ("add_job", add_job),
        ("patch_job", patch_job),
        ("update_job", update_job),
        ("disable_job", disable_job),
        ("add_task", add_task),
        ("add_collection", add_collection),
        ("update_task", update_task),
        ("enable_job", enable_job),
        ("wait_for_completion", wait_for_completion),
        ("get_task", get_task),
        ("list_tasks_with_filter", list_tasks_with_filter),
        ("task_counts", task_counts),
        ("list_files", list_files),
        ("file_properties", file_properties),
        ("download_stdout", download_stdout),
        ("node_files", node_files),
        ("terminate_job", terminate_job),
        ("delete_job", delete_job),
        ("delete_pool", delete_pool),
        ("not_found_after_delete", not_found_after_delete),
    ]


def families(client):
    """(family, steps, cleanup) in the order they run; each family makes and deletes its own pools, jobs and schedules."""
    return [
        ("core", core_steps(client), None),
        ("nodes", flow_nodes.steps(client), flow_nodes.cleanup),
        ("pools", flow_pools.steps(client), flow_pools.cleanup),
        ("schedules", flow_schedules.steps(client), flow_schedules.cleanup),
        ("applications", flow_account.application_steps(client), None),
        ("account", flow_account.account_steps(client), flow_account.account_cleanup),
        ("tasks", flow_tasks.steps(client), flow_tasks.cleanup),
        ("statistics", flow_statistics.steps(client), flow_statistics.cleanup),
    ]


def main():
    client = BatchServiceClient(SharedKeyCredentials(os.environ["BATCH_ACCOUNT_NAME"], os.environ["BATCH_ACCOUNT_KEY"]), batch_url=os.environ["BATCH_URL"])
    only = set(filter(None, os.environ.get("FLOW_FAMILIES", "").split(",")))
    failed = False
    for family, steps, cleanup in families(client):
        if only and family not in only:
            continue
        for name, step in steps:
            try:
                result = step()
            except Exception as error:  # the step's failure is the report; the family's later steps depend on it
                print(json.dumps({"step": name, "family": family, "ok": False, "error": describe(error)}), flush=True)
                failed = True
                if cleanup:
                    cleanup(client)
                break
            print(json.dumps({"step": name, "family": family, "ok": True, "result": result}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
