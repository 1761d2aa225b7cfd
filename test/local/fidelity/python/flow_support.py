# Why: the helpers every family of the Python SDK flow shares (polling, error codes, pools that are ready), so each family file holds only its steps.
"""Shared by sdk_flow.py and the flow_*.py families: nothing here prints or calls the service on import."""
import os
import time
import traceback

import azure.batch.models as batchmodels
from azure.batch.models import BatchErrorException

DEADLINE_SECONDS = float(os.environ.get("FLOW_DEADLINE_SECONDS", "60"))
VM = batchmodels.VirtualMachineConfiguration(
    image_reference=batchmodels.ImageReference(publisher="canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts"),
    node_agent_sku_id="batch.node.ubuntu 22.04",
)
START_TASK = batchmodels.StartTask(command_line='/bin/sh -c "echo started > started.txt"', wait_for_success=True)


def text(value):
    """An enum member or a plain value as JSON-friendly text."""
    return getattr(value, "value", value)


def error_code(error):
    return error.error.code if isinstance(error, BatchErrorException) and error.error is not None else None


def error_values(error):
    return {detail.key: detail.value for detail in (error.error.values or [])} if error_code(error) else {}


def describe(error):
    if isinstance(error, BatchErrorException) and error.error is not None:
        message = error.error.message.value if error.error.message is not None else ""
        values = error_values(error)
        return f"{error.response.status_code} {error.error.code}: {message.splitlines()[0] if message else ''} {values or ''}".strip()
    return "".join(traceback.format_exception_only(type(error), error)).strip()


def poll(probe, what):
    """Calls probe until it returns something other than None, or fails after the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {DEADLINE_SECONDS:.0f} s waiting for {what}")
        time.sleep(0.1)


def gone(get):
    """None while get() still answers; the error code once it answers 404."""
    try:
        get()
        return None
    except BatchErrorException as error:
        if error.response.status_code == 404:
            return error_code(error)
        raise


def failure(call):
    """The status and Batch error code a call fails with ({"status": 200, "code": None} when it does not fail)."""
    try:
        call()
    except BatchErrorException as error:
        return {"status": error.response.status_code, "code": error_code(error)}
    return {"status": 200, "code": None}


def when(get, check, what):
    """Polls get() until check(value) holds; returns that value."""
    return poll(lambda: (lambda value: value if check(value) else None)(get()), what)


def metadata_of(entity):
    return {item.name: item.value for item in entity.metadata or []}


def idle_nodes(client, pool_id, count):
    """Waits until the pool has exactly `count` nodes, all idle; returns them sorted by id."""

    def probe():
        nodes = list(client.compute_node.list(pool_id))
        return sorted(nodes, key=lambda node: node.id) if len(nodes) == count and all(text(node.state) == "idle" for node in nodes) else None

    return poll(probe, f"{count} idle nodes in pool {pool_id}")


def add_pool(client, pool_id, nodes, **properties):
    """Adds a pool of `nodes` dedicated nodes with the flow's start task and waits until they are idle."""
    client.pool.add(
        batchmodels.PoolAddParameter(
            id=pool_id, vm_size="standard_d2s_v3", virtual_machine_configuration=VM, target_dedicated_nodes=nodes, start_task=START_TASK, **properties
        )
    )
    return idle_nodes(client, pool_id, nodes)


def delete_pool(client, pool_id):
    """Deletes the pool and waits until it answers 404; returns that code."""
    client.pool.delete(pool_id)
    return poll(lambda: gone(lambda: client.pool.get(pool_id)), f"pool {pool_id} to be gone")


def delete_pool_quietly(client, pool_id):
    """Cleanup after a failed family, so its nodes do not hold the machine's node cap: no error is raised."""
    try:
        if client.pool.exists(pool_id):
            delete_pool(client, pool_id)
    except Exception:  # cleanup only; the family's failing step is the report
        pass
