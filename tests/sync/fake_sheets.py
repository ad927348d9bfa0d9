"""A fake Google Sheets v4 server on 127.0.0.1, for tests and benchmarks (no emulator exists).

It speaks the JSON shapes gspread 6.2.1 uses (LIBRARY-NOTES 11) for the calls the sync makes
and a few more for setting up scenarios: spreadsheets.get, spreadsheets.batchUpdate (addSheet,
updateSheetProperties, repeatCell, deleteSheet), values.batchGet, values.batchUpdate, values.get
and values.update. It behaves like Sheets where the sync could get it wrong:

- RAW input keeps text as text (`=IMPORTXML(...)` stays a string); USER_ENTERED (a person
  typing) turns "=..." into a formula, "12" into a number, "TRUE" into a boolean and
  "2026-03-01" into a date.
- Writing outside a tab's grid is refused ("exceeds grid limits"), freezing every row is
  refused, and a workbook may not grow past 10 million cells.
- Reads trim trailing empty cells and rows, as the real API does.

Faults on demand: `fail_next(status, times)` (429, 500...), `delay` (slow answers), `gate`
(answers wait until a test opens it: a push provably in flight), `forbidden`
(403), `revoked` (401), unknown ids (404). `requests` logs every call, so tests count API calls.
`LocalSheetsSession` sends https://sheets.googleapis.com to this server and refuses any other host.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests

GOOGLE = "https://sheets.googleapis.com"
MAX_CELLS = 10_000_000
EPOCH = dt.date(1899, 12, 30)


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer (a cancelled or timed-out request, which the tests cause
    on purpose) is normal here: no traceback on stderr for it."""

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class Formula(str):
    """A cell a person typed starting with "=": Sheets would compute it; here it shows #NAME?."""


class DateCell(float):
    """A date typed by a person: a serial number shown as ISO text."""

    def iso(self) -> str:
        return (EPOCH + dt.timedelta(days=int(self))).isoformat()


@dataclass
class Tab:
    sheet_id: int
    title: str
    index: int
    rows: int = 1000
    columns: int = 26
    frozen: int = 0
    values: list[list[Any]] = field(default_factory=list)
    bold_header: bool = False

    def properties(self) -> dict[str, Any]:
        grid = {"rowCount": self.rows, "columnCount": self.columns}
        if self.frozen:
            grid["frozenRowCount"] = self.frozen
        return {"sheetId": self.sheet_id, "title": self.title, "index": self.index,
                "sheetType": "GRID", "gridProperties": grid}

    def get(self, r: int, c: int) -> Any:
        if r < len(self.values) and c < len(self.values[r]):
            return self.values[r][c]
        return ""

    def put(self, r: int, c: int, value: Any) -> None:
        while len(self.values) <= r:
            self.values.append([])
        row = self.values[r]
        while len(row) <= c:
            row.append("")
        row[c] = value

    def truncate(self) -> None:
        del self.values[self.rows:]
        for row in self.values:
            del row[self.columns:]


@dataclass
class Spreadsheet:
    id: str
    title: str
    tabs: list[Tab] = field(default_factory=list)

    def tab(self, title: str) -> Tab | None:
        return next((t for t in self.tabs if t.title == title), None)

    def cells(self) -> int:
        return sum(t.rows * t.columns for t in self.tabs)


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: str):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class Fault:
    status: int
    times: int
    kind: str | None = None  # only this kind of call (metadata, batchGet, valuesBatchUpdate...)
    retry_after: float | None = None


class FakeSheets:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.books: dict[str, Spreadsheet] = {}
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.faults: list[Fault] = []
        self.delay = 0.0
        self.gate: threading.Event | None = None  # when set, every answer waits for it to open
        self.forbidden: set[str] = set()
        self.revoked = False
        self.value_batch_sizes: list[int] = []  # cells per values.batchUpdate, for benchmarks
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> "FakeSheets":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                code, payload, headers = fake.handle(method, self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PUT(self) -> None:
                self._handle("PUT")

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def session(self) -> "LocalSheetsSession":
        return LocalSheetsSession(self.url)

    # --- scenario helpers (what a teammate or a person does in the browser) ---------------------

    def create(self, spreadsheet_id: str, title: str = "Team sheet", tabs: tuple[str, ...] = ("Sheet1",)) -> Spreadsheet:
        with self.lock:
            book = Spreadsheet(spreadsheet_id, title)
            for i, name in enumerate(tabs):
                book.tabs.append(Tab(sheet_id=i, title=name, index=i))
            self.books[spreadsheet_id] = book
            return book

    def fail_next(self, status: int, times: int = 1, kind: str | None = None, retry_after: float | None = None) -> None:
        """The next `times` calls (of `kind`, if given) answer `status` instead."""
        with self.lock:
            self.faults.append(Fault(status, times, kind, retry_after))

    def calls(self, kind: str | None = None) -> list[tuple[str, str, dict[str, list[str]]]]:
        """Logged calls; kind: metadata / batchUpdate / batchGet / valuesBatchUpdate."""
        return [r for r in self.requests if kind is None or _kind(r[0], r[1]) == kind]

    def reset_log(self) -> None:
        with self.lock:
            self.requests.clear()
            self.value_batch_sizes.clear()

    def table(self, spreadsheet_id: str, title: str, render: str = "UNFORMATTED_VALUE") -> list[list[Any]]:
        """A tab's values as the API would return them."""
        with self.lock:
            tab = self.books[spreadsheet_id].tab(title)
            assert tab is not None, f"no tab {title}"
            return _render(tab, 0, 0, tab.rows, tab.columns, render, "FORMATTED_STRING")

    def records(self, spreadsheet_id: str, title: str) -> list[dict[str, Any]]:
        rows = self.table(spreadsheet_id, title)
        if not rows:
            return []
        header = rows[0]
        return [
            {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}
            for row in rows[1:]
        ]

    def type_cell(self, spreadsheet_id: str, title: str, row: int, column: str | int, text: Any) -> None:
        """A person types into a cell (row 1 = header; column by header name or 0-based index)."""
        with self.lock:
            tab = self.books[spreadsheet_id].tab(title)
            assert tab is not None
            c = column if isinstance(column, int) else self._column(tab, column)
            tab.put(row - 1, c, _user_entered(text))

    def find_row(self, spreadsheet_id: str, title: str, record_id: str) -> int:
        """The sheet row number (1-based) holding `record_id` in its id column."""
        with self.lock:
            tab = self.books[spreadsheet_id].tab(title)
            assert tab is not None
            c = self._column(tab, "id")
            for i, row in enumerate(tab.values):
                if c < len(row) and row[c] == record_id:
                    return i + 1
        raise KeyError(record_id)

    def append_row(self, spreadsheet_id: str, title: str, values: dict[str, Any]) -> int:
        """A person adds a row under the others, typing values by header name. Returns its number."""
        with self.lock:
            tab = self.books[spreadsheet_id].tab(title)
            assert tab is not None
            r = len(_trimmed(tab.values))
            if r >= tab.rows:
                tab.rows = r + 1
            for name, text in values.items():
                tab.put(r, self._column(tab, name), _user_entered(text))
            return r + 1

    def delete_row(self, spreadsheet_id: str, title: str, row: int) -> None:
        """A person deletes a whole row (rows below move up)."""
        with self.lock:
            tab = self.books[spreadsheet_id].tab(title)
            assert tab is not None
            if row - 1 < len(tab.values):
                del tab.values[row - 1]
            tab.rows -= 1

    @staticmethod
    def _column(tab: Tab, name: str) -> int:
        header = tab.values[0] if tab.values else []
        for i, cell in enumerate(header):
            if str(cell).split(" (")[0] == name:
                return i
        raise KeyError(f"no column {name!r} in {tab.title}: {header}")

    # --- HTTP ---------------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        with self.lock:
            self.requests.append((method, path, query))
            kind = _kind(method, path)
            fault = next((f for f in self.faults if f.times > 0 and f.kind in (None, kind)), None)
            if fault is not None:
                fault.times -= 1
                self.faults = [f for f in self.faults if f.times > 0]
        if self.delay:
            time.sleep(self.delay)
        if self.gate is not None:
            self.gate.wait(timeout=30)
        if fault is not None:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            status = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}.get(fault.status, "UNKNOWN")
            return fault.status, _error(fault.status, "injected fault", status), headers
        try:
            with self.lock:
                return 200, self._route(method, path, query, json.loads(body) if body else None), {}
        except ApiError as exc:
            return exc.code, _error(exc.code, exc.message, exc.status), {}

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        if self.revoked:
            raise ApiError(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        m = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(.*)", path)
        if not m:
            raise ApiError(404, f"unknown path {path}", "NOT_FOUND")
        sid, rest = m.group(1), m.group(2)
        if sid in self.forbidden:
            raise ApiError(403, "The caller does not have permission", "PERMISSION_DENIED")
        book = self.books.get(sid)
        if book is None:
            raise ApiError(404, "Requested entity was not found.", "NOT_FOUND")
        if rest == "" and method == "GET":
            return {
                "spreadsheetId": sid,
                "properties": {"title": book.title, "locale": "en_CA", "timeZone": "America/Vancouver"},
                "sheets": [{"properties": t.properties()} for t in book.tabs],
            }
        if rest == ":batchUpdate" and method == "POST":
            return self._batch_update(book, body or {})
        if rest == "/values:batchGet" and method == "GET":
            render = (query.get("valueRenderOption") or ["FORMATTED_VALUE"])[0]
            dates = (query.get("dateTimeRenderOption") or ["SERIAL_NUMBER"])[0]
            out = []
            for rng in query.get("ranges", []):
                tab, r0, c0, r1, c1 = self._range(book, rng)
                out.append({"range": rng, "majorDimension": "ROWS",
                            "values": _render(tab, r0, c0, r1, c1, render, dates)})
            return {"spreadsheetId": sid, "valueRanges": out}
        if rest == "/values:batchUpdate" and method == "POST":
            option = body.get("valueInputOption")
            if option not in ("RAW", "USER_ENTERED"):
                raise ApiError(400, "valueInputOption is required", "INVALID_ARGUMENT")
            total = 0
            for block in body.get("data", []):
                total += self._write(book, block["range"], block.get("values", []), option)
            self.value_batch_sizes.append(total)
            return {"spreadsheetId": sid, "totalUpdatedCells": total}
        vm = re.fullmatch(r"/values/(.+)", rest)
        if vm and method == "GET":
            tab, r0, c0, r1, c1 = self._range(book, vm.group(1))
            render = (query.get("valueRenderOption") or ["FORMATTED_VALUE"])[0]
            return {"range": vm.group(1), "majorDimension": "ROWS",
                    "values": _render(tab, r0, c0, r1, c1, render, "FORMATTED_STRING")}
        if vm and method == "PUT":
            option = (query.get("valueInputOption") or [""])[0]
            if option not in ("RAW", "USER_ENTERED"):
                raise ApiError(400, "valueInputOption is required", "INVALID_ARGUMENT")
            n = self._write(book, vm.group(1), body.get("values", []), option)
            return {"spreadsheetId": sid, "updatedCells": n}
        raise ApiError(404, f"unknown call {method} {path}", "NOT_FOUND")

    def _batch_update(self, book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
        replies: list[dict[str, Any]] = []
        # All or nothing, like the real API: work on copies of the tabs' properties, then commit.
        import dataclasses

        tabs = [dataclasses.replace(t) for t in book.tabs]
        trial = Spreadsheet(book.id, book.title, tabs)
        for request in body.get("requests", []):
            if "addSheet" in request:
                props = request["addSheet"].get("properties", {})
                title = props.get("title") or f"Sheet{len(tabs) + 1}"
                if trial.tab(title):
                    raise ApiError(400, f'A sheet with the name "{title}" already exists.', "INVALID_ARGUMENT")
                sid = props.get("sheetId", max([t.sheet_id for t in tabs] + [0]) + 1)
                if any(t.sheet_id == sid for t in tabs):
                    raise ApiError(400, f"A sheet with id {sid} already exists.", "INVALID_ARGUMENT")
                grid = props.get("gridProperties", {})
                tab = Tab(sid, title, len(tabs), grid.get("rowCount", 1000), grid.get("columnCount", 26),
                          grid.get("frozenRowCount", 0))
                self._check_frozen(tab)
                tabs.append(tab)
                replies.append({"addSheet": {"properties": tab.properties()}})
            elif "updateSheetProperties" in request:
                props = request["updateSheetProperties"]["properties"]
                tab = next((t for t in tabs if t.sheet_id == props.get("sheetId")), None)
                if tab is None:
                    raise ApiError(400, f"No grid with id: {props.get('sheetId')}", "INVALID_ARGUMENT")
                grid = props.get("gridProperties", {})
                tab.rows = grid.get("rowCount", tab.rows)
                tab.columns = grid.get("columnCount", tab.columns)
                tab.frozen = grid.get("frozenRowCount", tab.frozen)
                if "title" in props:
                    tab.title = props["title"]
                self._check_frozen(tab)
                replies.append({})
            elif "repeatCell" in request:
                rng = request["repeatCell"]["range"]
                tab = next((t for t in tabs if t.sheet_id == rng.get("sheetId")), None)
                if tab is None:
                    raise ApiError(400, f"No grid with id: {rng.get('sheetId')}", "INVALID_ARGUMENT")
                tab.bold_header = True
                replies.append({})
            elif "deleteDimension" in request:
                rng = request["deleteDimension"]["range"]
                tab = next((t for t in tabs if t.sheet_id == rng.get("sheetId")), None)
                if tab is None or rng.get("dimension") != "ROWS":
                    raise ApiError(400, "only row deletion is supported here", "INVALID_ARGUMENT")
                start, end = rng["startIndex"], rng["endIndex"]
                del tab.values[start:end]
                tab.rows -= end - start
                replies.append({})
            elif "deleteSheet" in request:
                sid = request["deleteSheet"]["sheetId"]
                tabs[:] = [t for t in tabs if t.sheet_id != sid]
                replies.append({})
            else:
                raise ApiError(400, f"unsupported request {list(request)}", "INVALID_ARGUMENT")
        if trial.cells() > MAX_CELLS:
            raise ApiError(400, "This action would increase the number of cells in the workbook above the limit of 10000000 cells.", "INVALID_ARGUMENT")
        book.tabs = tabs
        for tab in tabs:
            tab.truncate()
        return {"spreadsheetId": book.id, "replies": replies}

    @staticmethod
    def _check_frozen(tab: Tab) -> None:
        if tab.frozen and tab.frozen >= tab.rows:
            raise ApiError(400, "You can't freeze all visible rows on the sheet.", "INVALID_ARGUMENT")

    def _range(self, book: Spreadsheet, rng: str) -> tuple[Tab, int, int, int, int]:
        title, _, cells = _split_range(rng)
        tab = book.tab(title)
        if tab is None:
            raise ApiError(400, f"Unable to parse range: {rng}", "INVALID_ARGUMENT")
        if not cells:
            return tab, 0, 0, tab.rows, tab.columns
        start, _, end = cells.partition(":")
        r0, c0 = _cell(start)
        if end:
            r1, c1 = _cell(end)
            r1 = tab.rows if r1 is None else r1 + 1
            c1 = tab.columns if c1 is None else c1 + 1
        else:
            r1, c1 = (r0 or 0) + 1, (c0 or 0) + 1
        return tab, r0 or 0, c0 or 0, r1, c1

    def _write(self, book: Spreadsheet, rng: str, values: list[list[Any]], option: str) -> int:
        tab, r0, c0, _, _ = self._range(book, rng)
        height = len(values)
        width = max((len(r) for r in values), default=0)
        if r0 + height > tab.rows or c0 + width > tab.columns:
            raise ApiError(
                400,
                f"Range ({rng}) exceeds grid limits. Max rows: {tab.rows}, max columns: {tab.columns}",
                "INVALID_ARGUMENT",
            )
        n = 0
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if value is None:
                    continue  # null leaves the cell as it is
                if isinstance(value, (dict, list)):
                    raise ApiError(400, "Invalid values", "INVALID_ARGUMENT")
                tab.put(r0 + i, c0 + j, _user_entered(value) if option == "USER_ENTERED" else value)
                n += 1
        return n


def _kind(method: str, path: str) -> str:
    if path.endswith(":batchUpdate") and "/values" not in path:
        return "batchUpdate"
    if path.endswith("/values:batchUpdate"):
        return "valuesBatchUpdate"
    if path.endswith("/values:batchGet"):
        return "batchGet"
    if method == "GET" and "/values" not in path:
        return "metadata"
    return "other"


def _error(code: int, message: str, status: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def _split_range(rng: str) -> tuple[str, str, str]:
    rng = rng.strip()
    if rng.startswith("'"):
        i, title = 1, ""
        while i < len(rng):
            if rng[i] == "'":
                if i + 1 < len(rng) and rng[i + 1] == "'":
                    title += "'"
                    i += 2
                    continue
                break
            title += rng[i]
            i += 1
        rest = rng[i + 1 :]
        return title, "!", rest[1:] if rest.startswith("!") else rest
    title, sep, cells = rng.partition("!")
    return title, sep, cells


def _cell(ref: str) -> tuple[int | None, int | None]:
    m = re.fullmatch(r"([A-Za-z]*)(\d*)", ref.strip())
    if not m:
        raise ApiError(400, f"Unable to parse range: {ref}", "INVALID_ARGUMENT")
    letters, digits = m.group(1).upper(), m.group(2)
    col = None
    if letters:
        col = 0
        for ch in letters:
            col = col * 26 + (ord(ch) - 64)
        col -= 1
    row = int(digits) - 1 if digits else None
    return row, col


def _user_entered(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("="):
        return Formula(value)
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d*\.\d+", text):
        return float(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return value  # 2026-02-30 is not a date: Sheets keeps it as text
        return DateCell((day - EPOCH).days)
    return value


def _show(value: Any, render: str, dates: str) -> Any:
    if isinstance(value, Formula):
        return value if render == "FORMULA" else "#NAME?"
    if isinstance(value, DateCell):
        if render == "FORMATTED_VALUE" or dates == "FORMATTED_STRING":
            return value.iso()
        return int(value)
    if render == "FORMATTED_VALUE":
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)
    return value


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] in ("", None):
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _render(tab: Tab, r0: int, c0: int, r1: int, c1: int, render: str, dates: str) -> list[list[Any]]:
    r1, c1 = min(r1, tab.rows), min(c1, tab.columns)
    rows = [
        [_show(tab.get(r, c), render, dates) for c in range(c0, c1)] if r < len(tab.values) else []
        for r in range(r0, min(r1, len(tab.values)))
    ]
    return _trimmed(rows)


class LocalSheetsSession(requests.Session):
    """Sends Google's Sheets address to the fake server; refuses every other host."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        url = str(url)
        if url.startswith(GOOGLE):
            url = self.base_url + url[len(GOOGLE):]
        elif not url.startswith(self.base_url):
            raise RuntimeError(f"test refused network access to {url}")
        return super().request(method, url, *args, **kwargs)


def main() -> None:  # pragma: no cover - used by benchmarks/bench_sync.py
    """`python fake_sheets.py ID [ID...]`: serve spreadsheets with these ids; print the URL."""
    import sys

    server = FakeSheets().start()
    for key in sys.argv[1:]:
        server.create(key, "Benchmark sheet")
    print(server.url, flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
