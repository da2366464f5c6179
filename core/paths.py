"""Where 笔杆 keeps its files: the user's data directory, overridable for tests and portable use."""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path


def _resources() -> Path:
    """The bundled data folder, wherever the package lives: a checkout, an installed wheel or a frozen build."""
    root = files("bigan").joinpath("resources")
    if not isinstance(root, Path):
        raise RuntimeError("笔杆须以文件夹形式安装，不能从压缩包中运行")
    return root


RESOURCES = _resources()
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
