"""The program's log: a rotating file in the user's data folder, for finding out afterwards what went wrong.

What is logged: start-up facts (versions, the bank's path, LibreOffice found or not), every import's summary and
every file skipped with its reason, and every exception a worker caught, with its traceback. No document text
goes into the log beyond file names.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bigan.core.paths import data_dir

LOG_NAME = "bigan"
MAX_BYTES = 1_000_000
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(process)d %(threadName)s %(name)s: %(message)s"

log = logging.getLogger(LOG_NAME)


def log_dir() -> Path:
    """Where the log files are: `logs/` in the user's data folder."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def setup(role: str, facts_in_background: bool = False) -> Path | None:
    """Send this process's log to the rotating file (once); None when the folder cannot be written. The window
    gathers its start-up facts (about 0.1 s of package metadata) on a thread, not before it is shown."""
    if any(getattr(h, "bigan", False) for h in log.handlers):
        return Path(log.handlers[0].baseFilename) if isinstance(log.handlers[0], logging.FileHandler) else None
    try:
        path = log_dir() / "bigan.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        # A log is a help, never a reason not to run; without one, logging's stderr fallback must stay silent
        # (the user gets the Chinese message, not English log lines or tracebacks).
        silent = logging.NullHandler()
        silent.bigan = True  # type: ignore[attr-defined]
        log.addHandler(silent)
        log.propagate = False
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.bigan = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    if facts_in_background:
        threading.Thread(target=lambda: log.info("start %s: %s", role, startup_facts()), name="start-up-facts").start()
    else:
        log.info("start %s: %s", role, startup_facts())
    return path


def startup_facts() -> str:
    """Versions and paths worth knowing when reading a log: Python, the platform, the libraries, LibreOffice."""
    from bigan.core.convert import find_soffice
    from bigan.core.paths import default_bank

    facts: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "bank": str(default_bank()),
        "libreoffice": find_soffice() or "未找到",
    }
    for module in ("PySide6", "jieba", "rjieba", "sqlite_utils", "opencc", "pypdfium2"):
        facts[module] = _version(module)
    return ", ".join(f"{k}={v}" for k, v in facts.items())


def _version(module: str) -> str:
    from importlib import metadata

    names = {"PySide6": "PySide6-Essentials", "sqlite_utils": "sqlite-utils", "opencc": "opencc"}
    try:
        return metadata.version(names.get(module, module))
    except metadata.PackageNotFoundError:
        return "-"


def build_summary(report: Any, seconds: float | None = None) -> None:
    """Log an import's outcome: counts, then each skipped file with its reason (file names only)."""
    totals = getattr(report, "totals", {}) or {}
    log.info(
        "import: %d files imported, %d unchanged, %d duplicates, %d skipped; bank now %s documents, %s entries"
        " (%.1f s)",
        len(getattr(report, "imported", [])),
        len(getattr(report, "unchanged", [])),
        len(getattr(report, "duplicates", [])),
        len(getattr(report, "skipped", [])),
        totals.get("documents", "?"),
        totals.get("entries", "?"),
        seconds if seconds is not None else getattr(report, "seconds", 0.0),
    )
    skipped: Iterable[Any] = getattr(report, "skipped", [])
    for item in skipped:
        log.warning("skipped %s: %s", item.path, item.reason)


def worker_error(what: str) -> None:
    """Log the exception being handled in a worker, with its traceback."""
    log.exception("worker failed: %s", what)
