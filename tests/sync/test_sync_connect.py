"""Credentials: kept with keyring, never in the config file or the database; on a machine
without a keyring a clear message and an explicit 0600 file fallback; connect checks access
and creates the tabs; disconnect removes the secret."""

from __future__ import annotations

import json
import stat

import keyring
import pytest
from keyring.backends import fail

from .sync_sample import ACCOUNT, SHEET
from partners_tui import config
from partners_tui.sync import secrets
from partners_tui.sync.errors import BadCredentials, NoKeyring, PermissionDenied
from partners_tui.sync.secrets import Secret, secret_from_file
from partners_tui.sync.service import connect, disconnect
from partners_tui.sync.settings import load_settings, parse_spreadsheet_id

KEY = {
    "type": "service_account", "project_id": "team-project", "private_key_id": "abc",
    "private_key": "-----BEGIN PRIVATE KEY-----\nNOT-A-REAL-KEY\n-----END PRIVATE KEY-----\n",
    "client_email": ACCOUNT, "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token",
}


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(KEY))
    return path


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_the_spreadsheet_id_comes_from_a_url_or_an_id():
    url = "https://docs.google.com/spreadsheets/d/1AbC_dEf-123456789/edit#gid=0"
    assert parse_spreadsheet_id(url) == "1AbC_dEf-123456789"
    assert parse_spreadsheet_id("1AbC_dEf-123456789") == "1AbC_dEf-123456789"
    with pytest.raises(ValueError, match="not a spreadsheet URL"):
        parse_spreadsheet_id("my sheet")


def test_connect_checks_access_creates_tabs_and_keeps_the_secret_in_keyring(store, fake, key_file, isolated_machine, db_path):
    result = connect(store, f"https://docs.google.com/spreadsheets/d/{SHEET}/edit", secret_from_file(key_file, "service_account"),
                     session=fake.session())
    assert result.tabs_created == ("Partners", "Contacts", "Events", "Deals", "Activities", "Follow-ups", "Pipeline")
    assert result.secret_store == "keyring" and result.account == ACCOUNT
    assert [m for m, _, _ in fake.requests] == ["GET", "POST", "POST"]  # check, create tabs, headers
    assert fake.table(SHEET, "Deals")[0][:3] == ["id", "partner_id", "event_id"]

    stored = isolated_machine.secrets[(secrets.SERVICE, secrets.USERNAME)]
    assert json.loads(stored)["info"]["private_key"] == KEY["private_key"]
    cfg = config.config_path().read_text()
    assert SHEET in cfg and "PRIVATE KEY" not in cfg and "private_key" not in cfg
    assert b"PRIVATE KEY" not in db_path.read_bytes()
    assert load_settings().spreadsheet_id == SHEET
    assert secrets.load_secret("keyring") == Secret("service_account", KEY)

    fake.reset_log()
    connect(store, SHEET, secret_from_file(key_file, "service_account"), session=fake.session())
    assert [m for m, _, _ in fake.requests] == ["GET"]  # tabs already there

    assert disconnect() == (True, True)
    assert isolated_machine.secrets == {} and load_settings() is None
    assert disconnect() == (False, False)


def test_without_a_keyring_connect_says_so_and_changes_nothing(store, fake, key_file, no_keyring):
    with pytest.raises(NoKeyring) as err:
        connect(store, SHEET, secret_from_file(key_file, "service_account"), session=fake.session())
    assert "no system keyring" in str(err.value) and "--store-secret-in-file" in str(err.value)
    assert fake.requests == [] and load_settings() is None


def test_the_opt_in_file_fallback_is_private(store, fake, key_file, no_keyring):
    result = connect(store, SHEET, secret_from_file(key_file, "service_account"),
                     store_secret_in_file=True, session=fake.session())
    assert result.secret_store == "file"
    path = secrets.secret_file_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secrets.load_secret("file").info["client_email"] == ACCOUNT
    assert load_settings().secret_store == "file"
    assert disconnect() == (True, True) and not path.exists()


def test_connect_to_a_sheet_not_shared_with_the_account(store, fake, key_file):
    fake.forbidden.add(SHEET)
    with pytest.raises(PermissionDenied, match=f"Share it with {ACCOUNT}"):
        connect(store, SHEET, secret_from_file(key_file, "service_account"), session=fake.session())
    assert load_settings() is None


def test_wrong_key_files_are_refused_with_a_hint(tmp_path):
    bad = tmp_path / "client.json"
    bad.write_text(json.dumps({"installed": {"client_id": "x"}}))
    with pytest.raises(BadCredentials, match="not a service-account key"):
        secret_from_file(bad, "service_account")
    (tmp_path / "junk.json").write_text("not json")
    with pytest.raises(BadCredentials, match="not a JSON key file"):
        secret_from_file(tmp_path / "junk.json", "service_account")


def test_an_oauth_user_token_is_stored_as_is(tmp_path):
    token = {"client_id": "c", "client_secret": "s", "refresh_token": "r", "type": "authorized_user"}
    path = tmp_path / "token.json"
    path.write_text(json.dumps(token))
    secret = secrets.oauth_sign_in(path)
    assert secret.kind == "oauth" and secret.info == token
    assert secrets.save_secret(secret) == "keyring"
    assert secrets.load_secret("keyring") == secret
