"""What the running program is called, for help texts and messages that tell the user what to type."""

from __future__ import annotations

import sys

from bigan import __version__

__all__ = ["__version__", "command_name"]


def command_name() -> str:
    """How the user started 笔杆 here: `python main.py` from a checkout, else the installed or frozen `bigan`."""
    return "python main.py" if sys.argv[0].endswith(".py") else "bigan"
