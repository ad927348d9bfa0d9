"""Problems found in an import file, each naming the file, the record and the field.

A person fixing a 10,000-line export needs to find the exact record, so every message carries
`file: record (id X) field: message`, with the reference's own field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportFailed(Exception):
    """Some records are bad and --skip-bad was not given: nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s); nothing was imported")


@dataclass(frozen=True)
class Where:
    """One record of the file: `links[3] (id L9)` or `line 7 (linkId L9)`."""

    file: str
    record: str
    ident: str | None = None
    # The file's own names for fields, when they differ from the JSON names (CSV columns).
    rename: dict[str, str] | None = field(default=None, compare=False)

    def problem(self, field_name: str | None, message: str) -> str:
        if field_name and self.rename:
            field_name = self.rename.get(field_name, field_name)
        label = f"{self.file}: {self.record}"
        if self.ident:
            label += f" ({self.ident})"
        return f"{label} {field_name}: {message}" if field_name else f"{label}: {message}"


@dataclass
class Problems:
    """Problems collected while reading a file; bad records are remembered by key."""

    messages: list[str] = field(default_factory=list)

    def add(self, where: Where, field_name: str | None, message: str) -> None:
        self.messages.append(where.problem(field_name, message))

    def __bool__(self) -> bool:
        return bool(self.messages)
