"""The draft being written: a title and paragraphs, and the plain-text form the editor shows."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bigan.core import atomic
from bigan.core.failures import os_reason
from bigan.core.fsnames import display
from bigan.core.gbt9704 import PageLayout
from bigan.core.headings import HEADING_PATTERNS, classify, match_heading
from bigan.core.regular import FileTooLarge, NotRegularFile, not_regular_reason, read_regular

MAX_LEVEL = 4


@dataclass
class Paragraph:
    """One paragraph as the editor shows it (number included), its heading level (0 = body) and number.

    A numbered item (`1.项目储备不足，大项目、好项目偏少。`, see core.structure.numbered_items) is body text
    that keeps its number: level 0 with `number` set.
    """

    text: str
    level: int = 0
    number: str = ""

    @classmethod
    def parse(cls, line: str, level: int | None = None) -> Paragraph:
        """A line on its own; a heading when it starts with 一、 （一） 1. （1）, or when `level` says so."""
        number = heading_number(line) if level != 0 else ""
        if level is None:
            found = match_heading(line) if number else None
            level = found.level if found else 0
            number = number if found else ""
        return cls(line, min(max(level, 0), MAX_LEVEL), number)

    @classmethod
    def item(cls, line: str) -> Paragraph:
        """A numbered item: body text that keeps the number it starts with."""
        number = heading_number(line)
        return cls(line, 0, number if number and match_heading(line) else "")

    @property
    def is_item(self) -> bool:
        """Whether this paragraph is a numbered item: body text with a number (renumbered, not in the outline)."""
        return not self.level and bool(self.number)

    @property
    def number_level(self) -> int:
        """The level its number belongs to (1–4 for 一、 （一） 1. （1）), or 0 without a number."""
        if self.level or not self.number:
            return self.level
        found = match_heading(self.text)
        return found.level if found else 0

    @property
    def heading_split(self) -> tuple[str, str]:
        """A heading paragraph split into its heading part (number and first sentence) and a run-in body."""
        if not self.level:
            return "", self.text
        found = match_heading(self.text, self.level)
        stripped = self.text.rstrip()
        if found is None or not found.body or not stripped.endswith(found.body):
            return self.text, ""
        cut = len(stripped) - len(found.body)
        return self.text[:cut], self.text[cut:]


def parse_paragraphs(lines: Sequence[str], levels: Sequence[int | None] | None = None) -> list[Paragraph]:
    """Paragraphs from lines, numbered sentences as items (core.structure.classify); `levels` are headings a file gave.

    A line with a level from its file (an outline level, a heading style, a Markdown `##`) is a heading whatever
    its text. When that level is the one its own number gives, the rule sees it as the editor would, so a draft
    saved in any format reopens with the same items.
    """
    given = list(levels) if levels is not None else [None] * len(lines)
    seen = [None if lv and _own_level(line) == lv else lv for line, lv in zip(lines, given)]
    found = classify(lines, seen)
    out = []
    for line, level, heading in zip(lines, given, found):
        if level:
            out.append(Paragraph.parse(line, level))
        elif heading is not None:
            out.append(Paragraph.parse(line, heading.level))
        else:
            out.append(Paragraph.item(line))
    return out


def _own_level(line: str) -> int | None:
    found = match_heading(line) if heading_number(line) else None
    return found.level if found else None


def heading_number(line: str) -> str:
    """The heading number a line starts with, exactly as written (`（一）`, `1．`), or ""."""
    for _, pattern in HEADING_PATTERNS:
        found = pattern.match(line)
        if found:
            return found.group(0).rstrip()
    return ""


@dataclass
class Draft:
    """A report being written: its title and its paragraphs in order."""

    title: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str) -> Draft:
        """Parse the editor's text: the first line is the title, each further line one paragraph."""
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if not text:
            return cls()
        lines = text.removesuffix("\n").split("\n")
        return cls(lines[0], parse_paragraphs(lines[1:]))

    def to_text(self) -> str:
        """The editor's text: title line, then one line per paragraph, ending with a newline."""
        if not self.title and not self.paragraphs:
            return ""
        return "\n".join([self.title, *(p.text for p in self.paragraphs)]) + "\n"

    @property
    def headings(self) -> list[Paragraph]:
        """The outline: heading paragraphs in order."""
        return [p for p in self.paragraphs if p.level]


# Markdown form: `# title`, headings as `## 一、…` (## level 1 … ##### level 4), every paragraph on its own line
# with a blank line after it. An empty paragraph is written `&nbsp;`; a body line that would read as markup
# (starting with # or \, blank-looking, or literally &nbsp;) gets a leading backslash.
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]?(.*)$")
_MD_EMPTY = "&nbsp;"


def _md_escape(text: str) -> str:
    if not text:
        return _MD_EMPTY
    if text.startswith(("#", "\\")) or not text.strip() or text == _MD_EMPTY:
        return "\\" + text
    return text


def to_markdown(draft: Draft) -> str:
    """The draft as Markdown that `from_markdown` reads back exactly."""
    lines = [f"# {draft.title}" if draft.title else "#", ""]
    for paragraph in draft.paragraphs:
        if paragraph.level:
            lines.append(f"{'#' * (paragraph.level + 1)} {paragraph.text}")
        else:
            lines.append(_md_escape(paragraph.text))
        lines.append("")
    return "\n".join(lines)


def from_markdown(text: str) -> Draft:
    """A draft from Markdown: `#` title, `##`–`#####` headings, numbered lines as headings or items (as typed)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    title: str | None = None
    lines: list[str] = []
    levels: list[int | None] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        heading = _MD_HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and title is None and not lines:
            title = heading.group(2)
        elif heading:
            lines.append(heading.group(2))
            levels.append(min(len(heading.group(1)) - 1, MAX_LEVEL) or 1)
        elif title is None and not lines:
            title = _md_unescape(line)
        else:
            lines.append(_md_unescape(line))
            levels.append(None)
    return Draft(title or "", parse_paragraphs(lines, levels))


def _md_unescape(line: str) -> str:
    if line == _MD_EMPTY:
        return ""
    return line[1:] if line.startswith("\\") else line


class DraftError(Exception):
    """A draft file that cannot be opened or saved; the message says why, in Chinese, naming the file."""


class ChangedOnDiskError(DraftError):
    """The file was changed by another program since it was opened; saving would overwrite those changes."""


class LosesContentError(DraftError):
    """The file holds tables or pictures a draft cannot keep; saving over it would lose them."""


@dataclass(frozen=True)
class FileStamp:
    """A file as it was when opened or saved (mtime, size, content hash), to notice changes made since."""

    mtime_ns: int
    size: int
    sha256: str
    keeps_everything: bool = True

    @classmethod
    def of_bytes(cls, path: Path, data: bytes, keeps_everything: bool = True) -> FileStamp:
        """The stamp of a file whose content is `data`."""
        info = path.stat()
        return cls(info.st_mtime_ns, info.st_size, hashlib.sha256(data).hexdigest(), keeps_everything)

    def changed(self, path: Path) -> bool:
        """Whether the file now differs from this stamp (a touched but identical file counts as unchanged)."""
        try:
            info = path.stat()
        except FileNotFoundError:
            return False
        if (info.st_mtime_ns, info.st_size) == (self.mtime_ns, self.size):
            return False
        return info.st_size != self.size or hashlib.sha256(path.read_bytes()).hexdigest() != self.sha256


@dataclass
class OpenedDraft:
    """A draft read from a file: the draft, where it came from, the file's stamp, and notes for the user."""

    draft: Draft
    path: Path
    stamp: FileStamp
    notes: list[str] = field(default_factory=list)


FORMATS = {".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
MAX_BYTES = 64 * 1024 * 1024
_OTHER_FORMATS = {
    ".doc": "旧版 Word（.doc）格式暂不支持，请在 Word 中另存为 .docx",
    ".wps": "WPS 文字（.wps）格式暂不支持，请另存为 .docx",
    ".pdf": "PDF 不能用作草稿格式，请用 .docx、.txt 或 .md",
}
_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOENT: "所在文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
}


def draft_format(path: str | Path) -> str:
    """The draft format a file name stands for ("docx", "txt" or "md"), or DraftError in Chinese."""
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    reason = _OTHER_FORMATS.get(suffix, f"不支持“{suffix or '无扩展名'}”文件（草稿可用 .docx、.txt、.md）")
    raise DraftError(f"“{Path(path).name}”：{reason}")


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def load(path: str | Path) -> OpenedDraft:
    """Open a draft file (.docx, .txt in any common encoding, .md), or raise DraftError saying why."""
    path = Path(path)
    kind = draft_format(path)
    try:
        data = read_regular(path, MAX_BYTES)
    except FileTooLarge:
        raise DraftError(f"打开“{display(path.name)}”失败：文件过大（上限 {MAX_BYTES // 1048576} MB）") from None
    except NotRegularFile as exc:
        raise DraftError(f"打开“{display(path.name)}”失败：{exc}") from None
    except FileNotFoundError:
        raise DraftError(f"打开“{display(path.name)}”失败：文件不存在") from None
    except IsADirectoryError:
        raise DraftError(f"打开“{display(path.name)}”失败：这是一个文件夹") from None
    except PermissionError:
        raise DraftError(f"打开“{display(path.name)}”失败：没有读取权限") from None
    except OSError as exc:
        raise DraftError(f"打开“{display(path.name)}”失败：{os_reason(exc)}") from None
    draft, notes, lossy = _parse(path, kind, data)
    return OpenedDraft(draft, path, FileStamp.of_bytes(path, data, not lossy), notes)


def _parse(path: Path, kind: str, data: bytes) -> tuple[Draft, list[str], bool]:
    """The draft in a file's bytes, notes for the user, and whether the draft lost part of the file."""
    from bigan.core.decode import SourceError, decode_bytes

    if kind == "docx":
        # wordio builds on the model above, so it is imported here rather than at the top (and only for Word files).
        from bigan.core import wordio

        try:
            draft, notes = wordio.read_docx(data)
        except wordio.WordError as exc:
            raise DraftError(f"打开“{display(path.name)}”失败：{exc}") from None
        return draft, notes, bool(notes)
    if not data.strip():
        return Draft(), [], False
    try:
        text, encoding = decode_bytes(data)
    except SourceError as exc:
        raise DraftError(f"打开“{display(path.name)}”失败：{exc}") from None
    draft = from_markdown(text) if kind == "md" else Draft.from_text(text)
    notes = [] if encoding.startswith("utf-8") else [f"原文件是 {encoding.upper()} 编码，保存时将改用 UTF-8"]
    return draft, notes, False


def serialise(draft: Draft, kind: str, layout: PageLayout | None = None) -> bytes:
    """The bytes of a draft file of the given format (a .docx laid out on `layout`, GB/T 9704 by default)."""
    if kind == "docx":
        from bigan.core.wordio import write_docx

        return write_docx(draft, layout) if layout is not None else write_docx(draft)
    return (to_markdown(draft) if kind == "md" else draft.to_text()).encode("utf-8")


def save(
    draft: Draft,
    path: str | Path,
    expected: FileStamp | None = None,
    force: bool = False,
    layout: PageLayout | None = None,
) -> FileStamp:
    """Write a draft atomically; refuse to overwrite a file changed since `expected` unless `force`."""
    path = Path(path)
    kind = draft_format(path)
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise DraftError(f"不能保存到“{display(path.name)}”：{not_regular_reason(mode)}。请另选一个文件名。")
    if expected is not None and not force:
        if expected.changed(path):
            raise ChangedOnDiskError(
                f"“{display(path.name)}”在打开后已被其他程序修改，为免覆盖那些改动，这次没有保存。请另存为新文件，或确认覆盖。"
            )
        if not expected.keeps_everything and path.exists():
            raise LosesContentError(
                f"“{display(path.name)}”含有草稿无法保留的表格、图片等内容，直接保存会丢失它们，这次没有保存。"
                "请另存为新文件，或确认覆盖。"
            )
    data = serialise(draft, kind, layout)
    try:
        atomic.write_bytes(path, data)
        return FileStamp.of_bytes(path, data)
    except OSError as exc:
        raise DraftError(
            f"保存“{display(path.name)}”失败：{_os_reason(exc)}。原文件未改动，请处理后重试，或另存到其他位置。"
        ) from None
