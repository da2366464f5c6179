"""Where 笔杆 keeps its files: the user's data directory, overridable for tests and portable use."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.segment import RESOURCES

BUNDLED_CORPUS = RESOURCES / "corpus"


def data_dir() -> Path:
    """The per-user data directory (BIGAN_HOME overrides), created on first use."""
    override = os.environ.get("BIGAN_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Bigan"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Bigan"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "bigan"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_bank() -> Path:
    """The phrase bank used when no --db is given."""
    return data_dir() / "bank.db"
