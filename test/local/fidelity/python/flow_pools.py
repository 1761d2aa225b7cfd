# Why: the pool-size family of the Python SDK flow: resize and stop resize, remove nodes, and enable / evaluate / disable autoscale.
"""Needs the service started with an allocation delay (the test passes --allocation-delay), so a resize can be stopped while it runs."""
import datetime

import azure.batch.models as batchmodels
from flow_support import VM, add_pool, delete_pool, delete_pool_quietly, failure, idle_nodes, text, when

POOL_ID = "py-scale-pool"
FIVE_MINUTES = datetime.timedelta(minutes=5)


def steps(client):
    def pool():
        return client.pool.get(POOL_ID)

    def steady():
        return when(pool, lambda found: text(found.allocation_state) == "steady", f"pool {POOL_ID} to be steady")

    def resize_and_stop():
        add_pool(client, POOL_ID, 1)
        client.pool.resize(POOL_ID, batchmodels.PoolResizeParameter(target_dedicated_nodes=3))
        resizing = text(pool().allocation_state)
        client.pool.stop_resize(POOL_ID)
        stopped = steady()
        return {
            "afterResize": resizing,
            "currentDedicatedNodes": stopped.current_dedicated_nodes,
            "targetDedicatedNodes": stopped.target_dedicated_nodes,
            "resizeErrors": [error.code for error in stopped.resize_errors or []],
            "stopAgain": failure(lambda: client.pool.stop_resize(POOL_ID)),
        }

    def resize():
        client.pool.resize(POOL_ID, batchmodels.PoolResizeParameter(target_dedicated_nodes=2))
        nodes = idle_nodes(client, POOL_ID, 2)
        grown = steady()
        return {"nodes": len(nodes), "currentDedicatedNodes": grown.current_dedicated_nodes, "resizeErrors": [error.code for error in grown.resize_errors or []]}

    def remove_nodes():
        removed, kept = [node.id for node in idle_nodes(client, POOL_ID, 2)]
        client.pool.remove_nodes(POOL_ID, batchmodels.NodeRemoveParameter(node_list=[removed], node_deallocation_option="requeue"))
        target = pool().target_dedicated_nodes
        left = [node.id for node in idle_nodes(client, POOL_ID, 1)]
        unknown = failure(lambda: client.pool.remove_nodes(POOL_ID, batchmodels.NodeRemoveParameter(node_list=["no-such-node"])))
        return {"targetAfterRemove": target, "keptTheOther": left == [kept], "removedGone": removed not in left, "unknownNode": unknown}

    def enable_autoscale():
        not_enabled = failure(lambda: client.pool.evaluate_auto_scale(POOL_ID, "$TargetDedicatedNodes = 1;"))
        client.pool.enable_auto_scale(POOL_ID, auto_scale_formula="$TargetDedicatedNodes = 2;", auto_scale_evaluation_interval=FIVE_MINUTES)
        enabled = when(pool, lambda found: found.auto_scale_run is not None, "the first autoscale run")
        idle_nodes(client, POOL_ID, 2)
        return {
            "evaluateBeforeEnable": not_enabled,
            "enableAutoScale": enabled.enable_auto_scale,
            "formula": enabled.auto_scale_formula,
            "intervalMinutes": enabled.auto_scale_evaluation_interval.total_seconds() / 60,
            "runSetsTwo": "$TargetDedicatedNodes=2" in enabled.auto_scale_run.results,
            "runError": enabled.auto_scale_run.error,
            "currentDedicatedNodes": steady().current_dedicated_nodes,
        }

    def evaluate_autoscale():
        run = client.pool.evaluate_auto_scale(POOL_ID, "$TargetDedicatedNodes = 1;")
        broken = client.pool.evaluate_auto_scale(POOL_ID, "$TargetDedicatedNodes = ;")
        return {
            "resultsSetOne": "$TargetDedicatedNodes=1" in run.results,
            "error": run.error,
            "brokenHasError": broken.error is not None and bool(broken.error.code),
            "targetUnchanged": pool().target_dedicated_nodes,
        }

    def disable_autoscale():
        client.pool.disable_auto_scale(POOL_ID)
        disabled = pool()
        client.pool.resize(POOL_ID, batchmodels.PoolResizeParameter(target_dedicated_nodes=1))
        idle_nodes(client, POOL_ID, 1)
        return {"enableAutoScale": disabled.enable_auto_scale, "formula": disabled.auto_scale_formula, "resizedAfterDisable": steady().current_dedicated_nodes}

    def errors():
        too_often = failure(
            lambda: client.pool.enable_auto_scale(POOL_ID, auto_scale_formula="$TargetDedicatedNodes = 1;", auto_scale_evaluation_interval=datetime.timedelta(minutes=1))
        )
        return {
            "poolNotFound": failure(lambda: client.pool.resize("no-such-pool", batchmodels.PoolResizeParameter(target_dedicated_nodes=1))),
            "poolExists": failure(lambda: client.pool.add(batchmodels.PoolAddParameter(id=POOL_ID, vm_size="standard_d2s_v3", virtual_machine_configuration=VM))),
            "stopWhenSteady": failure(lambda: client.pool.stop_resize(POOL_ID)),
            "shortInterval": too_often,
        }

    def delete():
        return {"getAfterDelete": delete_pool(client, POOL_ID)}

    return [
        ("pools_resize_and_stop", resize_and_stop),
        ("pools_resize", resize),
        ("pools_remove_nodes", remove_nodes),
        ("pools_enable_autoscale", enable_autoscale),
        ("pools_evaluate_autoscale", evaluate_autoscale),
        ("pools_disable_autoscale", disable_autoscale),
        ("pools_errors", errors),
        ("pools_delete", delete),
    ]


def cleanup(client):
    delete_pool_quietly(client, POOL_ID)
