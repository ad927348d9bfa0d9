"""What can go wrong talking to Google Sheets, each with one plain-language message.

The sync block, `sheets status` and the CLI show `str(error)` as it is: no stack trace, no JSON
from the API. Local data is never touched by a sync that raises one of these.
"""

from __future__ import annotations


class SyncError(RuntimeError):
    """A sync that did not happen. `kind` is a stable word for scripts and the status record."""

    kind = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotConfigured(SyncError):
    kind = "not_configured"

    def __init__(self, message: str = "Google Sheets is not connected: run "
                 "`partners-tui sheets connect --spreadsheet URL --service-account KEY.json`."):
        super().__init__(message)


class Unreachable(SyncError):
    """Offline, DNS failure, timeouts, or the API kept failing (5xx, 429) after every retry."""

    kind = "unreachable"


class PermissionDenied(SyncError):
    kind = "permission_denied"


class SpreadsheetNotFound(SyncError):
    kind = "not_found"


class CredentialsRevoked(SyncError):
    kind = "credentials"


class SheetTooLarge(SyncError):
    """The push would exceed the spreadsheet's 10-million-cell limit; nothing was written."""

    kind = "too_large"


class WouldOverwrite(SyncError):
    """A push from a database that never synced with this sheet, which already holds rows."""

    kind = "would_overwrite"


class SyncCancelled(SyncError):
    kind = "cancelled"

    def __init__(self, message: str = "Sync cancelled; nothing was changed here."):
        super().__init__(message)


class NoKeyring(SyncError):
    kind = "no_keyring"


class BadCredentials(SyncError):
    """The key or client file given to `connect` is not what it should be."""

    kind = "bad_credentials"
