"""The one look every dialog shares: centred on a dimmed screen, a bordered `#dialog` box with a
bold title and a muted subtitle. Dialogs subclass `Dialog[T]` and style only their size."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog > #dialog {
        height: auto;
        padding: 0 1;
        border: thick $primary;
        border-title-style: bold;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        background: $surface;
    }
    """
