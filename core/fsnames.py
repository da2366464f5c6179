"""File names as the operating system gives them: bytes that are not UTF-8 (Python's surrogate escapes) are shown
readably — as GBK when an archive unzipped on Linux kept its Windows names — and the real name stays usable."""

from __future__ import annotations

import os
import re
from pathlib import Path

# A name read as GB18030 is taken when every non-ASCII character is a common CJK character or CJK punctuation.
_CJK_NAME = re.compile(r"^[\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]*$")


def is_clean(path: str | os.PathLike[str]) -> bool:
    """Whether the name is valid Unicode text that can be stored and printed as it is."""
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _component(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _CJK_NAME.match(text):
        return text
    return raw.decode("utf-8", errors="backslashreplace")


def display(path: str | os.PathLike[str]) -> str:
    """The path as a person should read it: each undecodable part as GBK if it reads so, else with \\xNN escapes."""
    text = os.fspath(path)
    if is_clean(text):
        return text
    raw = os.fsencode(text)
    sep = os.sep.encode()
    return sep.decode().join(_component(part) for part in raw.split(sep))


def raw_bytes(path: str | os.PathLike[str]) -> bytes | None:
    """The path's bytes, kept beside its display form when the two differ; None when the name is clean."""
    return None if is_clean(path) else os.fsencode(os.fspath(path))


def from_raw(raw: bytes) -> Path:
    """The path a stored raw name stands for, to open the file again."""
    return Path(os.fsdecode(raw))
