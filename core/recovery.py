"""Autosave and crash recovery: a recovery copy of the draft being edited, in the user's data directory."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from core import atomic
from core.draft import Draft
from core.paths import data_dir
from core.wordcount import word_count

IDLE_SECONDS = 1.5
INTERVAL_SECONDS = 4.0
TICK_SECONDS = 0.25
_FORMAT = "bigan-recovery"


def recovery_dir() -> Path:
    """Where recovery copies live: `recovery/` in the user's data directory (BIGAN_HOME overrides)."""
    path = data_dir() / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class RecoveryCopy:
    """A draft left behind by an editor that did not close cleanly: its text, file, and when it was kept."""

    path: Path
    text: str
    source: Path | None
    saved_at: float

    @property
    def title(self) -> str:
        """The draft's first line, to name it in the recovery prompt."""
        return self.text.split("\n", 1)[0].strip()

    @property
    def chars(self) -> int:
        """The copy's 字数, counted as the window's status bar counts it (as WPS and Word do)."""
        return word_count(self.text)

    def draft(self) -> Draft:
        """The recovered text as a draft."""
        return Draft.from_text(self.text)


def _lock(handle: IO[bytes]) -> bool:
    """Take an exclusive, non-blocking lock on an open file; the OS drops it when the process dies."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _in_use(copy_path: Path) -> bool:
    """Whether a running editor still owns a recovery copy (it holds the copy's lock file)."""
    lock_path = copy_path.with_suffix(".lock")
    try:
        with open(lock_path, "ab") as handle:
            return not _lock(handle)
    except OSError:
        return False


def _read_copy(path: Path) -> RecoveryCopy | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("text"), str):
        return None
    source = data.get("source")
    return RecoveryCopy(path, data["text"], Path(source) if source else None, float(data.get("saved_at", 0)))


class Recovery:
    """Keeps a recovery copy of one editor's text: fed on every change, written soon after typing stops
    (`idle` seconds) and at least every `interval` seconds while it goes on, removed on a clean close."""

    def __init__(
        self,
        source: str | Path | None = None,
        directory: str | Path | None = None,
        idle: float = IDLE_SECONDS,
        interval: float = INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory) if directory else recovery_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.source = Path(source) if source else None
        self.idle, self.interval, self._clock = idle, interval, clock
        self.last_error = ""
        self._mutex = threading.RLock()
        self._text: str | None = None
        self._fed = self._written = 0
        self._changed_at = self._pending_since = 0.0
        self._on_disk = False
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._own(self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.json")

    def _own(self, path: Path) -> None:
        """Make `path` this editor's copy and hold its lock, so other editors do not offer it for recovery."""
        self.path = path
        self._lock_handle = open(path.with_suffix(".lock"), "ab")  # noqa: SIM115 - held for the session
        _lock(self._lock_handle)

    def _release(self) -> None:
        with contextlib.suppress(OSError):
            self._lock_handle.close()
        with contextlib.suppress(OSError):
            self.path.with_suffix(".lock").unlink()

    def pending(self) -> list[RecoveryCopy]:
        """Copies left by editors that did not close cleanly (not this one's, not a running one's), newest first."""
        for lock in self.directory.glob("*.lock"):
            if not lock.with_suffix(".json").exists() and lock != self.path.with_suffix(".lock") and not _in_use(lock):
                with contextlib.suppress(OSError):
                    lock.unlink()
        copies = []
        for path in sorted(self.directory.glob("*.json")):
            if path == self.path or _in_use(path):
                continue
            copy = _read_copy(path)
            if copy is not None:
                copies.append(copy)
        return sorted(copies, key=lambda c: c.saved_at, reverse=True)

    def restore(self, copy: RecoveryCopy) -> Draft:
        """Take over a left-behind copy: this editor continues it (same file, same source) and gets its draft."""
        with self._mutex:
            self._discard_own()
            self._release()
            self._own(copy.path)
            self.source = copy.source
            self._text, self._on_disk = copy.text, True
            self._fed += 1
            self._written = self._fed
        return copy.draft()

    def discard(self, copy: RecoveryCopy) -> None:
        """Delete a left-behind copy the user chose not to recover."""
        for path in (copy.path, copy.path.with_suffix(".lock")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def update(self, text: str, now: float | None = None) -> None:
        """Feed the editor's current text; call on every change."""
        now = self._clock() if now is None else now
        with self._mutex:
            if text == self._text:
                return
            if self._fed == self._written:
                self._pending_since = now
            self._text = text
            self._fed += 1
            self._changed_at = now

    @property
    def dirty(self) -> bool:
        """Whether the editor holds text the recovery copy does not have yet."""
        with self._mutex:
            return self._fed != self._written

    def tick(self, now: float | None = None) -> bool:
        """Write the copy if it is due (typing paused `idle` s, or unsaved for `interval` s); True if written."""
        now = self._clock() if now is None else now
        with self._mutex:
            due = self.dirty and (now - self._changed_at >= self.idle or now - self._pending_since >= self.interval)
        return self.flush() if due else False

    def flush(self) -> bool:
        """Write the copy now if anything is unsaved; True if written. Errors are kept in `last_error`."""
        with self._mutex:
            if not self.dirty or self._text is None:
                return False
            version, text, source = self._fed, self._text, self.source
        record = {
            "format": _FORMAT,
            "version": 1,
            "source": str(source) if source else None,
            "saved_at": time.time(),
            "pid": os.getpid(),
            "text": text,
        }
        try:
            atomic.write_text(self.path, json.dumps(record, ensure_ascii=False))
        except OSError as exc:
            self.last_error = f"自动保存恢复副本失败：{exc.strerror or exc}。请尽快手动保存草稿。"
            return False
        with self._mutex:
            self._written = max(self._written, version)
            self._on_disk = True
            self.last_error = ""
        return True

    def saved(self, path: str | Path | None = None) -> None:
        """The draft was saved to its file (`path` after save-as): the copy is no longer needed."""
        with self._mutex:
            if path is not None:
                self.source = Path(path)
            self._written = self._fed
            self._discard_own()

    def close(self) -> None:
        """Clean close (the draft was saved or the user chose not to keep it): stop and remove the copy."""
        self.stop()
        with self._mutex:
            self._discard_own()
            self._release()

    def _discard_own(self) -> None:
        if self._on_disk:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._on_disk = False

    def start(self, period: float = TICK_SECONDS) -> None:
        """Tick from a small background thread every `period` seconds (instead of an editor timer)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(period,), name="bigan-recovery", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background thread, writing anything still unsaved first."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        self.flush()

    def _run(self, period: float) -> None:
        while not self._stop.wait(period):
            self.tick()
