# Why: the compute node family of the Python SDK flow: list/get, scheduling, reboot and reimage, node users and remote login, node files, extensions and the service log upload.
"""Needs FLOW_LOGS_CONTAINER_URL: a container SAS URL (read, write, create, list) on the service's Azurite."""
import base64
import datetime
import os
import re
import struct
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import azure.batch.models as batchmodels
from flow_support import add_pool, delete_pool, delete_pool_quietly, failure, poll, text, when

POOL_ID = "py-nodes-pool"


def ssh_public_key():
    """A well-formed OpenSSH ed25519 public key line (the key's bytes need not belong to anyone)."""
    key_type = b"ssh-ed25519"
    blob = struct.pack(">I", len(key_type)) + key_type + struct.pack(">I", 32) + bytes(range(32))
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} python-flow"


def list_blobs(container_url, prefix):
    """Blob names under prefix, listed straight from the storage REST API with the container SAS."""
    base, _, sas = container_url.partition("?")
    query = urllib.parse.urlencode({"restype": "container", "comp": "list", "prefix": prefix})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base}?{sas}&{query}", timeout=30) as response:
        tree = ElementTree.fromstring(response.read())
    return sorted(name.text[len(prefix) :] for name in tree.iter("Name"))


def steps(client):
    node_ids = []

    def node_state(node_id):
        return client.compute_node.get(POOL_ID, node_id)

    def list_and_get():
        nodes = add_pool(client, POOL_ID, 2)
        node_ids.extend(node.id for node in nodes)
        node = client.compute_node.get(POOL_ID, node_ids[0])
        return {
            "listed": len(nodes),
            "getId": node.id == node_ids[0],
            "state": text(node.state),
            "schedulingState": text(node.scheduling_state),
            "startTaskExitCode": node.start_task_info.exit_code if node.start_task_info else None,
            "isDedicated": node.is_dedicated,
        }

    def scheduling():
        node_id = node_ids[0]
        client.compute_node.disable_scheduling(POOL_ID, node_id, node_disable_scheduling_option="requeue")
        disabled = node_state(node_id)
        again = failure(lambda: client.compute_node.disable_scheduling(POOL_ID, node_id))
        client.compute_node.enable_scheduling(POOL_ID, node_id)
        enabled = node_state(node_id)
        return {
            "disabled": [text(disabled.state), text(disabled.scheduling_state)],
            "disableAgain": again,
            "enabled": [text(enabled.state), text(enabled.scheduling_state)],
        }

    def restart(node_id, call, what):
        """Calls reboot or reimage; the node right after the call, then once idle again, and its boot time before."""
        before = node_state(node_id).last_boot_time
        call()
        right_after = node_state(node_id)
        node = when(lambda: node_state(node_id), lambda node: text(node.state) == "idle", f"the {what} node to be idle")
        return node, {
            "rightAfter": text(right_after.state),
            # a local node can be back before the next request: then it has booted again already
            "rightAfterBooted": right_after.last_boot_time > before,
            "state": text(node.state),
        }, before

    def reboot():
        node_id = node_ids[1]
        node, seen, before = restart(node_id, lambda: client.compute_node.reboot(POOL_ID, node_id, node_reboot_option="requeue"), "rebooted")
        return {**seen, "bootedAgain": node.last_boot_time > before}

    def reimage():
        node_id = node_ids[1]
        _, seen, _ = restart(node_id, lambda: client.compute_node.reimage(POOL_ID, node_id, node_reimage_option="terminate"), "reimaged")
        started = b"".join(client.file.get_from_compute_node(POOL_ID, node_id, "startup/wd/started.txt")).decode()
        return {**seen, "startTaskRanAgain": started}

    def add_users():
        node_id = node_ids[0]
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)
        client.compute_node.add_user(POOL_ID, node_id, batchmodels.ComputeNodeUser(name="pypassword", password="Pa55-word!", expiry_time=expiry))
        client.compute_node.add_user(POOL_ID, node_id, batchmodels.ComputeNodeUser(name="pykey", is_admin=True, ssh_public_key=ssh_public_key()))
        duplicate = failure(lambda: client.compute_node.add_user(POOL_ID, node_id, batchmodels.ComputeNodeUser(name="pykey", password="x")))
        bad_key = failure(lambda: client.compute_node.add_user(POOL_ID, node_id, batchmodels.ComputeNodeUser(name="pybad", ssh_public_key="not a key")))
        return {"duplicate": duplicate, "badKey": bad_key}

    def update_user():
        node_id = node_ids[0]
        raw = client.compute_node.update_user(
            POOL_ID, node_id, "pypassword", batchmodels.NodeUpdateUserParameter(password="N3w-pa55!", ssh_public_key=ssh_public_key()), raw=True
        )
        missing = failure(lambda: client.compute_node.update_user(POOL_ID, node_id, "nobody-here", batchmodels.NodeUpdateUserParameter(password="x")))
        past = failure(
            lambda: client.compute_node.update_user(
                POOL_ID, node_id, "pykey", batchmodels.NodeUpdateUserParameter(expiry_time=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
            )
        )
        return {"status": raw.response.status_code, "missingUser": missing, "pastExpiry": past}

    def remote_login():
        settings = client.compute_node.get_remote_login_settings(POOL_ID, node_ids[0])
        desktop = failure(lambda: b"".join(client.compute_node.get_remote_desktop(POOL_ID, node_ids[0])))
        return {"ip": settings.remote_login_ip_address, "port": settings.remote_login_port, "remoteDesktop": desktop}

    def delete_users():
        node_id = node_ids[0]
        client.compute_node.delete_user(POOL_ID, node_id, "pypassword")
        client.compute_node.delete_user(POOL_ID, node_id, "pykey")
        return {"deleteAgain": failure(lambda: client.compute_node.delete_user(POOL_ID, node_id, "pykey"))}

    def node_files():
        node_id = node_ids[0]
        names = sorted(file.name for file in client.file.list_from_compute_node(POOL_ID, node_id, recursive=True) if not file.is_directory)
        raw = client.file.get_properties_from_compute_node(POOL_ID, node_id, "startup/wd/started.txt", raw=True)
        # a HEAD answer has no body, so the missing file's code is asked with a GET
        missing = failure(lambda: b"".join(client.file.get_from_compute_node(POOL_ID, node_id, "startup/no-such-file.txt")))
        return {
            "startupFiles": [name for name in names if name.startswith("startup/")],
            "startedIsDirectory": str(raw.headers.get("ocp-batch-file-isdirectory")).lower(),
            "startedLength": int(raw.headers["Content-Length"]),
            "missingFile": missing,
        }

    def extensions():
        listed = list(client.compute_node_extension.list(POOL_ID, node_ids[0]))
        return {"listed": listed, "getMissing": failure(lambda: client.compute_node_extension.get(POOL_ID, node_ids[0], "CustomScript"))}

    def upload_logs():
        container_url = os.environ["FLOW_LOGS_CONTAINER_URL"]
        since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
        result = client.compute_node.upload_batch_service_logs(
            POOL_ID, node_ids[0], batchmodels.UploadBatchServiceLogsConfiguration(container_url=container_url, start_time=since)
        )
        directory = result.virtual_directory_name
        no_start = failure(
            lambda: client.compute_node.upload_batch_service_logs(
                POOL_ID, node_ids[0], batchmodels.UploadBatchServiceLogsConfiguration(container_url="not-a-url", start_time=since)
            )
        )
        return {
            "directoryMatches": re.fullmatch(rf"{POOL_ID}/{re.escape(node_ids[0])}/[0-9a-f-]{{36}}", directory) is not None,
            "numberOfFilesUploaded": result.number_of_files_uploaded,
            "blobs": list_blobs(container_url, f"{directory}/"),
            "badUrl": no_start,
        }

    def errors():
        return {
            "nodeNotFound": failure(lambda: client.compute_node.get(POOL_ID, "no-such-node")),
            "poolNotFound": failure(lambda: list(client.compute_node.list("no-such-pool"))),
            "rebootMissing": failure(lambda: client.compute_node.reboot(POOL_ID, "no-such-node")),
            "userNotFound": failure(lambda: client.compute_node.delete_user(POOL_ID, node_ids[0], "nobody-here")),
            "enableTwice": failure(lambda: client.compute_node.enable_scheduling(POOL_ID, node_ids[0])),
        }

    def delete():
        return {"getAfterDelete": delete_pool(client, POOL_ID)}

    return [
        ("nodes_list_and_get", list_and_get),
        ("nodes_scheduling", scheduling),
        ("nodes_reboot", reboot),
        ("nodes_reimage", reimage),
        ("nodes_add_users", add_users),
        ("nodes_update_user", update_user),
        ("nodes_remote_login", remote_login),
        ("nodes_delete_users", delete_users),
        ("nodes_files", node_files),
        ("nodes_extensions", extensions),
        ("nodes_upload_logs", upload_logs),
        ("nodes_errors", errors),
        ("nodes_delete_pool", delete),
    ]


def cleanup(client):
    delete_pool_quietly(client, POOL_ID)
