"""Importing the reference Partnerships CRM's exports (JSON and CSV) as one undoable command.

`run_import` reads the whole file into a plan first, so every problem is known before anything is
written: by default one bad record means nothing is written; with `skip_bad` the good ones are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from partners_tui.store.commands import Store
from partners_tui.store.importers.biztech import read_biztech
from partners_tui.store.importers.plan import ENTITIES, PLURALS, Known
from partners_tui.store.importers.problems import ImportFailed
from partners_tui.store.importers.reference_csv import read_reference_csv
from partners_tui.store.importers.writer import Counts, write_plan

__all__ = ["ImportFailed", "ImportResult", "run_import"]

READERS = {"biztech": read_biztech, "csv": read_reference_csv}


@dataclass
class ImportResult:
    file: str
    counts: Counts
    new_statuses: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c[0] or c[1] for c in self.counts.values()) or bool(self.new_statuses)

    def summary(self) -> str:
        unchanged = sum(c[2] for c in self.counts.values())
        if not self.changed:
            head = f"Nothing changed: {self.file} matches the database ({unchanged:,} records unchanged)."
        else:
            head = f"Imported {self.file}:"
        lines = [head]
        if self.changed:
            for entity in ENTITIES:
                created, updated, same = self.counts[entity]
                if created or updated or same:
                    lines.append(f"  {PLURALS[entity]}: {created:,} created, {updated:,} updated, {same:,} unchanged")
            if self.new_statuses:
                lines.append(f"  new custom statuses: {', '.join(self.new_statuses)}")
        if self.skipped:
            lines.append(f"  {len(self.skipped):,} problem(s): bad records skipped")
        return "\n".join(lines)


def run_import(store: Store, kind: str, path: Path, *, skip_bad: bool) -> ImportResult:
    """Import `path` (kind "biztech" or "csv"); raises ImportFailed and writes nothing on bad
    records unless `skip_bad`."""
    if kind not in READERS:
        raise ValueError(f"unknown import kind {kind!r}")
    path = Path(path)
    with store.read() as conn:
        known = Known.load(conn)
    plan = READERS[kind](path, known)
    if plan.problems and (not skip_bad or plan.unreadable):
        raise ImportFailed(plan.problems)
    counts, new_statuses = write_plan(store, plan, f"import.{kind}", f"Import {path.name}")
    return ImportResult(path.name, counts, new_statuses, list(plan.problems))
