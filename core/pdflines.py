"""PDF visual lines back into paragraphs: margins, indents, short lines, headings, page numbers and running heads."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from bigan.core.headings import match_heading

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―~～·•\s]*\d{1,4}[-—–－―~～·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$"
)
_FINAL = "。！？!?；;：:…”’」』）)"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"\d+")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9,.;:%)]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(]")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百零〇\d]{1,4}[章节条部分篇]")


def _starts_heading(text: str) -> bool:
    return match_heading(text) is not None or _CHAPTER.match(text) is not None


@dataclass
class Line:
    """One visual line of a PDF page: its box (y grows upwards), a character's width, its first word's width."""

    text: str
    left: float
    right: float
    bottom: float
    top: float
    em: float = 0.0
    lead: float = 0.0


@dataclass
class Page:
    """The lines of one page in reading order, and the page's size."""

    lines: list[Line]
    width: float
    height: float


@dataclass
class _Layout:
    """What a page's full body line looks like: where lines start and end, a character's width, line pitch."""

    left: float
    right: float
    em: float
    pitch: float
    ragged: bool = False


def _layout(lines: list[Line], fallback: _Layout | None) -> _Layout:
    if len(lines) < 4 and fallback is not None:
        return fallback
    ems = [ln.em for ln in lines if ln.em > 0]
    em = statistics.median(ems) if ems else 10.0
    lefts = sorted(round(ln.left) for ln in lines)
    # The body's left edge is the most common start among the leftmost ones (indents and centred lines sit right of it).
    near = [x for x in lefts if x <= lefts[0] + 3 * em]
    left = Counter(near).most_common(1)[0][0]
    rights = sorted(ln.right for ln in lines)
    right = rights[int(len(rights) * 0.9) - 1 if len(rights) >= 10 else -1]
    gaps = [a.bottom - b.bottom for a, b in itertools.pairwise(lines) if 0 < a.bottom - b.bottom < 4 * em]
    pitch = statistics.median(gaps) if gaps else 1.5 * em
    full = sum(1 for ln in lines if ln.right >= right - 0.5 * em)
    return _Layout(float(left), right, em, pitch, ragged=full < 0.5 * len(lines))


def _same_row(a: Line, b: Line) -> bool:
    """Whether b continues a on the same visual line (pdfium splits a line where fonts or baselines change)."""
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    height = min(a.top - a.bottom, b.top - b.bottom)
    em = a.em or b.em or height
    return height > 0 and overlap > 0.4 * height and a.right - 0.5 * em <= b.left <= a.right + 3 * em


def merge_fragments(lines: list[Line]) -> list[Line]:
    """Join the pieces of one visual line that the text layer gave as separate lines."""
    merged: list[Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if prev is None or not _same_row(prev, line):
            merged.append(line)
            continue
        lead = prev.lead if prev.lead < prev.right - prev.left - 0.1 else line.left + line.lead - prev.left
        merged[-1] = Line(
            prev.text + line.text,
            prev.left,
            line.right,
            min(prev.bottom, line.bottom),
            max(prev.top, line.top),
            prev.em or line.em,
            lead,
        )
    return merged


def _key(text: str) -> str:
    return _DIGITS.sub("#", text.replace(" ", ""))


def _strip_furniture(pages: list[Page]) -> list[list[Line]]:
    """Each page's lines without page numbers and running headers or footers (repeated at one edge)."""
    seen: Counter[tuple[int, str]] = Counter()
    for page in pages:
        edges = {(k, _key(page.lines[k].text)) for k in (0, 1, -1, -2) if -len(page.lines) <= k < len(page.lines)}
        seen.update(edges)
    needed = max(3, len(pages) * 0.4)
    repeated = {e for e, n in seen.items() if len(pages) >= 3 and n >= needed and len(e[1]) < 60}
    kept = []
    for page in pages:
        lines = list(page.lines)
        for end, position in ((0, 0), (-1, -1), (0, 1), (-1, -2)):
            if not lines:
                break
            text = lines[end].text.strip()
            if _PAGE_NUMBER.match(text) or (position, _key(text)) in repeated:
                lines.pop(end)
        kept.append(lines)
    return kept


def _centred(line: Line, layout: _Layout) -> bool:
    inset_left = line.left - layout.left
    inset_right = layout.right - line.right
    return inset_left > 2.5 * layout.em and abs(inset_left - inset_right) < 2 * layout.em


def _breaks_after(line: Line, nxt: Line, here: _Layout, there: _Layout, same_page: bool) -> bool:
    """Whether a paragraph ends after `line`, given the line that follows it."""
    text, following = line.text.rstrip(), nxt.text.lstrip()
    if _starts_heading(following) and (text[-1:] in _FINAL or _starts_heading(text)):
        return True
    if nxt.left > there.left + 1.2 * there.em and not _centred(nxt, there):
        return True  # the next line is indented: a new paragraph begins
    if same_page and line.bottom - nxt.bottom > 1.6 * here.pitch:
        return True  # a blank gap between the lines
    if _centred(line, here):
        # A centred title may run over two centred lines; anything else after it is a new paragraph.
        return not (_centred(nxt, there) and text[-1:] not in _FINAL)
    # A line is short when the next line's first unbreakable word would have fitted after it.
    room = here.right - line.right - nxt.lead
    if room < 0.5 * here.em:
        return False
    # Ragged-right text leaves short lines inside paragraphs: there only a clear gap or an ending counts.
    return not here.ragged or text[-1:] in _FINAL or room > 4 * here.em


def _join(text: str, following: str) -> str:
    if _ASCII_WORD_END.search(text) and _ASCII_WORD_START.search(following):
        return f"{text} {following}"
    return text + following


def paragraphs(pages: list[Page]) -> list[str]:
    """The paragraphs of a document from its pages' visual lines."""
    bodies = _strip_furniture([Page(merge_fragments(p.lines), p.width, p.height) for p in pages])
    layouts: list[_Layout] = []
    whole = [ln for lines in bodies for ln in lines]
    fallback = _layout(whole, None) if whole else None
    for lines in bodies:
        layouts.append(_layout(lines, fallback) if lines else fallback)  # type: ignore[arg-type]
    flat = [(ln, layouts[n], n) for n, lines in enumerate(bodies) for ln in lines if ln.text.strip()]
    result: list[str] = []
    current = ""
    for i, (line, layout, page) in enumerate(flat):
        current = _join(current, line.text.strip()) if current else line.text.strip()
        if i + 1 == len(flat):
            break
        nxt, nxt_layout, nxt_page = flat[i + 1]
        if _breaks_after(line, nxt, layout, nxt_layout, page == nxt_page):
            result.append(current)
            current = ""
    if current:
        result.append(current)
    return result
