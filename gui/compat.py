"""Work-arounds for defects of the installed Qt binding, applied when the gui package is imported."""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def protect_singletons() -> None:
    """Give None, True and False a reference count that cannot run out (PySide6 6.12 on Python < 3.12)."""
    # PySide6 6.12 drops one reference to None on every call of a Qt method returning void; from Python 3.12
    # None is immortal, but on 3.10/3.11 a few minutes of typing would free None and abort the interpreter.
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or hasattr(sys, "gettotalrefcount"):
        return
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _HEADROOM:
            count.value += _HEADROOM
