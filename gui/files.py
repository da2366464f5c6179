"""Draft files from the window: dialog filters, suggested names, and the open/save jobs run on a worker thread."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import draft as drafts
from core.checks import check_text

WORD_FILTER = "Word 文档 (*.docx)"
SAVE_FILTERS = {WORD_FILTER: ".docx", "文本文件 (*.txt)": ".txt", "Markdown (*.md)": ".md"}
SAVE_FILTER = ";;".join(SAVE_FILTERS)
OPEN_FILTER = "草稿 (*.docx *.txt *.md);;Word 文档 (*.docx);;文本文件 (*.txt);;Markdown (*.md);;所有文件 (*)"
DEFAULT_SUFFIX = ".docx"
EXPORT_KINDS = ("placeholder", "numbering")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def with_suffix(path: str | Path, chosen_filter: str = "") -> Path:
    """The path with a draft extension: the chosen filter's (else .docx) when it has none a draft can have."""
    path = Path(path)
    if path.suffix.lower() in drafts.FORMATS:
        return path
    return path.with_name(path.name + SAVE_FILTERS.get(chosen_filter, DEFAULT_SUFFIX))


def suggested_name(text: str, untitled: str) -> str:
    """A file name for an untitled draft: its title line made safe for file systems, else `untitled`."""
    title = _UNSAFE.sub("", text.split("\n", 1)[0]).strip(" .\u3000")[:40]
    return f"{title or untitled}{DEFAULT_SUFFIX}"


@dataclass(frozen=True)
class ExportFaults:
    """What a .docx should not go out with: unfilled fields and numbering faults, counted."""

    placeholders: int
    numbering: int

    def __bool__(self) -> bool:
        return bool(self.placeholders or self.numbering)

    def covered_by(self, other: ExportFaults | None) -> bool:
        """Whether the user already accepted at least this many faults of each kind."""
        return other is not None and self.placeholders <= other.placeholders and self.numbering <= other.numbering

    def describe(self) -> str:
        """The counts in words, e.g. “3 处待填项、1 处编号问题”."""
        parts = []
        if self.placeholders:
            parts.append(f"{self.placeholders} 处待填项")
        if self.numbering:
            parts.append(f"{self.numbering} 处编号问题")
        return "、".join(parts)


def export_faults(text: str) -> ExportFaults:
    """Count the unfilled fields and numbering faults of a draft's text."""
    found = check_text(text, EXPORT_KINDS)
    placeholders = sum(f.kind == "placeholder" for f in found)
    return ExportFaults(placeholders, len(found) - placeholders)


@dataclass
class SaveRequest:
    """One save or export: the text as it was when asked, where to, and what the user has already agreed to."""

    text: str
    path: Path
    expected: drafts.FileStamp | None = None
    force: bool = False
    checked: bool = False
    export: bool = False
    revision: int = 0
    then: Callable[[], object] | None = None

    def _conflict(self) -> bool:
        """Whether saving over the file needs the user's word (changed on disk, or holding what a draft loses)."""
        if self.expected is None or self.force:
            return False
        return self.expected.changed(self.path) or (not self.expected.keeps_everything and self.path.exists())

    def run(self, accepted: ExportFaults | None = None) -> drafts.FileStamp | ExportFaults:
        """On a worker: save and return the stamp; first a conflict (raised), then a .docx's export faults beyond
        those `accepted` (returned, nothing written), so the user is asked about the file before the text."""
        if self._conflict():
            # core.draft raises ChangedOnDiskError / LosesContentError here, before anything is written.
            return drafts.save(drafts.Draft.from_text(self.text), self.path, self.expected, self.force)
        if not self.checked and drafts.draft_format(self.path) == "docx":
            faults = export_faults(self.text)
            if faults and not faults.covered_by(accepted):
                return faults
        return drafts.save(drafts.Draft.from_text(self.text), self.path, self.expected, self.force)


def editor_text(opened: drafts.OpenedDraft) -> str:
    """The text the editor shows for an opened draft (no trailing newline)."""
    return opened.draft.to_text().removesuffix("\n")
