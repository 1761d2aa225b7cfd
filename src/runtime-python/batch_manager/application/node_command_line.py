# Why: the command line a Batch node runs for each role: the Python interpreter + the workload's main.py inside its application package.
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from azure.batch import models

from .roles import Role

if TYPE_CHECKING:
    from ..settings.batch_client_settings import BatchClientSettings


def application_package_variable(application_id: str, version: str, os_name: str = "linux") -> str:
    """The AZ_BATCH_APP_PACKAGE_* variable of a package (Linux: lower-case, `.`/`-`/`#` → `_`; Windows: `ID#version`)."""
    if os_name == "windows":
        return f"AZ_BATCH_APP_PACKAGE_{application_id.upper()}#{version}"
    flatten = lambda text: re.sub(r"[.\-#]", "_", text)  # noqa: E731
    return f"AZ_BATCH_APP_PACKAGE_{flatten(application_id.lower())}_{flatten(version)}"


def node_command_line(settings: BatchClientSettings, role: Role) -> str:
    """
    Batch runs command lines without a shell, so the package folder is expanded by an explicit `/bin/sh -c` (Linux) or
    `cmd /c` (Windows): `/bin/sh -c "exec python3 $AZ_BATCH_APP_PACKAGE_<id>_<version>/main.py <role>"`.
    """
    application_id, version = settings.application_id, settings.application_version
    if not application_id or not version:
        raise ValueError("BATCH_APPLICATION_ID and BATCH_APPLICATION_VERSION are needed to build a node command line")
    variable = application_package_variable(application_id, version, settings.node_os)
    if settings.node_os == "windows":
        return f"cmd /c {settings.node_executable} %{variable}%\\main.py {role}"
    return f'/bin/sh -c "exec {settings.node_executable} ${variable}/main.py {role}"'


def application_package_references(settings: BatchClientSettings) -> list[models.ApplicationPackageReference]:
    if not settings.application_id or not settings.application_version:
        return []
    return [models.ApplicationPackageReference(application_id=settings.application_id, version=settings.application_version)]
