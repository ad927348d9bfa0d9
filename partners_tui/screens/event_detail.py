"""One event in full: its dates and goal, tiles for committed, secured, open pipeline, goal and
pace, its tier presets, status mix, follow-up pressure, the deals (sortable, paged from SQL as
you scroll) and the latest activities.

Pushed over the Events list. It is an `EventsScreen` itself so that the app's `open_event`
(which asks the Events mode's top screen to `show_event`) retargets an open detail instead of
being ignored; its own bindings replace the list's.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from partners_tui.screens.base import MainScreen
from partners_tui.screens.events import EventsScreen, confirm_archive_event, date_span
from partners_tui.screens.tables import cell
from partners_tui.store.queries.details import (
    DEAL_PAGE, DealPage, DealRow, EventDetail, event_deals, event_detail,
)
from partners_tui.widgets.figures import badge, money, pace_text, percent, progress_bar

DEAL_COLUMNS = (
    # (key, title, sort key, wide width, narrow width or 0 to hide)
    ("partner", "Partner", "partner", 26, 18),
    ("contact", "Contact", "contact", 18, 0),
    ("status", "Status", "status", 15, 13),
    ("tier", "Tier", "tier", 9, 0),
    ("role", "Role", "role", 14, 0),
    ("amount", "Amount", "amount", 10, 9),
    ("follow_up", "Follow-up", "follow_up", 10, 10),
    ("last_activity", "Last activity", "last_activity", 13, 0),
)
LOAD_MORE_MARGIN = 20


class Tile(Static):
    """A bordered figure: the caption in the border, the value big, a note under it."""

    DEFAULT_CSS = """
    Tile {
        height: 4;
        border: round $primary-muted;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        content-align: center middle;
        text-align: center;
    }
    """


class EventDetailScreen(EventsScreen, inherit_bindings=False):
    LABEL = "Event"
    IS_DETAIL = True
    AUTO_FOCUS = "#deals"

    DEFAULT_CSS = """
    EventDetailScreen #event-head {
        margin-bottom: 1;
    }
    EventDetailScreen #tiles {
        grid-size: 5;
        grid-gutter: 0 1;
        grid-rows: 4;
        height: auto;
    }
    EventDetailScreen.-narrow #tiles {
        grid-size: 3;
    }
    EventDetailScreen #panels {
        height: auto;
        margin: 1 0;
    }
    EventDetailScreen #panels > Static {
        width: 1fr;
        height: auto;
        border: round $foreground 20%;
        border-title-color: $text-muted;
        padding: 0 1;
        margin-right: 1;
    }
    EventDetailScreen.-narrow #panels {
        layout: vertical;
    }
    EventDetailScreen.-narrow #panels > Static {
        width: 100%;
        margin-right: 0;
    }
    EventDetailScreen .section {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    EventDetailScreen #recent {
        height: auto;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the list of events"),
        Binding("r", "reload", "Reload", show=False,
                tooltip="Read this screen's data from the database again"),
        Binding("e", "edit_event", "Edit event", tooltip="Edit this event's dates, goal and tier presets"),
        Binding("n", "new_deal", "New deal", tooltip="Add a deal to this event"),
        Binding("enter", "edit_deal", "Edit deal", show=False, tooltip="Edit the selected deal"),
        Binding("s", "deal_status", "Status", tooltip="Move the selected deal to another status"),
        Binding("l", "log_activity", "Log", tooltip="Log an activity on the selected deal"),
        Binding("p", "open_partner", "Partner", tooltip="Open the selected deal's partner"),
        Binding("o", "sort_next", "Sort", tooltip="Sort the deals by the next column"),
        Binding("O", "sort_reverse", "Reverse", show=False, tooltip="Reverse the deals' sort order"),
        Binding("x", "archive_deal", "Archive deal", show=False,
                tooltip="Archive or restore the selected deal"),
        Binding("delete", "delete_deal", "Delete deal", show=False,
                tooltip="Delete the selected deal (entered by mistake; ctrl+z undoes)"),
        Binding("a", "archive_event", "Archive event", tooltip="Archive or restore this event"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.detail: EventDetail | None = None
        self.sort = "partner"
        self.descending = False
        self.page: DealPage | None = None
        self.deals: dict[str, DealRow] = {}
        self.loading_more = False
        self._deal_columns_for: str | None = None

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("", id="event-head")
        with Grid(id="tiles"):
            for key in ("committed", "secured", "open", "goal", "pace"):
                yield Tile("", id=f"tile-{key}")
        with Horizontal(id="panels"):
            yield Static("", id="mix")
            yield Static("", id="pressure")
            yield Static("", id="presets")
        yield Static("", id="deals-title", classes="section")
        yield DataTable(id="deals", cursor_type="row", zebra_stripes=True)
        yield Static("", id="recent-title", classes="section")
        yield Static("", id="recent")

    def on_mount(self) -> None:
        self._place_panels()
        for key, title in (("committed", "Committed"), ("secured", "Secured"),
                           ("open", "Open pipeline"), ("goal", "Goal"), ("pace", "Pace")):
            self.query_one(f"#tile-{key}", Tile).border_title = title
        self.query_one("#mix", Static).border_title = "Pipeline mix"
        self.query_one("#pressure", Static).border_title = "Follow-up pressure"
        self.query_one("#presets", Static).border_title = "Tier presets"
        table = self.query_one("#deals", DataTable)
        table.focus()
        self.watch(table, "scroll_y", self._maybe_load_more, init=False)

    def on_resize(self) -> None:
        self._place_panels()
        if self.is_mounted and self.detail is not None and (
            self._deal_columns_for != ("narrow" if self.narrow else "wide")
        ):
            self.reload()

    def _place_panels(self) -> None:
        """Wide: the status mix, pressure and presets sit above the deals. Narrow: below them,
        so the deals table shows without scrolling."""
        body, panels = self.query_one("#body"), self.query_one("#panels")
        anchor = self.query_one("#recent-title") if self.narrow else self.query_one("#deals-title")
        if body.children.index(panels) != body.children.index(anchor) - 1:
            body.move_child(panels, before=anchor)

    # --- reading ---------------------------------------------------------------------------

    def show_event(self, event_id: str) -> None:
        """Called by the app's `open_event` when this detail is on top: show that event."""
        if event_id != self.event_id:
            self.event_id = event_id
            self.sort, self.descending = "partner", False
            self.query_one("#deals", DataTable).move_cursor(row=0, animate=False)
        self.reload()

    def reload(self) -> None:
        """Read the event and the loaded deals again, in a worker (a large event takes a
        moment), keeping as many deals loaded as before so the cursor stays put."""
        if not self.is_mounted:
            return
        self.generation += 1
        self._read_detail(self.generation, self.event_id, self.sort, self.descending,
                          max(DEAL_PAGE, len(self.deals)))

    @work(thread=True, exclusive=True, group="event-detail", exit_on_error=False)
    def _read_detail(self, generation: int, event_id: str, sort: str, descending: bool,
                     limit: int) -> None:
        store = self.app.store
        detail = event_detail(store, event_id, self.app.clock.today())
        page = event_deals(store, event_id, sort=sort, descending=descending, limit=limit) if detail else None
        symbol = store.get_setting("currency.symbol", "$")
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_detail, generation, detail, page, symbol)

    def _show_detail(self, generation: int, detail: EventDetail | None, page: DealPage | None,
                     symbol: str) -> None:
        if generation != self.generation or not self.is_mounted:
            return
        self.symbol = symbol
        self.detail = detail
        if detail is None or page is None:  # undone or deleted under us
            self.query_one("#event-head", Static).update(Text("This event no longer exists.", style="bold"))
            self.shown_generation = generation
            return
        self._show_head(detail)
        self._show_tiles(detail)
        self._show_panels(detail)
        self._show_deals(page, reset=True)
        self._show_recent(detail)
        self.shown_generation = generation

    def _show_head(self, d: EventDetail) -> None:
        e = d.event
        head = Text.assemble((e.name, "bold"), "  ·  ", str(e.year), no_wrap=False)
        if e.archived:
            head.append("  ")
            head.append_text(badge("archived", "reverse yellow"))
        dates = []
        if e.outreach_start:
            dates.append(f"outreach from {e.outreach_start}")
        dates.append(f"event {date_span(e.start_date, e.end_date)}")
        head.append("\n" + "  ·  ".join(dates), style="dim")
        if e.notes:
            head.append("\n" + e.notes, style="italic dim")
        self.query_one("#event-head", Static).update(head)

    def _show_tiles(self, d: EventDetail) -> None:
        s = self.symbol

        def tile(key: str, value: str, note: str = "", style: str = "bold") -> None:
            content = Text(value, style=style)
            if note:
                content.append("\n" + note, style="dim")
            self.query_one(f"#tile-{key}", Tile).update(content)

        deals = f"{d.deals} deal{'s' if d.deals != 1 else ''}"
        tile("committed", money(d.committed_cents, s), deals)
        tile("secured", money(d.secured_cents, s), percent(d.pace.actual_pct, none="") + (" of goal" if d.pace.actual_pct is not None else ""))
        tile("open", money(d.open_pipeline_cents, s), f"weighted {money(d.weighted_pipeline_cents, s)}")
        if d.pace.goal_cents:
            remaining = max(d.pace.goal_cents - d.secured_cents, 0)
            tile("goal", money(d.pace.goal_cents, s), f"{money(remaining, s)} to go")
        else:
            tile("goal", "no goal", "e sets one", style="dim")
        bar = progress_bar(d.pace.actual_ratio, d.pace.expected_ratio, 12)
        content = Text.assemble(bar, "\n", pace_text(d.pace.status))
        if d.pace.expected_pct is not None:
            content.append(f" · ┃ {percent(d.pace.expected_pct)} due", style="dim")
        self.query_one("#tile-pace", Tile).update(content)

    def _show_panels(self, d: EventDetail) -> None:
        s = self.symbol
        mix = Table.grid(padding=(0, 1), expand=True)
        mix.add_column(no_wrap=True, ratio=1)
        mix.add_column(justify="right", no_wrap=True)
        mix.add_column(justify="right", no_wrap=True)
        mix.add_column(justify="right", no_wrap=True)
        for row in d.pipeline.rows:
            style = "green" if row.secured else "dim" if row.closed else ""
            mix.add_row(Text(row.label, style=style), str(row.count), money(row.amount_cents, s),
                        percent(row.share_amount_pct))
        if not d.pipeline.rows:
            mix.add_row(Text("No deals yet: n adds one.", style="dim"), "", "", "")
        else:
            mix.add_row(Text("Total", style="bold"), Text(str(d.pipeline.total_count), style="bold"),
                        Text(money(d.pipeline.total_amount_cents, s), style="bold"), "")
        self.query_one("#mix", Static).update(mix)

        pressure = Text()
        pressure.append(f"{d.follow_ups_overdue} overdue", style="bold red" if d.follow_ups_overdue else "dim")
        pressure.append("  ·  ")
        pressure.append(f"{d.follow_ups_due} due in {d.window_days} days",
                        style="bold" if d.follow_ups_due else "dim")
        for item in d.pressure:
            when = (f"{-item.days_until_due}d late" if item.overdue
                    else "today" if item.days_until_due == 0 else item.due_date)
            pressure.append("\n")
            pressure.append(f"{when:>10}  ", style="red" if item.overdue else "")
            pressure.append(item.partner)
        if not d.pressure and not (d.follow_ups_due or d.follow_ups_overdue):
            pressure.append("\nNothing due.", style="dim")
        self.query_one("#pressure", Static).update(pressure)

        presets = Text()
        for i, (label, cents) in enumerate(d.event.tier_presets):
            if i:
                presets.append("\n")
            presets.append(f"{label}", style="bold")
            presets.append(f"  {money(cents, s)}")
        if not d.event.tier_presets:
            presets.append("None yet: e adds tier presets.", style="dim")
        self.query_one("#presets", Static).update(presets)

    def _show_recent(self, d: EventDetail) -> None:
        self.query_one("#recent-title", Static).update("Recent activity")
        if not d.recent:
            self.query_one("#recent", Static).update(Text("No activity logged for this event yet.", style="dim"))
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="ellipsis", no_wrap=True, ratio=1)
        for a in d.recent:
            arrow = "←" if a.direction == "inbound" else "→"
            table.add_row(f"{a.day} {a.time}", f"{arrow} {a.channel}", Text(a.partner, style="bold"),
                          Text(a.subject or a.summary or "", style="dim"))
        self.query_one("#recent", Static).update(table)

    # --- deals table -----------------------------------------------------------------------

    def _columns(self) -> list[tuple[str, str, str, int]]:
        narrow = self.narrow
        return [
            (key, title, sort, narrow_w if narrow else wide_w)
            for key, title, sort, wide_w, narrow_w in DEAL_COLUMNS
            if not narrow or narrow_w
        ]

    def _set_deal_columns(self, table: DataTable) -> None:
        layout = "narrow" if self.narrow else "wide"
        self._deal_columns_for = layout
        table.clear(columns=True)
        for key, title, sort, width in self._columns():
            arrow = (" ▼" if self.descending else " ▲") if sort == self.sort else ""
            table.add_column(title + arrow, key=key, width=width)

    def _deal_cells(self, deal: DealRow) -> list[Any]:
        s = self.symbol
        status_style = "green" if deal.secured else "dim" if deal.closed else ""
        name = deal.partner + (" (archived)" if deal.partner_archived or deal.archived else "")
        values = {
            "partner": cell(name, dim=deal.archived or deal.partner_archived),
            "contact": cell(deal.contact),
            "status": Text(deal.status_label, style=status_style, no_wrap=True, overflow="ellipsis"),
            "tier": cell(deal.package_tier),
            "role": cell(deal.role),
            "amount": cell(money(deal.amount_cents, s, none=""), justify="right"),
            "follow_up": cell(deal.next_follow_up),
            "last_activity": cell(deal.last_activity, dim=True),
        }
        return [values[key] for key, *_ in self._columns()]

    def _load_deals(self, *, reset: bool) -> None:
        """Read the first page again (a new sort) or the next page (scrolling), in a worker."""
        self.generation += 1 if reset else 0
        self.loading_more = not reset
        offset = 0 if reset else len(self.deals)
        self._read_deals(self.generation, self.event_id, self.sort, self.descending, offset, reset)

    @work(thread=True, exclusive=True, group="event-deals", exit_on_error=False)
    def _read_deals(self, generation: int, event_id: str, sort: str, descending: bool,
                    offset: int, reset: bool) -> None:
        page = event_deals(self.app.store, event_id, sort=sort, descending=descending,
                           offset=offset, limit=DEAL_PAGE)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._deals_read, generation, page, reset)

    def _deals_read(self, generation: int, page: DealPage, reset: bool) -> None:
        if generation != self.generation or not self.is_mounted:
            return
        self._show_deals(page, reset=reset)
        self.loading_more = False
        self.shown_generation = generation

    def _show_deals(self, page: DealPage, *, reset: bool) -> None:
        table = self.query_one("#deals", DataTable)
        if reset:
            keep = self.selected_deal_id()
            row = table.cursor_row
            self.deals = {}
            self._set_deal_columns(table)
        for deal in page.rows:
            if deal.id in self.deals:
                continue
            self.deals[deal.id] = deal
            table.add_row(*self._deal_cells(deal), key=deal.id)
        self.page = page
        # Header plus rows up to a cap, set outright (an auto height can miss rows that
        # arrive before the first layout).
        table.styles.height = min(table.row_count + 1, 14 if self.narrow else 24)
        if reset and table.row_count:
            index = table.get_row_index(keep) if keep in self.deals else min(row, table.row_count - 1)
            table.move_cursor(row=index, animate=False)
        shown = len(self.deals)
        sort_title = next(t for k, t, so, *_ in DEAL_COLUMNS if so == self.sort)
        order = "▼" if self.descending else "▲"
        more = f", {shown:,} loaded (more as you scroll)" if shown < page.total else ""
        self.query_one("#deals-title", Static).update(
            f"Deals ({page.total:,}{more}) · sorted by {sort_title} {order} · o sorts by the next column, O reverses"
            if page.total else "Deals · none yet: n adds one"
        )

    def _maybe_load_more(self, _value: float = 0.0) -> None:
        table = self.query_one("#deals", DataTable)
        if self.loading_more or self.page is None or len(self.deals) >= self.page.total:
            return
        near_cursor = table.cursor_row >= table.row_count - LOAD_MORE_MARGIN
        near_end = table.max_scroll_y - table.scroll_y <= LOAD_MORE_MARGIN
        if near_cursor or near_end:
            self._load_deals(reset=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "deals":
            self._maybe_load_more()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        sort = next((so for k, _t, so, *_ in DEAL_COLUMNS if k == key), None)
        if sort is None:
            return
        if sort == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = sort, False
        self._load_deals(reset=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "deals":
            event.stop()
            self.action_edit_deal()

    def selected_deal_id(self) -> str | None:
        table = self.query_one("#deals", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_deal(self) -> DealRow | None:
        key = self.selected_deal_id()
        return self.deals.get(key) if key else None

    def _need_deal(self) -> DealRow | None:
        deal = self.selected_deal()
        if deal is None:
            self.app.notify("No deal selected.", markup=False)
        return deal

    # --- actions ---------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_sort_next(self) -> None:
        sorts = [so for _k, _t, so, *_ in DEAL_COLUMNS if _k in {k for k, *_ in self._columns()}]
        index = sorts.index(self.sort) if self.sort in sorts else -1
        self.sort, self.descending = sorts[(index + 1) % len(sorts)], False
        self._load_deals(reset=True)

    def action_sort_reverse(self) -> None:
        self.descending = not self.descending
        self._load_deals(reset=True)

    def action_edit_event(self) -> None:
        from partners_tui.screens.forms import EventForm

        self.app.push_screen(EventForm(self.event_id))

    def action_archive_event(self) -> None:
        if self.detail is not None:
            e = self.detail.event
            confirm_archive_event(self, e.id, e.name, e.archived)

    def action_new_deal(self) -> None:
        from partners_tui.screens.forms import DealForm

        self.app.push_screen(DealForm(event_id=self.event_id))

    def action_edit_deal(self) -> None:
        from partners_tui.screens.forms import DealForm

        deal = self._need_deal()
        if deal:
            self.app.push_screen(DealForm(deal.id))

    def action_log_activity(self) -> None:
        from partners_tui.screens.forms import ActivityForm

        deal = self._need_deal()
        if deal:
            self.app.push_screen(ActivityForm(partner_id=deal.partner_id, deal_id=deal.id))

    def action_open_partner(self) -> None:
        deal = self._need_deal()
        if deal:
            self.app.open_partner(deal.partner_id)

    def action_deal_status(self) -> None:
        deal = self._need_deal()
        if deal:
            change_deal_status(self, deal)

    def action_archive_deal(self) -> None:
        deal = self._need_deal()
        if deal:
            confirm_archive_deal(self, deal)

    def action_delete_deal(self) -> None:
        deal = self._need_deal()
        if deal:
            confirm_delete_deal(self, deal)


def deal_name(deal: DealRow) -> str:
    return f"{deal.partner} / {deal.event}" + (f" ({deal.role})" if deal.role else "")


def change_deal_status(screen: MainScreen, deal: DealRow) -> None:
    """Pick the deal's next status and move it there (one command, undoable)."""
    from partners_tui.screens.forms import ChooseScreen
    from partners_tui.store.queries.lists import status_choices

    choices = [(c.value, c.label) for c in status_choices(screen.app.store)]
    store = screen.app.store

    def chosen(status: str | None) -> None:
        if status and status != deal.status:
            label = dict(choices).get(status, status)
            screen.app.write(lambda: store.change_deal_status(deal.id, status),
                             success=f"{deal.partner}: {deal.status_label} → {label}")

    screen.app.push_screen(ChooseScreen(f"Status of {deal.partner}", choices, deal.status), chosen)


def confirm_archive_deal(screen: MainScreen, deal: DealRow) -> None:
    from partners_tui.screens.forms import ConfirmScreen

    store = screen.app.store
    verb = "Restore" if deal.archived else "Archive"
    message = (
        f"{verb} the deal {deal_name(deal)}? "
        + ("It counts in the event's figures again." if deal.archived
           else "It stops counting in the figures; nothing is deleted, and ctrl+z undoes it.")
    )
    command = (lambda: store.restore_deal(deal.id)) if deal.archived else (lambda: store.archive_deal(deal.id))

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.write(command, success=f"{verb}d the deal {deal_name(deal)}.")

    screen.app.push_screen(ConfirmScreen(f"{verb} deal?", message, yes=verb, no="Keep"), answered)


def confirm_delete_deal(screen: MainScreen, deal: DealRow) -> None:
    """Hard delete, for a deal entered by mistake (its follow-ups go too). ctrl+z restores it."""
    from partners_tui.screens.forms import ConfirmScreen

    store = screen.app.store
    message = (
        f"Delete the deal {deal_name(deal)}? Only for a deal entered by mistake: its follow-ups "
        "are deleted with it (activities stay). To keep its history, archive it instead (x). "
        "ctrl+z brings it back."
    )

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.write(lambda: store.delete_deal(deal.id),
                             success=f"Deleted the deal {deal_name(deal)}. ctrl+z undoes it.")

    screen.app.push_screen(ConfirmScreen("Delete deal?", message, yes="Delete", no="Keep"), answered)
