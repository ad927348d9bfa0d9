"""gspread's HTTP client with a bounded retry, a request timeout and plain-language errors.

gspread 6.2.1's own `BackOffHTTPClient` retries a 429 forever (its cap is dead code), sleeping up
to 128 s each time, and cannot be cancelled; and gspread sets no timeout at all. This client
retries 429, 5xx and network failures a fixed number of times with exponential backoff and
jitter, sleeps in short slices so a cancelled worker stops promptly, and turns every failure into
one of `sync.errors`' classes.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from partners_tui.sync.errors import (
    CredentialsRevoked, PermissionDenied, SpreadsheetNotFound, SyncCancelled, SyncError,
    Unreachable,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 180.0  # a 50,000-row batch write takes Google a while to acknowledge


@dataclass
class RetryPolicy:
    """At most `attempts` tries; the n-th wait is up to min(cap, base × 2ⁿ), jittered."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random
    slice: float = 0.2  # sleep in slices this long so a cancel is seen quickly

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Equal jitter: half the exponential step for sure, the other half at random."""
        step = min(self.cap, self.base * (2 ** attempt))
        wait = step / 2 + self.random() * step / 2
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return wait


@dataclass
class CallLog:
    """Every HTTP request made (retries included), for tests, benchmarks and status lines."""

    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, url, status

    @property
    def count(self) -> int:
        return len(self.requests)


class BoundedRetryClient(HTTPClient):
    """Drop-in `http_client` for `gspread.Client`: bounded retries, timeouts, clear errors."""

    policy: RetryPolicy = RetryPolicy()

    def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
        super().__init__(auth, session)
        self.set_timeout((CONNECT_TIMEOUT, READ_TIMEOUT))
        self.policy = RetryPolicy()
        self.cancelled: Callable[[], bool] = lambda: False
        self.calls = CallLog()
        self.retried = 0

    def check_cancelled(self) -> None:
        if self.cancelled():
            raise SyncCancelled()

    def _wait(self, seconds: float) -> None:
        remaining = seconds
        while remaining > 0:
            self.check_cancelled()
            step = min(self.policy.slice, remaining)
            self.policy.sleep(step)
            remaining -= step
        self.check_cancelled()

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        last: SyncError | None = None
        for attempt in range(self.policy.attempts):
            self.check_cancelled()
            retry_after = None
            try:
                response = self.session.request(
                    method=method, url=endpoint, timeout=self.timeout,
                    **_request_kwargs(args, kwargs),
                )
            except SyncError:
                raise
            except (requests.Timeout, requests.ConnectionError) as exc:
                self.calls.requests.append((method.upper(), endpoint, 0))
                log.info("sheets %s %s: %s", method, endpoint, exc)
                last = Unreachable(
                    "Google Sheets could not be reached (no network, or it did not answer in "
                    f"time): {type(exc).__name__}. Your changes are kept here and will be pushed "
                    "on the next sync."
                )
            except Exception as exc:  # google-auth refreshing the token, before any HTTP reply
                raise _auth_error(exc) from None
            else:
                self.calls.requests.append((method.upper(), endpoint, response.status_code))
                if response.ok:
                    return response
                error = APIError(response)
                if response.status_code == 429 or response.status_code >= 500:
                    last = _api_error(error)
                    retry_after = _retry_after(response)
                else:
                    raise _api_error(error) from None
            if attempt + 1 < self.policy.attempts:
                self.retried += 1
                self._wait(self.policy.delay(attempt, retry_after))
        assert last is not None
        raise last


def _request_kwargs(args: tuple, kwargs: dict) -> dict:
    names = ("params", "data", "json", "files", "headers")
    out = dict(zip(names, args))
    out.update(kwargs)
    return out


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _api_error(error: APIError) -> SyncError:
    code = error.code
    detail = _detail(error)
    if code == 429:
        return Unreachable(
            "Google Sheets is limiting requests (too many in a minute) and kept refusing after "
            "several tries. Wait a minute and sync again; your changes are kept here."
        )
    if code >= 500:
        return Unreachable(
            f"Google Sheets had a server error ({code}) on every try. Try again later; your "
            "changes are kept here."
        )
    if code == 401:
        return CredentialsRevoked(
            "Google refused the stored credentials (expired or revoked). Run `partners-tui "
            "sheets connect` again with a valid key or sign-in."
        )
    if code == 403:
        return PermissionDenied(
            "Permission denied: the connected Google account cannot edit this spreadsheet. "
            "Share the spreadsheet with it as an Editor, then sync again."
        )
    if code == 404:
        return SpreadsheetNotFound(
            "Spreadsheet not found: it was deleted, or the id or URL is wrong. Check it and run "
            "`partners-tui sheets connect --spreadsheet URL` again."
        )
    return SyncError(f"Google Sheets refused the request ({code}): {detail}")


def _detail(error: APIError) -> str:
    try:
        return str(error.error.get("message") or error.response.reason)
    except Exception:
        return "unknown error"


def _auth_error(exc: Exception) -> SyncError:
    try:
        from google.auth import exceptions as auth_exc
    except ImportError:  # pragma: no cover - google-auth ships with gspread
        auth_exc = None
    if auth_exc is not None and isinstance(exc, auth_exc.RefreshError):
        return CredentialsRevoked(
            "Google refused to renew the stored sign-in (revoked or expired). Run "
            "`partners-tui sheets connect` again."
        )
    if auth_exc is not None and isinstance(exc, auth_exc.TransportError):
        return Unreachable(
            "Google's sign-in service could not be reached (offline?). Your changes are kept "
            "here and will be pushed on the next sync."
        )
    log.exception("unexpected error talking to Google Sheets")
    return SyncError(f"Talking to Google Sheets failed: {type(exc).__name__}: {exc}")
