"""The only code that talks to Google: four Sheets v4 calls through real gspread.

- `metadata()`: the spreadsheet's tabs and their grid sizes (spreadsheets.get, no cell data);
- `read(titles)`: every tab's values in one `values.batchGet`;
- `write(blocks)`: every tab's values in one `values.batchUpdate` with RAW input;
- `structure(requests)`: add tabs, size grids, freeze and format headers in one `batchUpdate`.

Tests and benchmarks pass a `requests.Session` that sends Google's address to a local fake
server (`gspread.Client(auth=None, session=...)`); the app passes google-auth credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import gspread
import requests

from partners_tui.sync.retry import BoundedRetryClient, CallLog, RetryPolicy
from partners_tui.sync.secrets import Secret

# Set by tests and benchmarks: a factory for the session that reaches the fake server.
SessionFactory = Callable[[], requests.Session]
session_factory: SessionFactory | None = None


@dataclass(frozen=True)
class TabInfo:
    sheet_id: int
    title: str
    rows: int
    columns: int
    frozen_rows: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass(frozen=True)
class SheetInfo:
    title: str
    tabs: dict[str, TabInfo]  # by title

    def next_sheet_id(self) -> int:
        used = {t.sheet_id for t in self.tabs.values()}
        candidate = 1000
        while candidate in used:
            candidate += 1
        return candidate


class SheetsGateway:
    def __init__(self, spreadsheet_id: str, client: gspread.Client):
        self.spreadsheet_id = spreadsheet_id
        self.client = client
        self.http: BoundedRetryClient = client.http_client  # type: ignore[assignment]

    @classmethod
    def open(
        cls,
        spreadsheet_id: str,
        secret: Secret | None,
        *,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
    ) -> "SheetsGateway":
        if session is None and session_factory is not None:
            session = session_factory()
        if session is not None:
            client = gspread.Client(auth=None, session=session, http_client=BoundedRetryClient)
        else:
            assert secret is not None, "a credential or a session is needed"
            client = gspread.Client(auth=secret.credentials(), http_client=BoundedRetryClient)
        gateway = cls(spreadsheet_id, client)
        if policy is not None:
            gateway.http.policy = policy
        return gateway

    # --- plumbing -------------------------------------------------------------------------

    @property
    def calls(self) -> CallLog:
        return self.http.calls

    def set_cancel_check(self, cancelled: Callable[[], bool] | None) -> None:
        self.http.cancelled = cancelled or (lambda: False)

    # --- the four calls -------------------------------------------------------------------

    def metadata(self) -> SheetInfo:
        raw = self.http.fetch_sheet_metadata(
            self.spreadsheet_id,
            params={"includeGridData": "false", "fields": "properties.title,sheets.properties"},
        )
        tabs = {}
        for sheet in raw.get("sheets", []):
            p = sheet.get("properties", {})
            grid = p.get("gridProperties", {})
            tabs[p["title"]] = TabInfo(
                sheet_id=int(p.get("sheetId", 0)), title=p["title"],
                rows=int(grid.get("rowCount", 0)), columns=int(grid.get("columnCount", 0)),
                frozen_rows=int(grid.get("frozenRowCount", 0)),
            )
        return SheetInfo(raw.get("properties", {}).get("title", ""), tabs)

    def read(self, titles: list[str]) -> dict[str, list[list[Any]]]:
        """Every listed tab's values: numbers as numbers, dates as text, formulas' results."""
        if not titles:
            return {}
        ranges = [quote_title(t) for t in titles]
        raw = self.http.values_batch_get(
            self.spreadsheet_id, ranges,
            params={
                "majorDimension": "ROWS", "valueRenderOption": "UNFORMATTED_VALUE",
                "dateTimeRenderOption": "FORMATTED_STRING",
            },
        )
        out = {}
        for title, block in zip(titles, raw.get("valueRanges", [])):
            out[title] = block.get("values", [])
        return out

    def write(self, blocks: list[tuple[str, list[list[Any]]]]) -> dict[str, Any]:
        """blocks: (A1 range, rows). RAW input: nothing typed is ever run as a formula."""
        if not blocks:
            return {}
        body = {
            "valueInputOption": "RAW",
            "data": [{"range": rng, "majorDimension": "ROWS", "values": rows} for rng, rows in blocks],
        }
        return self.http.values_batch_update(self.spreadsheet_id, body=body)

    def structure(self, requests_: list[dict[str, Any]]) -> dict[str, Any]:
        if not requests_:
            return {}
        return self.http.batch_update(self.spreadsheet_id, {"requests": requests_})


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def grid_rows(data_rows: int) -> int:
    """Rows a tab needs: header + data, and at least one unfrozen row (Sheets refuses a grid
    whose every row is frozen)."""
    return max(data_rows + 1, 2)


def tab_requests(info: SheetInfo, title: str, rows: int, columns: int, sheet_id: int | None = None) -> list[dict[str, Any]]:
    """Requests making tab `title` exactly `rows` × at least `columns`, header frozen and bold."""
    tab = info.tabs.get(title)
    out: list[dict[str, Any]] = []
    if tab is None:
        sid = sheet_id if sheet_id is not None else info.next_sheet_id()
        out.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sid, "title": title,
                        "gridProperties": {"rowCount": rows, "columnCount": columns, "frozenRowCount": 1},
                    }
                }
            }
        )
        out.append(_bold_header(sid))
        return out
    want_columns = max(columns, tab.columns)
    if tab.rows != rows or tab.columns != want_columns or tab.frozen_rows != 1:
        out.append(
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": tab.sheet_id,
                        "gridProperties": {"rowCount": rows, "columnCount": want_columns, "frozenRowCount": 1},
                    },
                    "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
                }
            }
        )
    return out


def _bold_header(sheet_id: int) -> dict[str, Any]:
    return {
        "repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
            "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
            "fields": "userEnteredFormat.textFormat.bold",
        }
    }
