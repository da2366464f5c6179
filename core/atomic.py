"""Atomic file replacement: write beside the target, flush to disk, then rename over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def fsync_file(path: str | Path) -> None:
    """Flush a finished file to disk before it replaces another."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def replace(tmp: str | Path, target: str | Path) -> None:
    """Move a finished temp file over the target in one step, so readers see old or new, never half."""
    fsync_file(tmp)
    os.replace(tmp, target)
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            fd = os.open(Path(target).parent, os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write a whole file atomically; on failure the previous file is left as it was."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(target: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_bytes(target, text.encode("utf-8"))
