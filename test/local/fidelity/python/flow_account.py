# Why: the applications and account families of the Python SDK flow: application list/get, supported images and pool node counts.
"""Two small families; the account one adds a one-node pool to count, and deletes it."""
from flow_support import add_pool, delete_pool, delete_pool_quietly, failure

POOL_ID = "py-account-pool"


def application_steps(client):
    def list_and_get():
        return {
            "applications": [application.id for application in client.application.list()],
            "getMissing": failure(lambda: client.application.get("no-such-application")),
        }

    return [("applications_list_and_get", list_and_get)]


def account_steps(client):
    def supported_images():
        images = list(client.account.list_supported_images())
        jammy = [
            image
            for image in images
            if image.node_agent_sku_id == "batch.node.ubuntu 22.04" and image.image_reference.offer == "0001-com-ubuntu-server-jammy"
        ]
        return {
            "count": len(images),
            "hasJammy": len(jammy) > 0,
            "jammyOsType": jammy[0].os_type.value if jammy else None,
            "everyHasSku": all(image.node_agent_sku_id and image.image_reference.publisher for image in images),
        }

    def pool_node_counts():
        add_pool(client, POOL_ID, 1)
        counts = {entry.pool_id: entry for entry in client.account.list_pool_node_counts()}
        mine = counts.get(POOL_ID)
        result = {
            "pools": sorted(counts),
            "dedicated": {"idle": mine.dedicated.idle, "running": mine.dedicated.running, "total": mine.dedicated.total} if mine else None,
            "lowPriorityTotal": mine.low_priority.total if mine else None,
        }
        result["poolAfterDelete"] = delete_pool(client, POOL_ID)
        return result

    return [
        ("account_supported_images", supported_images),
        ("account_pool_node_counts", pool_node_counts),
    ]


def account_cleanup(client):
    delete_pool_quietly(client, POOL_ID)
