"""What the window remembers between runs (QSettings): layouts per screen size, recent files and places, toggles."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_FONT_SIZE = 14.0
RECENT_LIMIT = 10


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
            size = float(str(self.store.value("editor/font_size", DEFAULT_FONT_SIZE)))
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

    @property
    def page_view(self) -> bool:
        """Whether the editor shows the draft as a page (centred title, indented first lines, 28-character lines)."""
        return self._flag("editor/page_view", True)

    @page_view.setter
    def page_view(self, value: bool) -> None:
        self.store.setValue("editor/page_view", bool(value))

    @property
    def last_folder(self) -> str:
        """The folder a draft was last opened from or saved to."""
        return str(self.store.value("draft/last_folder", "") or "")

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self.store.setValue("draft/last_folder", value)

    @property
    def import_folder(self) -> str:
        """The folder materials were last imported from."""
        return str(self.store.value("bank/import_folder", "") or "")

    @import_folder.setter
    def import_folder(self, value: str) -> None:
        self.store.setValue("bank/import_folder", value)

    def _json(self, key: str, default: object) -> object:
        try:
            return json.loads(str(self.store.value(key, "") or "")) if self.store.contains(key) else default
        except ValueError:
            return default

    @property
    def recent_files(self) -> list[str]:
        """Drafts opened or saved lately, newest first (at most ten)."""
        value = self._json("draft/recent", [])
        return [str(v) for v in value if isinstance(v, str)][:RECENT_LIMIT] if isinstance(value, list) else []

    def add_recent(self, path: str) -> None:
        """Put a draft at the top of 最近打开."""
        recent = [path, *(p for p in self.recent_files if p != path)][:RECENT_LIMIT]
        self.store.setValue("draft/recent", json.dumps(recent, ensure_ascii=False))
        places = self._places()
        self.store.setValue("draft/places", json.dumps({k: v for k, v in places.items() if k in recent}))

    def remove_recent(self, path: str) -> None:
        """Drop a draft from 最近打开 (it is gone from disk)."""
        recent = [p for p in self.recent_files if p != path]
        self.store.setValue("draft/recent", json.dumps(recent, ensure_ascii=False))

    def clear_recent(self) -> None:
        """Empty 最近打开."""
        self.store.setValue("draft/recent", "[]")

    def _places(self) -> dict[str, list[int]]:
        value = self._json("draft/places", {})
        return value if isinstance(value, dict) else {}

    def place(self, path: str) -> tuple[int, int] | None:
        """Where the cursor and the scroll bar stood when a draft was last closed."""
        found = self._places().get(path)
        if isinstance(found, list) and len(found) == 2 and all(isinstance(v, int) for v in found):
            return found[0], found[1]
        return None

    def set_place(self, path: str, cursor: int, scroll: int) -> None:
        """Remember where the cursor and the scroll bar stand in a draft."""
        places = self._places()
        places[path] = [int(cursor), int(scroll)]
        self.store.setValue("draft/places", json.dumps(places, ensure_ascii=False))

    def layout(self, screen: str) -> dict[str, object]:
        """The pane layout remembered for a screen size ("1366x768"): widths, hidden panes, panel height."""
        value = self._json(f"layout/{screen}/panes", {})
        return value if isinstance(value, dict) else {}

    def set_layout(self, screen: str, layout: dict[str, object]) -> None:
        """Remember the pane layout for a screen size."""
        self.store.setValue(f"layout/{screen}/panes", json.dumps(layout))

    def screen_bytes(self, name: str, screen: str) -> QByteArray | None:
        """Saved Qt state (window geometry, dock placement) for a screen size."""
        return self._bytes(f"layout/{screen}/{name}")

    def set_screen_bytes(self, name: str, screen: str, value: QByteArray) -> None:
        """Save Qt state for a screen size."""
        self.store.setValue(f"layout/{screen}/{name}", value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self.store.sync()
