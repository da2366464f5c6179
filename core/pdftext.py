"""The text layer of a PDF through pdfium (pypdfium2): visual lines per page, scanned and encrypted files told apart."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field

from bigan.core.pdflines import Line, Page, paragraphs

# pdfium is not thread-safe; the GUI's build worker and a parse in another thread must take turns.
_LOCK = threading.Lock()
_LINE = re.compile(r"[^\r\n]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A run of Latin letters, digits and the marks that stay with them: a line never breaks inside one.
_LEAD_WORD = re.compile(
    r"[“‘《（(\[]*(?:[A-Za-z0-9.,:;%+\-/·_@#&*]+|.)(?:[”’》）)\]，。、；：！？,.;:!?%]+[A-Za-z0-9.%]*)*"
)
_LOOKALIKE = re.compile(r"[\u2e80-\u2fdf\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]")
# Fewer visible characters than this on a page that has pictures: the page is a scan.
SCANNED_PAGE_CHARS = 20


class PdfError(Exception):
    """A PDF that cannot be imported; the message is the reason shown to the user."""


@dataclass
class PdfText:
    """The paragraphs of a PDF's text layer and notes for the user about what was left out."""

    paragraphs: list[str]
    notes: list[str] = field(default_factory=list)
    pages: int = 0


def _clean(text: str) -> str:
    # Many PDF fonts map 一, 人, 力 … to Kangxi radicals or compatibility ideographs that look the same.
    text = _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _CONTROL.sub("", text)


def _page_lines(page: object) -> tuple[list[Line], int]:
    """The visual lines of one page and the number of visible characters on it."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        text = textpage.get_text_range()
        lines = []
        for found in _LINE.finditer(text):
            raw = found.group()
            stripped = raw.strip()
            if not stripped:
                continue
            first = found.start() + (len(raw) - len(raw.lstrip()))
            last = found.start() + len(raw.rstrip()) - 1
            left, bottom, right0, top = textpage.get_charbox(first, loose=True)
            _, bottom1, right, top1 = textpage.get_charbox(last, loose=True)
            em = right0 - left if _CJK.match(stripped[0]) else 0.0
            word = _LEAD_WORD.match(stripped)
            lead = textpage.get_charbox(first + word.end() - 1, loose=True)[2] - left if word else 0.0
            lines.append(Line(_clean(stripped), left, right, min(bottom, bottom1), max(top, top1), em, lead))
        visible = sum(1 for c in text if not c.isspace())
        return lines, visible
    finally:
        textpage.close()


def _has_pictures(page: object) -> bool:
    import pypdfium2.raw as pdfium_c

    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):  # type: ignore[attr-defined]
        return True
    return False


def _ranges(numbers: list[int]) -> str:
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(f"{start}" if start == n else f"{start}–{n}")
            start = None
    return "、".join(parts)


def _open(data: bytes) -> object:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise PdfError("PDF 已加密，需要密码才能打开，无法导入（请用原文件，或去掉打开密码后再导入）") from None
        raise PdfError("PDF 文件已损坏或不完整，无法打开") from None


def read_pdf(data: bytes) -> PdfText:
    """Read a PDF's text into paragraphs, or raise PdfError saying why it cannot be imported."""
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise PdfError("不是有效的 PDF 文件（内容已损坏，或扩展名与内容不符）")
    with _LOCK:
        document = _open(data)
        try:
            count = len(document)  # type: ignore[arg-type]
            if count == 0:
                raise PdfError("PDF 里没有任何页面")
            pages: list[Page] = []
            scanned: list[int] = []
            for index in range(count):
                page = document[index]  # type: ignore[index]
                try:
                    lines, visible = _page_lines(page)
                    if visible < SCANNED_PAGE_CHARS and _has_pictures(page):
                        scanned.append(index + 1)
                    width, height = page.get_size()
                    pages.append(Page(lines, width, height))
                finally:
                    page.close()
        except PdfError:
            raise
        except Exception as exc:  # pdfium reports damage inside pages as generic errors
            raise PdfError(f"PDF 文件已损坏，读取页面时出错（{type(exc).__name__}）") from None
        finally:
            document.close()  # type: ignore[attr-defined]
    text_pages = [p for p in pages if p.lines]
    if not text_pages or sum(len(ln.text) for p in text_pages for ln in p.lines) < SCANNED_PAGE_CHARS:
        if scanned:
            raise PdfError("扫描版 PDF：只有图片，没有文字层，无法导入（需先用 OCR 软件识别成文字）")
        raise PdfError("PDF 里没有可提取的文字")
    found = paragraphs(pages)
    notes = []
    if scanned:
        notes.append(f"第 {_ranges(scanned)} 页是扫描图片，没有文字层，这些页未导入")
    return PdfText(found, notes, count)
