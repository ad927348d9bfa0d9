"""One partner in full: who they are, their contacts, their deals across events with totals,
open follow-ups, the activity timeline (latest first, paged as you scroll) and the partners
above and below them in the account tree.

Pushed over the Partners list (and over another partner's detail when you walk the tree). It is
a `PartnersScreen` itself so that the app's `open_partner` retargets an open detail; its own
bindings replace the list's. Keys act on the table that has focus (tab moves between them).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from partners_tui.screens.event_detail import (
    change_deal_status, confirm_archive_deal, confirm_delete_deal,
)
from partners_tui.screens.partners import PartnersScreen, confirm_archive_partner
from partners_tui.screens.tables import cell
from partners_tui.store.queries.details import (
    TIMELINE_PAGE, ActivityRow, ContactRow, DealRow, PartnerDetail, activity_timeline,
    partner_detail,
)
from partners_tui.widgets.figures import badge, money

LOAD_MORE_MARGIN = 10
TABLE_COLUMNS = {
    # (title, wide width, narrow width or 0 to leave out under 100 columns)
    "contacts": [("Name", 22, 22), ("Title", 18, 0), ("Email", 30, 28), ("Phone", 14, 0),
                 ("Strength", 8, 8), ("Influence", 14, 0)],
    "p-deals": [("Event", 26, 22), ("Status", 15, 13), ("Tier", 9, 0), ("Role", 14, 0),
                ("Amount", 10, 9), ("Follow-up", 10, 10), ("Last activity", 13, 0)],
    "p-follow-ups": [("Due", 10, 10), ("", 9, 9), ("Event", 26, 20), ("Note", 40, 20)],
    "timeline": [("When", 16, 16), ("Channel", 12, 11), ("Contact", 18, 0), ("Event", 22, 0),
                 ("Subject", 36, 28)],
    "related": [("Relation", 10, 10), ("Partner", 40, 40)],
}
TABLE_HEIGHTS = {"contacts": 8, "p-deals": 12, "p-follow-ups": 8, "timeline": 16, "related": 6}
"""Most lines each table takes (wide); beyond that it scrolls."""
INFLUENCE = {"decision_maker": "Decision maker", "influencer": "Influencer", "user": "User",
             "gatekeeper": "Gatekeeper"}


class PartnerDetailScreen(PartnersScreen, inherit_bindings=False):
    LABEL = "Partner"
    IS_DETAIL = True
    AUTO_FOCUS = ""  # none: the first table with rows gets focus once read, without scrolling

    DEFAULT_CSS = """
    PartnerDetailScreen #partner-head {
        margin-bottom: 1;
    }
    PartnerDetailScreen .section {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    PartnerDetailScreen #deal-summary {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you came from"),
        Binding("r", "reload", "Reload", show=False,
                tooltip="Read this screen's data from the database again"),
        Binding("e", "edit_partner", "Edit", tooltip="Edit this partner"),
        Binding("c", "new_contact", "Contact", tooltip="Add a contact to this partner"),
        Binding("n", "new_deal", "New deal", tooltip="Add a deal for this partner"),
        Binding("l", "log_activity", "Log", tooltip="Log a call, email or meeting with this partner"),
        Binding("enter", "open_row", "Open", show=False,
                tooltip="Edit the selected contact, deal or activity, or open the partner"),
        Binding("s", "deal_status", "Status", tooltip="Move the selected deal to another status"),
        Binding("v", "open_event", "Event", show=False, tooltip="Open the selected deal's event"),
        Binding("x", "archive_row", "Archive row", show=False,
                tooltip="Archive or restore the selected contact or deal"),
        Binding("delete", "delete_row", "Delete", show=False,
                tooltip="Delete the selected deal or activity (entered by mistake; ctrl+z undoes)"),
        Binding("a", "archive_partner", "Archive", tooltip="Archive or restore this partner"),
    ]

    def __init__(self, partner_id: str) -> None:
        super().__init__()
        self.partner_id = partner_id
        self.detail: PartnerDetail | None = None
        self.contacts: dict[str, ContactRow] = {}
        self.deals: dict[str, DealRow] = {}
        self.activities: dict[str, ActivityRow] = {}
        self.related: dict[str, str] = {}
        self._layout_for: str | None = None

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("", id="partner-head")
        yield Static("Contacts", classes="section", id="contacts-title")
        yield self._table("contacts")
        yield Static("Deals", classes="section", id="deals-title")
        yield Static("", id="deal-summary", markup=False)
        yield self._table("p-deals")
        yield Static("Open follow-ups", classes="section", id="follow-ups-title")
        yield self._table("p-follow-ups")
        yield Static("Activity", classes="section", id="timeline-title")
        yield self._table("timeline")
        yield Static("Account tree", classes="section", id="related-title")
        yield self._table("related")

    @staticmethod
    def _table(id: str) -> DataTable:
        return DataTable(id=id, cursor_type="row", zebra_stripes=True)

    def _set_columns(self) -> None:
        """The columns for this width (narrow: the ones that fit 80 cells, no sideways scroll)."""
        self._layout_for = "narrow" if self.narrow else "wide"
        for id, columns in TABLE_COLUMNS.items():
            table = self.query_one(f"#{id}", DataTable)
            table.clear(columns=True)
            for title, wide, narrow in columns:
                width = narrow if self.narrow else wide
                if width:
                    table.add_column(title, width=width)

    def on_mount(self) -> None:
        timeline = self.query_one("#timeline", DataTable)
        self.watch(timeline, "scroll_y", self._maybe_more_activity, init=False)

    def on_resize(self) -> None:
        if self.detail is not None and self._layout_for != ("narrow" if self.narrow else "wide"):
            self.reload()

    # --- reading ---------------------------------------------------------------------------

    def show_partner(self, partner_id: str) -> None:
        """Called by the app's `open_partner` when this detail is on top: show that partner."""
        if partner_id != self.partner_id:
            self.partner_id = partner_id
            for table in self.query(DataTable):
                table.move_cursor(row=0, animate=False)
        self.reload()

    def reload(self) -> None:
        if not self.is_mounted:
            return
        store = self.app.store
        self.symbol = store.get_setting("currency.symbol", "$")
        self.detail = partner_detail(store, self.partner_id, self.app.clock.today())
        if self.detail is None:
            self.query_one("#partner-head", Static).update(Text("This partner no longer exists.", style="bold"))
            return
        d = self.detail
        first = self._layout_for is None
        if self._layout_for != ("narrow" if self.narrow else "wide"):
            self._set_columns()
        self._show_head(d)
        self._fill("contacts", [(c.id, self._contact_cells(c)) for c in d.contacts])
        self.contacts = {c.id: c for c in d.contacts}
        self.deals = {x.id: x for x in d.deals}
        self._fill("p-deals", [(x.id, self._deal_cells(x)) for x in d.deals])
        s = d.summary
        self.query_one("#deal-summary", Static).update(
            f"{s.deals} deal{'s' if s.deals != 1 else ''} · committed {money(s.committed_cents, self.symbol)}"
            f" · secured {money(s.secured_cents, self.symbol)} · open {money(s.open_cents, self.symbol)}"
            + (f" · {s.lost} lost" if s.lost else "")
            + ("" if d.deals else " · n adds one")
        )
        self._fill("p-follow-ups", [
            (f.id, [
                cell(f.due_date),
                Text(f"{-f.days_until_due}d late" if f.overdue else "today" if f.days_until_due == 0
                     else f"in {f.days_until_due}d", style="bold red" if f.overdue else "dim"),
                cell(f.event), cell(f.note, dim=True),
            ])
            for f in d.follow_ups
        ])
        self.activities = {a.id: a for a in d.activities}
        self._fill("timeline", [(a.id, self._activity_cells(a)) for a in d.activities])
        self.query_one("#timeline-title", Static).update(
            f"Activity ({d.activities_total:,}, latest first"
            + (f"; {len(self.activities):,} loaded, more as you scroll)" if d.activities_total > len(self.activities) else ")")
            + (" · l logs one" if not d.activities_total else "")
        )
        self.related = {}
        rows = []
        if d.parent:
            self.related[d.parent.id] = d.parent.name
            rows.append((d.parent.id, [cell("parent"), cell(d.parent.name, dim=d.parent.archived)]))
        for child in d.children:
            self.related[child.id] = child.name
            rows.append((child.id, [cell("branch"), cell(child.name + (" (archived)" if child.archived else ""),
                                                         dim=child.archived)]))
        self._fill("related", rows)
        for id in ("related", "related-title"):
            self.query_one(f"#{id}").display = bool(rows)
        for id, items in (("contacts", d.contacts), ("p-follow-ups", d.follow_ups), ("timeline", d.activities)):
            self.query_one(f"#{id}").display = bool(items)
        self.query_one("#contacts-title", Static).update(
            f"Contacts ({len(d.contacts)})" if d.contacts else "Contacts · none yet: c adds one")
        self.query_one("#follow-ups-title", Static).update(
            f"Open follow-ups ({len(d.follow_ups)})" if d.follow_ups else "Open follow-ups · none")
        focused = self.focused
        if not isinstance(focused, DataTable) or not focused.display:
            table = next((t for t in self.query(DataTable) if t.display and t.row_count), None)
            if table is not None:
                table.focus(scroll_visible=False)
        if first:  # open at the top (filling the tables scrolls their cursors into view)
            body = self.query_one("#body")
            self.call_after_refresh(body.scroll_home, animate=False, immediate=True)

    def _fill(self, id: str, rows: list[tuple[str, list[Any]]]) -> None:
        table = self.query_one(f"#{id}", DataTable)
        keep = self._selected(table)
        position = table.cursor_row
        table.clear()
        shown = [i for i, (_t, wide, narrow) in enumerate(TABLE_COLUMNS[id]) if (narrow if self.narrow else wide)]
        for key, cells in rows:
            table.add_row(*(cells[i] for i in shown), key=key)
        self._size_table(table)
        if table.row_count:
            keys = [k for k, _ in rows]
            index = keys.index(keep) if keep in keys else min(position, table.row_count - 1)
            table.move_cursor(row=index, animate=False)

    def _size_table(self, table: DataTable) -> None:
        """Header plus rows, up to a cap (then it scrolls). Set outright: an auto height filled
        before the first layout can stay at 0 lines."""
        cap = TABLE_HEIGHTS.get(table.id or "", 10) if not self.narrow else 8
        table.styles.height = min(table.row_count + 1, cap)

    @staticmethod
    def _selected(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_head(self, d: PartnerDetail) -> None:
        p = d.partner
        head = Text(p.name, style="bold", no_wrap=False)
        for word, style, shown in (("alumni", "yellow", p.is_alumni), ("archived", "reverse yellow", p.archived)):
            if shown:
                head.append("  ")
                head.append_text(badge(word, style))
        facts = [x for x in (p.tier and f"tier {p.tier}", p.industry, p.website, p.linkedin) if x]
        if d.parent:
            facts.append(f"part of {d.parent.name}")
        if d.children:
            facts.append(f"{len(d.children)} branch{'es' if len(d.children) != 1 else ''}")
        if facts:
            head.append("\n" + "  ·  ".join(facts), style="dim")
        if p.tags:
            head.append("\ntags: " + p.tags, style="dim")
        if p.notes:
            head.append("\n" + p.notes, style="italic dim")
        self.query_one("#partner-head", Static).update(head)

    def _contact_cells(self, c: ContactRow) -> list[Any]:
        name = Text(c.name, no_wrap=True, overflow="ellipsis", style="dim" if c.archived else "")
        if c.is_primary:
            name.append(" ★", style="yellow")
        if c.archived:
            name.append(" (archived)")
        return [name, cell(c.title), cell(c.email), cell(c.phone),
                cell(f"{c.strength}/10" if c.strength else ""),
                cell(INFLUENCE.get(c.influence or "", c.influence))]

    def _deal_cells(self, x: DealRow) -> list[Any]:
        status_style = "green" if x.secured else "dim" if x.closed else ""
        event = x.event + (" (archived)" if x.archived else "")
        return [cell(event, dim=x.archived), Text(x.status_label, style=status_style, no_wrap=True),
                cell(x.package_tier), cell(x.role),
                cell(money(x.amount_cents, self.symbol, none=""), justify="right"),
                cell(x.next_follow_up), cell(x.last_activity, dim=True)]

    def _activity_cells(self, a: ActivityRow) -> list[Any]:
        arrow = "←" if a.direction == "inbound" else "→"
        return [cell(f"{a.day} {a.time}"), cell(f"{arrow} {a.channel}"), cell(a.contact),
                cell(a.event, dim=True), cell(a.subject or a.summary, dim=not a.subject)]

    def _maybe_more_activity(self, _value: float = 0.0) -> None:
        d = self.detail
        if d is None or len(self.activities) >= d.activities_total:
            return
        table = self.query_one("#timeline", DataTable)
        if (table.cursor_row >= table.row_count - LOAD_MORE_MARGIN
                or table.max_scroll_y - table.scroll_y <= LOAD_MORE_MARGIN):
            more = activity_timeline(self.app.store, self.partner_id, offset=len(self.activities),
                                     limit=TIMELINE_PAGE)
            for a in more:
                if a.id not in self.activities:
                    self.activities[a.id] = a
                    cells = self._activity_cells(a)
                    shown = [i for i, (_t, w, n) in enumerate(TABLE_COLUMNS["timeline"]) if (n if self.narrow else w)]
                    table.add_row(*(cells[i] for i in shown), key=a.id)
            self._size_table(table)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "timeline":
            self._maybe_more_activity()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_row()

    # --- what the keys act on --------------------------------------------------------------

    def _focused_table(self) -> tuple[str, str | None]:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None:
            return "", None
        return table.id or "", self._selected(table)

    def _deal(self) -> DealRow | None:
        table, key = self._focused_table()
        if table == "p-deals" and key in self.deals:
            return self.deals[key]
        if table == "p-follow-ups" and self.detail is not None:
            fu = next((f for f in self.detail.follow_ups if f.id == key), None)
            if fu and fu.deal_id in self.deals:
                return self.deals[fu.deal_id]
        self.app.notify("Select a deal first (tab moves to the deals table).", markup=False)
        return None

    # --- actions ---------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit_partner(self) -> None:
        from partners_tui.screens.forms import PartnerForm

        self.app.push_screen(PartnerForm(self.partner_id))

    def action_archive_partner(self) -> None:
        if self.detail is not None:
            p = self.detail.partner
            confirm_archive_partner(self, p.id, p.name, p.archived)

    def action_new_contact(self) -> None:
        from partners_tui.screens.forms import ContactForm

        self.app.push_screen(ContactForm(self.partner_id))

    def action_new_deal(self) -> None:
        from partners_tui.screens.forms import DealForm

        self.app.push_screen(DealForm(partner_id=self.partner_id))

    def action_log_activity(self) -> None:
        from partners_tui.screens.forms import ActivityForm

        table, key = self._focused_table()
        deal_id = key if table == "p-deals" else None
        self.app.push_screen(ActivityForm(partner_id=self.partner_id, deal_id=deal_id))

    def action_open_row(self) -> None:
        from partners_tui.screens.forms import ActivityForm, ContactForm, DealForm

        table, key = self._focused_table()
        if key is None:
            return
        if table == "contacts":
            self.app.push_screen(ContactForm(self.partner_id, key))
        elif table == "p-deals":
            self.app.push_screen(DealForm(key))
        elif table == "timeline":
            self.app.push_screen(ActivityForm(key))
        elif table == "p-follow-ups":
            deal = self._deal()
            if deal:
                self.app.push_screen(DealForm(deal.id))
        elif table == "related":
            self.app.push_screen(PartnerDetailScreen(key))

    def action_deal_status(self) -> None:
        deal = self._deal()
        if deal:
            change_deal_status(self, deal)

    def action_open_event(self) -> None:
        deal = self._deal()
        if deal:
            self.app.open_event(deal.event_id)

    def action_archive_row(self) -> None:
        from partners_tui.screens.forms import ConfirmScreen

        table, key = self._focused_table()
        if table == "p-deals" and key in self.deals:
            confirm_archive_deal(self, self.deals[key])
        elif table == "contacts" and key in self.contacts:
            contact = self.contacts[key]
            store = self.app.store
            verb = "Restore" if contact.archived else "Archive"
            command = (lambda: store.restore_contact(key)) if contact.archived else (lambda: store.archive_contact(key))

            def answered(yes: bool | None) -> None:
                if yes:
                    self.app.write(command, success=f"{verb}d contact {contact.name}.")

            self.app.push_screen(ConfirmScreen(
                f"{verb} contact?",
                f"{verb} {contact.name}? " + ("" if contact.archived else
                                            "They stay in the history; ctrl+z undoes it."),
                yes=verb, no="Keep"), answered)
        else:
            self.app.notify("Select a contact or a deal first (tab moves between tables).", markup=False)

    def action_delete_row(self) -> None:
        from partners_tui.screens.forms import ConfirmScreen

        table, key = self._focused_table()
        if table == "p-deals" and key in self.deals:
            confirm_delete_deal(self, self.deals[key])
        elif table == "timeline" and key in self.activities:
            activity = self.activities[key]
            store = self.app.store
            what = f"the {activity.channel} of {activity.day}" + (f" ({activity.subject})" if activity.subject else "")

            def answered(yes: bool | None) -> None:
                if yes:
                    self.app.write(lambda: store.delete_activity(key),
                                   success=f"Deleted {what}. ctrl+z undoes it.")

            self.app.push_screen(ConfirmScreen(
                "Delete activity?",
                f"Delete {what}? Only for an activity logged by mistake; ctrl+z brings it back.",
                yes="Delete", no="Keep"), answered)
        else:
            self.app.notify("Only a deal or an activity can be deleted; select one first.", markup=False)

