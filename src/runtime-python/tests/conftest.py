# Why: the session's real parts: one local Batch service (with Azurite), its pool, the scraping example deployed as an application package, a callback server.
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.batch import BatchServiceClient, models
from azure.batch.batch_auth import SharedKeyCredentials
from azure.storage.blob import BlobServiceClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.callback_server import CallbackServer  # noqa: E402
from support.local_service import AZURITE_KEY, LocalService, deploy_application_package, start_local_service, stop_local_service  # noqa: E402
from support.workload_package import EXAMPLE_DIR, build_workload_zip  # noqa: E402

POOL_ID = "python-pool"
APPLICATION = {"BATCH_APPLICATION_ID": "scraping", "BATCH_APPLICATION_VERSION": "1.0.0"}


@pytest.fixture(scope="session")
def local_service() -> Iterator[LocalService]:
    service = start_local_service()
    try:
        yield service
    finally:
        stop_local_service(service)


@pytest.fixture(scope="session")
def batch_client(local_service: LocalService) -> BatchServiceClient:
    return BatchServiceClient(SharedKeyCredentials(local_service.account_name, local_service.account_key), batch_url=local_service.batch_url)


@pytest.fixture(scope="session")
def blob_service(local_service: LocalService) -> BlobServiceClient:
    return BlobServiceClient(local_service.blob_endpoint, credential={"account_name": local_service.storage_account_name, "account_key": AZURITE_KEY})


@pytest.fixture(scope="session")
def scraping_pool(local_service: LocalService, batch_client: BatchServiceClient, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The scraping example zipped with batch_manager and deployed; a two-node pool."""
    package = build_workload_zip(EXAMPLE_DIR, tmp_path_factory.mktemp("package") / "scraping.zip")
    deploy_application_package(local_service, APPLICATION["BATCH_APPLICATION_ID"], APPLICATION["BATCH_APPLICATION_VERSION"], package)
    image = models.ImageReference(publisher="canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts")
    vm = models.VirtualMachineConfiguration(image_reference=image, node_agent_sku_id="batch.node.ubuntu 22.04")
    batch_client.pool.add(
        models.PoolAddParameter(id=POOL_ID, vm_size="standard_d2s_v3", virtual_machine_configuration=vm, target_dedicated_nodes=2, task_slots_per_node=4)
    )
    return POOL_ID


@pytest.fixture(scope="session")
def callbacks() -> Iterator[CallbackServer]:
    server = CallbackServer()
    try:
        yield server
    finally:
        server.stop()
