"""Reading source files (.txt, .md, .docx) into paragraphs, with encoding detection and clear failures."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core.docx_reader import DocxError, read_docx_content
from core.headings import match_heading
from core.models import Block, SourceText
from core.textnorm import cjk_count

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED = TEXT_SUFFIXES | DOCX_SUFFIXES
MAX_BYTES = 64 * 1024 * 1024

_UNSUPPORTED = {
    ".doc": "旧版 Word（.doc）格式暂不支持，请在 Word 中另存为 .docx 后再导入",
    ".wps": "WPS 文字（.wps）格式暂不支持，请另存为 .docx 后再导入",
    ".pdf": "PDF 暂不支持，请另存为 .docx 或 .txt 后再导入",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_MARKUP = re.compile(r"(\*\*|__|`)")
_MD_LIST = re.compile(r"^\s*(?:[-+]|>)\s+")
_SENTENCE_ENDS = ("。", "！", "？", "!", "?", "；", ";", "：", ":", "”", "…")


class SourceError(Exception):
    """A file that cannot be imported; the message is the reason shown to the user."""


def read_source(path: str | Path) -> SourceText:
    """Read one file into paragraphs, or raise SourceError with the reason in Chinese."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise SourceError(_UNSUPPORTED[suffix])
    if suffix not in SUPPORTED:
        raise SourceError(f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .txt、.md、.docx）")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"文件过大（{size / 1048576:.0f} MB，上限 {MAX_BYTES // 1048576} MB）")
        data = path.read_bytes()
    except SourceError:
        raise
    except IsADirectoryError:
        raise SourceError("这是一个文件夹，不是文件") from None
    except PermissionError:
        raise SourceError("没有读取权限") from None
    except FileNotFoundError:
        raise SourceError("文件不存在") from None
    except OSError as exc:
        raise SourceError(f"读取失败：{exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError("文件为空")
    checksum = hashlib.sha256(data).hexdigest()
    if suffix in DOCX_SUFFIXES:
        blocks = _docx_blocks(data)
        encoding = "docx"
    else:
        text, encoding = decode_bytes(data)
        blocks = _markdown_blocks(text) if suffix in {".md", ".markdown"} else _text_blocks(text)
    if not any(b.text.strip() for b in blocks):
        raise SourceError("文件里没有文字")
    return SourceText(str(path), blocks, encoding, checksum, len(data))


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    text = text[:65536]
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 1000):
        return False
    return cjk_count(text) > 0 or sum(c.isalpha() for c in text) > len(text) // 2


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


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes, detecting UTF-8 (BOM or not), UTF-16 and GB18030; raise SourceError otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data)]
    else:
        candidates = [("utf-8", data)]
    for codec, raw in candidates:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            break
        if _looks_like_text(text):
            return text, codec
        raise SourceError("内容不是文字（可能是二进制文件）")
    if b"\x00" in data[:4096]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16"
        raise SourceError("内容不是文字（可能是二进制文件）")
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text) and cjk_count(text) > 0:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is not None:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if _looks_like_text(text):
            return text, best.encoding
    raise SourceError("无法识别文字编码（不是 UTF-8、UTF-16 或 GBK/GB18030 文本）")


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


def collect_files(paths: list[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders recursively into importable files; return files and (path, reason) for rejects."""
    files: list[Path] = []
    rejects: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(p.startswith(".") for p in child.relative_to(path).parts):
                    continue
                if child.name.startswith("~$"):
                    continue
                suffix = child.suffix.lower()
                if suffix in SUPPORTED:
                    files.append(child)
                elif suffix in _UNSUPPORTED:
                    rejects.append((str(child), _UNSUPPORTED[suffix]))
        elif path.exists():
            files.append(path)
        else:
            rejects.append((str(path), "文件不存在"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, rejects
