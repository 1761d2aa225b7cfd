# Why: submit's checks before it creates a job — the pool and the application package version exist — so a job that could never start is never created; each problem names its setting and the fix (as the TypeScript runtime's).
from __future__ import annotations

from azure.batch import BatchServiceClient, models

from ..settings.batch_client_settings import BatchClientSettings
from ..settings.settings_error import SettingProblem, SettingsError


def _not_found(error: models.BatchErrorException) -> bool:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None) == 404


def _pool_problem(client: BatchServiceClient, pool_id: str) -> SettingProblem | None:
    try:
        client.pool.get(pool_id, pool_get_options=models.PoolGetOptions(select="id,state"))
        return None
    except models.BatchErrorException as error:
        if not _not_found(error):
            raise
        return SettingProblem(
            "BATCH_POOL_ID",
            f'names pool "{pool_id}", which does not exist in {client.config.batch_url}: create it (batch-manager deploy creates the pool) '
            "or set BATCH_POOL_ID to an existing pool",
        )


def _application_problem(client: BatchServiceClient, application_id: str, version: str) -> SettingProblem | None:
    deploy_hint = f"deploy it (batch-manager deploy; locally: copy the zip to <dataDir>/applications/{application_id}/{version}.zip)"
    try:
        application = client.application.get(application_id)
    except models.BatchErrorException as error:
        if not _not_found(error):
            raise
        return SettingProblem("BATCH_APPLICATION_ID", f'names application "{application_id}", which the account does not have: {deploy_hint}')
    versions = list(application.versions or [])
    if version in versions:
        return None
    known = ", ".join(versions) or "none"
    return SettingProblem(
        "BATCH_APPLICATION_VERSION",
        f'names version "{version}" of application "{application_id}", which has no such package (versions: {known}): {deploy_hint} '
        "or set BATCH_APPLICATION_VERSION to one of them",
    )


def check_submit_prerequisites(client: BatchServiceClient, settings: BatchClientSettings) -> None:
    """Raises a SettingsError (exit code 3) listing every prerequisite of the job that is missing."""
    problems = [
        settings.pool_id and _pool_problem(client, settings.pool_id),
        settings.application_id and settings.application_version and _application_problem(client, settings.application_id, settings.application_version),
    ]
    found = [problem for problem in problems if isinstance(problem, SettingProblem)]
    if found:
        raise SettingsError(found)
