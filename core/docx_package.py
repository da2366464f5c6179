"""Opening a .docx package for reading: size limits checked before inflating, XML parsed safely and in pieces."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bigan.core.ooxml import W

MAX_PART = 200 * 1024 * 1024
MAX_TOTAL = 400 * 1024 * 1024
MAX_PARTS = 10_000
MAX_ELEMENTS = 1_000_000
_CHUNK = 256 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFF = {"0", "false", "off"}

ENCRYPTED = "文件设置了打开密码（已加密），或其实是旧版 .doc 文件；请在 Word 中取消密码或另存为 .docx 后再打开"
NOT_WORD = "不是有效的 Word 文件（内容损坏，或扩展名与内容不符）"
NO_BODY = "不是有效的 Word 文件（缺少正文部分）"
STRICT = "无法识别的 Word 文件格式（可能是“严格 Open XML”格式），请在 Word 中另存为普通 .docx"
STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_BODY, _TABLE, _ROW = (f"{{{W}}}{name}" for name in ("body", "tbl", "tr"))
_HOSTILE = "可能已损坏或是恶意文件"


class DocxError(Exception):
    """A .docx that cannot be read; the message says why, in Chinese."""


def w(name: str) -> str:
    """The qualified tag or attribute name of a WordprocessingML name."""
    return f"{{{W}}}{name}"


def val(element: ET.Element | None) -> str | None:
    """The w:val of an element, or None when the element is absent."""
    return None if element is None else element.get(w("val"))


def on(element: ET.Element | None) -> bool:
    """Whether a toggle property (w:vanish, w:isLgl …) is present and not switched off."""
    return element is not None and (val(element) or "1").lower() not in _OFF


def integer(value: str | None) -> int | None:
    """A non-negative integer attribute, or None when absent or not a number."""
    return int(value) if value is not None and value.isdigit() else None


class SafeBuilder(ET.TreeBuilder):
    """An element tree builder that refuses document type declarations (Word never writes one, and refusing them
    rules out entity expansion bombs and external entities) and more than MAX_ELEMENTS elements held at once."""

    def __init__(self) -> None:
        super().__init__()
        self.held = 0

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise DocxError(f"Word 文件中含有不允许的文档类型声明（{_HOSTILE}），无法打开")

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self.held += 1
        if self.held > MAX_ELEMENTS:
            self.too_large()
        return super().start(tag, attrs)

    def too_large(self) -> None:
        """Refuse a part that would hold too many elements at once."""
        raise DocxError(f"Word 文件中有一处内容过于庞大（超过 {MAX_ELEMENTS // 10000} 万个元素），{_HOSTILE}")


class BodyBuilder(SafeBuilder):
    """Builds document.xml a piece at a time: each finished body block goes to `on_block`, each finished row of a
    body-level table to `on_row` (so a long table is never held whole), and is then let go."""

    def __init__(self, on_block: Callable[[ET.Element], None], on_row: Callable[[ET.Element], None]) -> None:
        super().__init__()
        self._on_block = on_block
        self._on_row = on_row
        self._open: list[ET.Element] = []
        self.root_tag = ""
        self.saw_body = False

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self.held += 1
        if self.held > MAX_ELEMENTS:
            self.too_large()
        element = ET.TreeBuilder.start(self, tag, attrs)
        self._open.append(element)
        if len(self._open) == 1:
            self.root_tag = tag
        elif len(self._open) == 2 and tag == _BODY:
            self.saw_body = True
        return element

    def end(self, tag: str) -> ET.Element:
        element = super().end(tag)
        self._open.pop()
        depth = len(self._open)
        if depth >= 2 and self._open[1].tag == _BODY:
            if depth == 2:
                self._on_block(element)
            elif depth == 3 and tag == _ROW and self._open[2].tag == _TABLE:
                self._on_row(element)
            else:
                return element
            self._open[-1].remove(element)
            self.held = len(self._open)
        return element

    def missing_body_reason(self) -> str:
        """Why a document part without a body cannot be read."""
        word_like = self.root_tag.rsplit("}", 1)[-1] == "document" or self.root_tag.startswith(f"{{{STRICT_NS}}}")
        return STRICT if word_like else NO_BODY


def open_package(data: bytes) -> zipfile.ZipFile:
    """The zip inside a .docx's bytes, after checking what it claims to hold; DocxError if it cannot be opened."""
    if data.startswith(_OLE_MAGIC):
        raise DocxError(ENCRYPTED)
    if not data.startswith(b"PK"):
        raise DocxError(NOT_WORD)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DocxError("Word 文件已损坏（压缩包不完整），无法打开") from None
    check_limits(package)
    return package


def check_limits(package: zipfile.ZipFile, kind: str = "Word 文件") -> None:
    """Refuse, before inflating anything, packages with too many parts or claiming too much space (kind names the
    file in the message: a .docx is a Word 文件, an .odt or .docm a 文档)."""
    infos = package.infolist()
    if len(infos) > MAX_PARTS:
        raise DocxError(f"{kind}内部的部件过多（{len(infos)} 个，上限 {MAX_PARTS} 个），{_HOSTILE}")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocxError(ENCRYPTED if kind == "Word 文件" else f"{kind}设置了打开密码（已加密）")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DocxError(f"{kind}使用了不支持的压缩方式，可能已损坏")
        if info.file_size > MAX_PART:
            raise DocxError(
                f"{kind}解压后过大（其中“{info.filename}”有 {info.file_size / 1048576:.0f} MB，"
                f"单个部件上限 {MAX_PART // 1048576} MB），{_HOSTILE}"
            )
        total += info.file_size
    if total > MAX_TOTAL:
        raise DocxError(f"{kind}解压后过大（共 {total / 1048576:.0f} MB，上限 {MAX_TOTAL // 1048576} MB），{_HOSTILE}")


def parse_part(package: zipfile.ZipFile, name: str, builder: SafeBuilder | None = None) -> ET.Element | None:
    """Parse one part in pieces as it inflates (the part's bytes are never held whole); None if absent.

    zipfile stops inflating at the size the directory claims, so a part cannot grow past the checked limits."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    parser = ET.XMLParser(target=builder or SafeBuilder())
    with package.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            parser.feed(chunk)
    return parser.close()


def related(package: zipfile.ZipFile, source: str, kind: str, default: str) -> str:
    """The part a relationship of `kind` from `source` points to (Office may name it document2.xml)."""
    folder, _, name = source.rpartition("/")
    rels = parse_part(package, f"{folder}/_rels/{name}.rels".lstrip("/"))
    for rel in rels.iter() if rels is not None else ():
        if (rel.get("Type") or "").endswith(f"/{kind}") and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
    return default


@contextmanager
def damage_as_docx_error() -> Iterator[None]:
    """Turn what a broken package raises while being read (bad CRC, bad XML, bad deflate …) into DocxError."""
    try:
        yield
    except DocxError:
        raise
    except RecursionError:
        raise DocxError("Word 文件已损坏，无法解析（结构嵌套过深）") from None
    except RuntimeError as exc:
        if "encrypted" in str(exc):
            raise DocxError(ENCRYPTED) from None
        raise DocxError(f"Word 文件已损坏，无法解析（{type(exc).__name__}）") from None
    except (zipfile.BadZipFile, ET.ParseError, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise DocxError(f"Word 文件已损坏，无法解析（{type(exc).__name__}）") from None
