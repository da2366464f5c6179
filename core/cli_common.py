"""What every command of the command line shares: JSON out, the bank an invocation names, text safe for a terminal,
and the refusal to overwrite a file."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from bigan.core.fsnames import display
from bigan.core.paths import default_bank


def print_json(data: object) -> None:
    """Write data to stdout as indented JSON, Chinese left readable."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def bank_path(args: argparse.Namespace) -> Path:
    """The bank a command works on: --db, else the user's default bank."""
    return Path(args.db) if args.db else default_bank()


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def printable(text: str) -> str:
    """Text as it may go to a terminal: control characters (ESC sequences among them) shown as �."""
    return _UNPRINTABLE.sub("\ufffd", text)


def refuse_overwrite(out: str, force: bool) -> bool:
    """Whether to stop because --out names an existing file and --force was not given (the message is printed)."""
    if force or not os.path.lexists(out):
        return False
    print(
        f"错误：“{display(out)}”已存在，为免覆盖原有内容，这次没有写入。请换一个文件名，或加 --force 确认覆盖。",
        file=sys.stderr,
    )
    return True
