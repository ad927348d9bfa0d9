"""The Google credential: a service-account key or an OAuth user token, kept with `keyring`.

Never in the config file or the database. Headless Linux has no keyring backend by default
(`keyring.backends.fail.Keyring`, whose calls raise `NoKeyringError`); then `connect` says so and
offers an explicit opt-in: a file readable only by its owner (mode 0600) in the config folder.
The config file records only *where* the secret is ("keyring" or "file"), never the secret.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from partners_tui import config
from partners_tui.sync.errors import BadCredentials, NoKeyring

SERVICE = "partners-tui"
USERNAME = "google-sheets"
SECRET_FILENAME = "sheets-secret.json"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)


@dataclass(frozen=True)
class Secret:
    """kind "service_account" (info = the key JSON) or "oauth" (info = authorized-user token)."""

    kind: str
    info: dict[str, Any]

    @property
    def account(self) -> str:
        """Who Google sees: the service account's email, or "your Google account"."""
        if self.kind == "service_account":
            return str(self.info.get("client_email") or "the service account")
        return "your Google account"

    def dumps(self) -> str:
        return json.dumps({"kind": self.kind, "info": self.info}, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> "Secret":
        data = json.loads(text)
        return cls(data["kind"], data["info"])

    def credentials(self):
        """google-auth credentials for gspread."""
        if self.kind == "service_account":
            from google.oauth2.service_account import Credentials

            return Credentials.from_service_account_info(self.info, scopes=list(SCOPES))
        from google.oauth2.credentials import Credentials as UserCredentials

        return UserCredentials.from_authorized_user_info(self.info, list(SCOPES))


def secret_file_path() -> Path:
    return config.config_dir() / SECRET_FILENAME


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    try:
        from keyring.backends import fail

        if isinstance(backend, fail.Keyring):
            return False
    except ImportError:  # pragma: no cover
        pass
    try:
        from keyring.backends import chainer

        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return False
    except ImportError:  # pragma: no cover
        pass
    return True


def no_keyring_message() -> str:
    return (
        "This machine has no system keyring to keep the Google credential in (common on "
        "headless Linux). Install and unlock one (GNOME Keyring, KWallet or another keyring "
        "backend), or re-run with --store-secret-in-file to keep it in "
        f"{secret_file_path()}, readable only by you (mode 0600)."
    )


def save_secret(secret: Secret, *, in_file: bool = False) -> str:
    """Store the secret; returns where ("keyring" or "file"). Raises NoKeyring without a backend."""
    if in_file:
        _write_private(secret_file_path(), secret.dumps())
        _delete_keyring_entry()
        return "file"
    if not keyring_available():
        raise NoKeyring(no_keyring_message())
    try:
        keyring.set_password(SERVICE, USERNAME, secret.dumps())
    except (KeyringError, RuntimeError) as exc:
        raise NoKeyring(f"The system keyring refused the credential ({exc}). " + no_keyring_message()) from None
    _remove_file()
    return "keyring"


def load_secret(where: str) -> Secret | None:
    """The stored secret, or None when there is none (disconnected, or the keyring lost it)."""
    try:
        if where == "file":
            path = secret_file_path()
            if not path.exists():
                return None
            return Secret.loads(path.read_text(encoding="utf-8"))
        if not keyring_available():
            raise NoKeyring(no_keyring_message())
        text = keyring.get_password(SERVICE, USERNAME)
        return Secret.loads(text) if text else None
    except (KeyError, ValueError, TypeError):
        raise BadCredentials(
            "The stored Google credential is unreadable. Run `partners-tui sheets connect` again."
        ) from None
    except KeyringError as exc:
        raise NoKeyring(f"The system keyring could not be read ({exc}).") from None


def delete_secret() -> bool:
    """Remove the secret from the keyring and the fallback file; True if anything was removed."""
    removed = _delete_keyring_entry()
    return _remove_file() or removed


def _delete_keyring_entry() -> bool:
    if not keyring_available():
        return False
    try:
        if keyring.get_password(SERVICE, USERNAME) is None:
            return False
        keyring.delete_password(SERVICE, USERNAME)
        return True
    except (PasswordDeleteError, KeyringError, RuntimeError):
        return False


def _remove_file() -> bool:
    try:
        secret_file_path().unlink()
        return True
    except FileNotFoundError:
        return False


def _write_private(path: Path, text: str) -> None:
    """Create the file with mode 0600 from the start (no moment where others could read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.replace(tmp, path)


def secret_from_file(path: Path, kind: str) -> Secret:
    """Read a service-account key (kind "service_account") or an OAuth token (kind "oauth")."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadCredentials(f"Cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError:
        raise BadCredentials(f"{path} is not a JSON key file.") from None
    if not isinstance(info, dict):
        raise BadCredentials(f"{path} is not a JSON key file.")
    if kind == "service_account":
        missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
        if info.get("type") != "service_account" or missing:
            raise BadCredentials(
                f"{path} is not a service-account key (expected \"type\": \"service_account\" "
                "with client_email and private_key). Download one from Google Cloud Console → "
                "IAM → Service accounts → Keys."
            )
        return Secret("service_account", info)
    if info.get("refresh_token") and info.get("client_id"):
        return Secret("oauth", info)  # an authorized-user token already
    raise BadCredentials(f"{path} is not an OAuth user token.")


def oauth_sign_in(client_file: Path) -> Secret:
    """Run Google's installed-app sign-in for an OAuth client file; returns the user token."""
    try:
        info = json.loads(Path(client_file).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        raise BadCredentials(f"{client_file} is not a readable OAuth client JSON file.") from None
    if isinstance(info, dict) and info.get("refresh_token"):
        return secret_from_file(Path(client_file), "oauth")
    if not isinstance(info, dict) or not ({"installed", "web"} & set(info)):
        raise BadCredentials(
            f"{client_file} is not an OAuth client file (expected an \"installed\" client "
            "downloaded from Google Cloud Console → APIs & Services → Credentials)."
        )
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_config(info, list(SCOPES))
    creds = flow.run_local_server(port=0, open_browser=True)
    return Secret("oauth", json.loads(creds.to_json()))
