# Why: Microsoft's Python SDK (azure-batch, Debian's python3-azure) signs the Content-Length: 0 it sends on DELETE as "0";
# the local service, like Batch, accepts that signature (issue 10: every delete used to answer 403 AuthenticationFailed).
import azure.batch.models as batchmodels
import pytest
from azure.batch import BatchServiceClient
from azure.batch.models import BatchErrorException

VM = batchmodels.VirtualMachineConfiguration(
    image_reference=batchmodels.ImageReference(publisher="canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts"),
    node_agent_sku_id="batch.node.ubuntu 22.04",
)


def test_job_and_pool_delete_through_the_python_sdk(batch_client: BatchServiceClient) -> None:
    batch_client.pool.add(batchmodels.PoolAddParameter(id="py-delete-pool", vm_size="standard_d2s_v3", virtual_machine_configuration=VM, target_dedicated_nodes=0))
    batch_client.job.add(batchmodels.JobAddParameter(id="py-delete-job", pool_info=batchmodels.PoolInformation(pool_id="py-delete-pool")))
    batch_client.job.delete("py-delete-job")
    batch_client.pool.delete("py-delete-pool")
    # deleted (or being deleted) as the service answers it, not refused
    for get in (lambda: batch_client.job.get("py-delete-job"), lambda: batch_client.pool.get("py-delete-pool")):
        try:
            state = get().state
        except BatchErrorException as error:
            assert error.error.code in ("JobNotFound", "PoolNotFound"), error.error.code
        else:
            assert state in ("deleting", batchmodels.JobState.deleting, batchmodels.PoolState.deleting), state


def test_a_delete_with_a_wrong_key_is_still_refused(local_service) -> None:
    from azure.batch.batch_auth import SharedKeyCredentials

    wrong = BatchServiceClient(SharedKeyCredentials(local_service.account_name, "d3Jvbmcta2V5" * 4), batch_url=local_service.batch_url)
    with pytest.raises(BatchErrorException) as raised:
        wrong.job.delete("no-such-job")
    assert raised.value.error.code == "AuthenticationFailed"
