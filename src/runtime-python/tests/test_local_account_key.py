# Why: local mode started by hand answers to the data folder's private key (service.json says where it is), as the TypeScript runtime does.
import json

from batch_manager.settings.batch_client_settings import BatchClientSettings
from batch_manager.settings.local_defaults import LOCAL_BATCH_ACCOUNT_KEY


def _settings(tmp_path, **extra):
    env = {"BATCH_ACCOUNT_URL": "http://127.0.0.1:8510", "BATCH_AUTH_MODE": "local", "BATCH_MANAGER_LOCAL_DATA": str(tmp_path), **extra}
    return BatchClientSettings(env)


def test_no_service_gives_the_well_known_key(tmp_path):
    assert _settings(tmp_path).account_key == LOCAL_BATCH_ACCOUNT_KEY


def test_the_data_folders_key_file(tmp_path):
    key = "a2V5" * 20
    (tmp_path / "key").write_text(key + "\n")
    (tmp_path / "service.json").write_text(json.dumps({"accountKeySource": "keyFile"}))
    assert _settings(tmp_path).account_key == key
    (tmp_path / "service.json").write_text(json.dumps({"accountKeySource": "wellKnown"}))
    assert _settings(tmp_path).account_key == LOCAL_BATCH_ACCOUNT_KEY


def test_an_explicit_key_wins(tmp_path):
    (tmp_path / "key").write_text("a2V5" * 20)
    assert _settings(tmp_path, BATCH_ACCOUNT_KEY="a2V5a2V5").account_key == "a2V5a2V5"
