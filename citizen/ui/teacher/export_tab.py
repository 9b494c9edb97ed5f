"""Provides the export tab: pick a kind of CSV and where to write it."""

from __future__ import annotations

import os
import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Select, Static

from citizen.reports import KINDS
from citizen.ui.widgets import plain

KIND_LABELS = {
    "answers": "Every answer (answers)",
    "summary": "Best score per student and module (summary)",
    "canvas": "Canvas gradebook import (canvas)",
    "roster": "Class list with student codes (roster)",
    "assignments": "Assignments and due dates (assignments)",
}
"""How each export kind is offered."""


def default_path(class_name: str, kind: str) -> str:
    """`~/citizen-<class>-<kind>.csv`, expanded, with the class name made file-safe."""
    slug = re.sub(r"[^a-z0-9]+", "-", class_name.casefold()).strip("-") or "class"
    return os.path.expanduser(f"~/citizen-{slug}-{kind}.csv")


class ExportPane(Vertical):
    """Chooses an export; the class screen writes it and reports back with `show_result`."""

    class ExportRequested(Message):
        """The Export button; handled by `on_export_pane_export_requested`."""

        def __init__(self, kind: str, path: str) -> None:
            super().__init__()
            self.kind = kind
            """answers, summary, canvas or roster."""
            self.path = path
            """The file to write, as typed."""

    def __init__(self, class_name: str, *, id: str | None = None) -> None:
        """Args:
            class_name: used in the suggested file name.
        """
        super().__init__(id=id)
        self.class_name = class_name
        """The class being exported."""

    def compose(self) -> ComposeResult:
        yield plain("What to export:")
        yield Select([(KIND_LABELS.get(k, k), k) for k in KINDS], allow_blank=False,
                     value="summary", id="export-kind")
        yield plain("Write to this file (CSV, opens in a spreadsheet):")
        yield Input(default_path(self.class_name, "summary"), id="export-path")
        yield Button("Export", id="export", variant="primary")
        yield Static("", id="export-result", markup=False)

    @on(Select.Changed, "#export-kind")
    def _kind(self, event: Select.Changed) -> None:
        event.stop()
        box = self.query_one("#export-path", Input)
        kind = str(event.value)
        # Follow the kind only while the path is still a suggestion, never over a typed one.
        if any(box.value == default_path(self.class_name, k) for k in KINDS):
            box.value = default_path(self.class_name, kind)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        kind = self.query_one("#export-kind", Select).selection
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.show_result("Type the file to write.", error=True)
            return
        self.post_message(self.ExportRequested(str(kind), path))

    def show_result(self, text: str, error: bool = False) -> None:
        """Shows what the export wrote, or why it could not."""
        box = self.query_one("#export-result", Static)
        box.set_classes("error" if error else "notice")
        box.update(text)
