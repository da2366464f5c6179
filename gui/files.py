"""Reading and writing a draft file; plain UTF-8 text for now (the draft format replaces these two functions)."""

from __future__ import annotations

from pathlib import Path

from core import atomic

OPEN_FILTER = "文本文件 (*.txt);;所有文件 (*)"
SAVE_FILTER = "文本文件 (*.txt)"


class DraftFileError(Exception):
    """A draft file could not be read or written; the message is for the user."""


def read_draft(path: str | Path) -> str:
    """The text of a draft file (UTF-8, with or without BOM; line ends normalised)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DraftFileError(f"无法打开 {path}：{exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftFileError(f"{path} 不是 UTF-8 文本文件") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_draft(path: str | Path, text: str) -> None:
    """Write the draft atomically as UTF-8 text."""
    try:
        atomic.write_text(path, text)
    except OSError as exc:
        raise DraftFileError(f"无法保存到 {path}：{exc.strerror or exc}") from None
