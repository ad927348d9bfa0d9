"""Reading the reference CRM's JSON export: {"partners", "links", "events", "communications"}.

Records are read in dependency order (events, partners, links, communications) whatever their
order in the file, so a link may precede its event in the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from partners_tui.store.importers.mapping import Builder
from partners_tui.store.importers.plan import Known, Plan
from partners_tui.store.importers.problems import Where

SECTIONS = (
    ("events", "event"), ("partners", "person"), ("links", "link"),
    ("communications", "communication"),
)


def read_biztech(path: Path, known: Known) -> Plan:
    builder = Builder(path.name, known)
    plan = builder.plan
    whole = Where(path.name, "file")
    try:
        with path.open(encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        plan.problems.append(
            Where(path.name, f"line {exc.lineno} column {exc.colno}").problem(None, f"not valid JSON: {exc.msg}")
        )
        plan.unreadable = True
        return plan
    except (OSError, UnicodeDecodeError) as exc:
        plan.problems.append(whole.problem(None, f"cannot be read: {exc}"))
        plan.unreadable = True
        return plan
    if not isinstance(data, dict):
        plan.problems.append(whole.problem(None, "is not a JSON object with partners, links, events and communications"))
        plan.unreadable = True
        return plan
    if data.get("format") == "partners-tui":
        plan.problems.append(whole.problem(
            None, "is a partners-tui export (partners-tui export json), not the reference CRM's "
            "data; it is a full backup to keep, not a file for `import biztech`",
        ))
        plan.unreadable = True
        return plan
    if not any(name in data for name, _ in SECTIONS):
        plan.problems.append(whole.problem(None, "has none of partners, links, events, communications"))
        plan.unreadable = True
        return plan
    for section, kind in SECTIONS:
        records = data.get(section) or []
        if not isinstance(records, list):
            plan.problems.append(Where(path.name, section).problem(None, "is not a list"))
            continue
        handle = getattr(builder, kind)
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                plan.problems.append(Where(path.name, f"{section}[{i}]").problem(None, "is not an object"))
                continue
            ident = rec.get("id")
            handle(Where(path.name, f"{section}[{i}]", f"id {ident}" if ident not in (None, "") else None), rec)
    return plan
