"""What the window remembers between runs (QSettings): geometry, pane sizes, last file, font size, toggles."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_FONT_SIZE = 14.0


class Settings:
    """Typed access to the stored settings; an ini file when a path is given or BIGAN_HOME is set."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None and os.environ.get("BIGAN_HOME"):
            path = Path(os.environ["BIGAN_HOME"]) / "settings.ini"
        if path is not None:
            self.store = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self.store = QSettings("Bigan", "Bigan")

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry."""
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    @property
    def splitter(self) -> QByteArray | None:
        """The saved sizes of the three panes."""
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self.store.setValue("window/splitter", value)

    @property
    def docks(self) -> QByteArray | None:
        """The saved placement and visibility of dock panels (the 检查 panel)."""
        return self._bytes("window/docks")

    @docks.setter
    def docks(self, value: QByteArray) -> None:
        self.store.setValue("window/docks", value)

    @property
    def last_file(self) -> str:
        """The draft open when the window last closed."""
        return str(self.store.value("draft/last_file", "") or "")

    @last_file.setter
    def last_file(self, value: str) -> None:
        self.store.setValue("draft/last_file", value)

    @property
    def font_size(self) -> float:
        """The editor's font size in points."""
        try:
            size = float(self.store.value("editor/font_size", DEFAULT_FONT_SIZE))
        except (TypeError, ValueError):
            return DEFAULT_FONT_SIZE
        return min(max(size, 8.0), 48.0)

    @font_size.setter
    def font_size(self, value: float) -> None:
        self.store.setValue("editor/font_size", float(value))

    def _flag(self, key: str, default: bool) -> bool:
        value = self.store.value(key, default)
        return value.lower() in ("true", "1") if isinstance(value, str) else bool(value)

    @property
    def insert_as_fields(self) -> bool:
        """Whether inserted passages get their figures and dates turned into fields."""
        return self._flag("snippets/insert_as_fields", True)

    @insert_as_fields.setter
    def insert_as_fields(self, value: bool) -> None:
        self.store.setValue("snippets/insert_as_fields", bool(value))

    @property
    def auto_renumber(self) -> bool:
        """Whether heading numbers follow automatically when headings are added, removed or moved."""
        return self._flag("outline/auto_renumber", True)

    @auto_renumber.setter
    def auto_renumber(self, value: bool) -> None:
        self.store.setValue("outline/auto_renumber", bool(value))

    def sync(self) -> None:
        """Write pending changes to disk."""
        self.store.sync()
