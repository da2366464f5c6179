"""Reading source files (.txt, .md, .docx, .doc/.wps/.rtf/.odt, .pdf) into paragraphs, with clear failures."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from bigan.core.convert import OFFICE_SUFFIXES
from bigan.core.failures import os_reason
from bigan.core.fsnames import display
from bigan.core.headings import match_heading
from bigan.core.models import Block, SourceText
from bigan.core.regular import FileTooLarge, NotRegularFile, not_regular_reason, read_regular
from bigan.core.textnorm import cjk_count, has_cjk

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED = TEXT_SUFFIXES | DOCX_SUFFIXES | OFFICE_SUFFIXES | PDF_SUFFIXES
MAX_BYTES = 64 * 1024 * 1024
# Share of a text's characters that must be common Chinese characters, ASCII or punctuation to count as read right.
PLAUSIBLE = 0.8
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_MARKUP = re.compile(r"(\*\*|__|`)")
_MD_LIST = re.compile(r"^\s*(?:[-+]|>)\s+")
_SENTENCE_ENDS = ("。", "！", "？", "!", "?", "；", ";", "：", ":", "”", "…")


class SourceError(Exception):
    """A file that cannot be imported; the message is the reason shown to the user."""


def read_source(path: str | Path, converted: str | Path | None = None) -> SourceText:
    """Read one file into paragraphs, or raise SourceError with the reason in Chinese.

    For .doc/.wps/.rtf/.odt files `converted` may name the .docx LibreOffice already made of it; the file
    keeps its own path, checksum and size either way.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise SourceError(
            f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .txt、.md、.docx、.doc、.wps、.rtf、.odt、.pdf）"
        )
    try:
        data = read_regular(path, MAX_BYTES)
    except FileTooLarge as exc:
        raise SourceError(f"文件过大（{exc.size / 1048576:.0f} MB，上限 {MAX_BYTES // 1048576} MB）") from None
    except NotRegularFile as exc:
        raise SourceError(str(exc)) from None
    except IsADirectoryError:
        raise SourceError("这是一个文件夹，不是文件") from None
    except PermissionError:
        raise SourceError("没有读取权限") from None
    except FileNotFoundError:
        raise SourceError("文件不存在") from None
    except OSError as exc:
        raise SourceError(f"读取失败：{os_reason(exc)}") from None
    if not data.strip():
        raise SourceError("文件为空")
    checksum = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    if suffix in DOCX_SUFFIXES:
        blocks = _docx_blocks(data)
        encoding = "docx"
    elif suffix in OFFICE_SUFFIXES:
        blocks = _converted_blocks(path, converted)
        encoding = f"{suffix[1:]}→docx"
    elif suffix in PDF_SUFFIXES:
        blocks, notes = _pdf_blocks(data)
        encoding = "pdf"
    else:
        decoded = decode_text(data)
        encoding = decoded.encoding
        if decoded.replaced:
            notes.append(f"有 {decoded.replaced} 处无法识别的字节，已替换为 “\ufffd”")
        text, controls = _without_controls(decoded.text)
        if controls:
            notes.append(f"有 {controls} 个控制字符（如终端转义符 ESC），已删除")
        blocks = _markdown_blocks(text) if suffix in {".md", ".markdown"} else _text_blocks(text)
    if not any(b.text.strip() for b in blocks):
        raise SourceError("文件里没有文字")
    return SourceText(str(path), blocks, encoding, checksum, len(data), notes)


def _without_controls(text: str) -> tuple[str, int]:
    """Text without the control characters no document holds (a form feed becomes a line break); and how many."""
    text = text.replace("\x0c", "\n")
    cleaned = _CONTROL.sub("", text)
    return cleaned, len(text) - len(cleaned)


def _converted_blocks(path: Path, converted: str | Path | None) -> list[Block]:
    """The paragraphs of an old office file through the .docx LibreOffice makes of it."""
    if converted is None:
        from bigan.core.convert import convert_one

        outcome, docx = convert_one(path, MAX_BYTES)
        if outcome.docx is None:
            raise SourceError(outcome.reason)
    else:
        try:
            docx = Path(converted).read_bytes()
        except OSError as exc:
            raise SourceError(f"读取转换结果失败：{exc.strerror or exc}") from None
    try:
        blocks = _docx_blocks(docx)
    except SourceError as exc:
        raise SourceError(f"LibreOffice 转换出的文件无法读取（{exc}）") from None
    sample = "".join(b.text for b in blocks)[:65536]
    if sample.strip() and plausibility(sample) < 0.5:
        raise SourceError("内容无法识别：LibreOffice 读出来的是乱码（文件可能已损坏，或不是 Word/WPS 文档）")
    return blocks


def _pdf_blocks(data: bytes) -> tuple[list[Block], list[str]]:
    from bigan.core.pdftext import PdfError, read_pdf

    try:
        found = read_pdf(data)
    except PdfError as exc:
        raise SourceError(str(exc)) from None
    return [Block(p) for p in found.paragraphs], found.notes


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    text = text[:65536]
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 1000):
        return False
    return has_cjk(text) or sum(c.isalpha() for c in text) > len(text) // 2


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    # ASCII-heavy UTF-16 has zero bytes in one lane; Chinese UTF-16 rarely decodes cleanly in the wrong order.
    for codec, zero_lane in (("utf-16-le", odd_zero), ("utf-16-be", even_zero)):
        if zero_lane > 0.3 or len(data) % 2 == 0:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text) and cjk_count(text) > len(text) // 4:
                return text
    return None


@functools.lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The frequent Chinese characters: GB2312 level 1 (Simplified) and Big5's frequent set (Traditional)."""
    chars = set()
    for codec, leads, trails in (
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    ):
        for lead in leads:
            for trail in trails:
                with contextlib.suppress(UnicodeDecodeError):
                    chars.add(bytes((lead, trail)).decode(codec))
    return frozenset(chars)


def _plausible_char(char: str, common: frozenset[str]) -> bool:
    code = ord(char)
    return (
        0x20 <= code < 0x7F
        or char in common
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF01 <= code <= 0xFF5E  # full-width forms
        or 0x2010 <= code <= 0x2027  # dashes, quotes, ellipsis
        or char in "·×÷°±№※■□●○◆◇△▲√"
    )


def plausibility(text: str) -> float:
    """Share of the visible characters that a Chinese office text is made of (frequent 汉字, ASCII, punctuation)."""
    common = _common_han()
    visible = [c for c in text[:65536] if not c.isspace()]
    if not visible:
        return 0.0
    return sum(1 for c in visible if _plausible_char(c, common)) / len(visible)


@dataclass
class Decoded:
    """Text decoded from bytes, the codec used, and how many undecodable bytes were replaced by U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0


def _lenient(data: bytes, codec: str) -> Decoded | None:
    """Decode with replacement when only a few bytes are bad; None when too many are."""
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    replaced = text.count("\ufffd") - (data.count(b"\xef\xbf\xbd") if codec.startswith("utf-8") else 0)
    if replaced > max(4, len(text) // 100):
        return None
    return Decoded(text, codec, replaced)


def decode_text(data: bytes) -> Decoded:
    """Decode text bytes: UTF-8 (BOM or not), UTF-16, GB18030/GBK or Big5, chosen by which reads as real text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError("无法识别文字编码（UTF-16 文本已损坏）") from None
        if _looks_like_text(text):
            return Decoded(text, "utf-16")
        raise SourceError("内容不是文字（可能是二进制文件）")
    utf8 = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(utf8)
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return Decoded(text, utf8)
        raise SourceError("内容不是文字（可能是二进制文件）")
    if b"\x00" in data[:4096]:
        text16 = _utf16_without_bom(data)
        if text16 is not None:
            return Decoded(text16, "utf-16")
        raise SourceError("内容不是文字（可能是二进制文件）")
    candidates = []
    codecs = [utf8] if utf8 == "utf-8-sig" else [utf8, "gb18030", "cp950"]
    for codec in codecs:
        found = _lenient(data, codec)
        if found is None and codec == "cp950":
            found = _lenient(data, "big5hkscs")
        if found is not None and _looks_like_text(found.text):
            candidates.append((plausibility(found.text), -len(candidates), found))
    if candidates:
        score, _, best = max(candidates)
        if score >= PLAUSIBLE or (best.encoding.startswith("utf-8") and score >= 0.5):
            return best
    from charset_normalizer import from_bytes

    guess = from_bytes(data[: 1 << 20]).best()
    if guess is not None:
        try:
            text = data.decode(guess.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if _looks_like_text(text) and plausibility(text) >= PLAUSIBLE:
            return Decoded(text, guess.encoding)
    raise SourceError("无法识别文字编码（不是 UTF-8、UTF-16、GBK/GB18030 或 Big5 文本）")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes into (text, codec); raise SourceError when no encoding reads as text."""
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


def _text_blocks(text: str) -> list[Block]:
    return [Block(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _markdown_blocks(text: str) -> list[Block]:
    blocks = []
    for line in _text_blocks(text):
        heading = _MD_HEADING.match(line.text)
        if heading:
            depth, body = len(heading.group(1)), _MD_MARKUP.sub("", heading.group(2)).strip()
            blocks.append(Block(body, style_level=None if depth == 1 else min(depth - 1, 4), is_title=depth == 1))
        else:
            blocks.append(Block(_MD_MARKUP.sub("", _MD_LIST.sub("", line.text))))
    return blocks


def _docx_blocks(data: bytes) -> list[Block]:
    from bigan.core.docx_reader import DocxError, read_docx_content  # the Word reader only for Word files

    try:
        content = read_docx_content(data)
    except DocxError as exc:
        raise SourceError(str(exc)) from None
    blocks = []
    for paragraph in content.paragraphs:
        blocks.extend(_soft_break_blocks(paragraph.text, paragraph.level, paragraph.is_title))
    return blocks


def _soft_break_blocks(text: str, level: int | None, is_title: bool) -> list[Block]:
    """A paragraph with line breaks (Shift+Enter) as blocks: split only where a line ends a sentence or is, or
    starts, a numbered heading; elsewhere the break stays in the text and cleaning joins the lines."""
    lines = text.split("\n")
    groups = [lines[0]]
    for line in lines[1:]:
        before = groups[-1]
        heading_before = match_heading(before.strip())
        if (
            before.rstrip().endswith(_SENTENCE_ENDS)
            or (heading_before is not None and not heading_before.body)
            or match_heading(line.strip()) is not None
        ) and not is_title:
            groups.append(line)
        else:
            groups[-1] = f"{before}\n{line}"
    return [Block(g, style_level=level if i == 0 else None, is_title=is_title) for i, g in enumerate(groups)]


def _entry_reason(path: Path) -> str | None:
    """Why an entry of a folder with a supported name cannot be imported, or None for a regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "链接指向的文件不存在" if path.is_symlink() else "文件不存在"
    except OSError as exc:
        return f"无法访问：{os_reason(exc)}"
    return None if stat.S_ISREG(mode) else not_regular_reason(mode)


def _walk(folder: Path, files: list[Path], rejects: list[tuple[str, str]]) -> None:
    """The importable files under a folder; FIFOs, devices, sockets and unreadable sub-folders go to rejects."""

    def unreadable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else folder
        rejects.append((display(where), f"无法读取文件夹：{os_reason(exc)}，其中的文件未导入"))

    for top, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith((".", "~$")):
                continue
            child = Path(top) / name
            reason = _entry_reason(child)
            if reason is None:
                if child.suffix.lower() in SUPPORTED:
                    files.append(child)
            elif child.suffix.lower() in SUPPORTED or not reason.startswith(("链接", "文件不存在")):
                rejects.append((display(child), reason))


def collect_files(paths: list[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders recursively into importable regular files; return files and (path, reason) for rejects.

    Everything left out is named with its reason — pipes, devices and sockets, unreadable folders, missing paths —
    except folder entries of types that are not imported (pictures, spreadsheets …) and hidden files.
    """
    files: list[Path] = []
    rejects: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            rejects.append((display(path), "链接指向的文件不存在" if path.is_symlink() else "文件不存在"))
            continue
        except OSError as exc:
            rejects.append((display(path), f"无法访问：{os_reason(exc)}"))
            continue
        if stat.S_ISDIR(mode):
            found: list[Path] = []
            _walk(path, found, rejects)
            files.extend(sorted(found))
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            rejects.append((display(path), not_regular_reason(mode)))
    seen: set[Path] = set()
    unique = []
    for f in files:
        try:
            key = f.resolve()
        except (OSError, RuntimeError):
            key = f.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, rejects
