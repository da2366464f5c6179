"""Re-joining paragraphs a web page or a scraper broke apart: at inline links, subscripts and line wraps."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bigan.core.frame import is_related_label, is_salutation, title_like
from bigan.core.headings import TERMINAL, match_heading
from bigan.core.models import Block
from bigan.core.textnorm import has_cjk

# A line starting with one of these continues the line before it: nothing else can open a paragraph with them.
CONTINUES = "，。、；：？！）》」』”’%‰…,;:!?)]"
# A line ending with one of these stops mid-clause (an opening bracket or quote, a list comma, a dash).
_OPENS = "《“（(「『‘、，—"
# A line ending with one of these function words stops mid-phrase (发展的 / 主要预期目标 / 是：…).
_DANGLING = "的和与及或对把被从向在将以并之于"
# A line holding only an ordinal (一是, 二要, 第三, 首先, （一）, 1.): its text was set apart, e.g. in bold.
_LONE_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[是要]|第[一二三四五六七八九十]{1,3}|首先|其次|再次|最后|"
    r"[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])$"
)
# In a file whose paragraphs are set apart by blank lines, a paragraph goes on to the next line.
BLANK_SEPARATED = 0.5
# Where page furniture was taken out (core.clean): a break between paragraphs, not a blank line of the text.
DROPPED = "dropped"
# A line holding only invisible characters (a zero-width space): where a page's inline element split a sentence.
INLINE = "inline"
# A file is hard-wrapped (a PDF's text, an e-mail) when this share of its long lines has about the same length.
WRAPPED_SHARE = 0.4
MIN_WRAP = 20
# Units that follow a figure: a line starting with one continues a line ending in a digit (168 / 万户).
_UNITS = "万亿千百个人元次项家户台套件吨亩里米天年月日％%倍块座所条"
# A quoted term alone on a line (“两重”): a link or bold term taken out of its sentence.
_QUOTED_TERM = re.compile(r"^[“\"「『][^”\"」』。！？]{1,15}[”\"」』]$")
_LATIN_END = re.compile(r"[A-Za-z0-9.]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")
LONG_LINE = 40
SENTENCE_LINE = 20
_ANY_MARK = re.compile(r"[，,、；;。：:]")
LINK_TEXT = 15
_CLAUSE = re.compile(r"[，,、；;]")
_RUN_IN = re.compile(r"[。！？!?]")


@dataclass
class _Paragraph:
    parts: list[str]
    block: Block
    numbered: bool  # a heading standing alone (一、工作回顾), not a run-in one that goes on with its body
    open: bool = False
    truncated: bool = False

    @property
    def last(self) -> str:
        return self.parts[-1][-1:]


def is_lone_marker(text: str) -> bool:
    """Whether a line holds only an ordinal (一是, 第三, （一）), its text set apart on the next line."""
    return _LONE_MARKER.match(text) is not None


def _numbered(text: str) -> bool:
    return match_heading(text[:80]) is not None


def _in_sentence(prev: _Paragraph) -> bool:
    """Whether an unfinished paragraph is body text rather than a heading, a title or a salutation."""
    text = "".join(prev.parts)
    return not (prev.numbered or title_like(text) or is_salutation(text) or is_related_label(text))


@dataclass(frozen=True)
class _Layout:
    """What the whole file says about its line breaks."""

    blank_style: bool
    wrap: int  # the width hard-wrapped lines share, 0 when the file is not hard-wrapped


def _layout(blocks: list[Block]) -> _Layout:
    filled = [i for i, b in enumerate(blocks) if b.text or b.role == DROPPED]
    blank = [i + 1 < len(blocks) and not blocks[i + 1].text and blocks[i + 1].role != DROPPED for i in filled]
    blank_style = bool(filled) and sum(blank) >= BLANK_SEPARATED * len(filled)
    lengths = Counter(len(b.text) for b in blocks if len(b.text) >= MIN_WRAP)
    wrap = 0
    if lengths:
        width = max(lengths, key=lambda n: (sum(lengths[m] for m in range(n - 2, n + 1)), n))
        at_width = [b.text for b in blocks if width - 2 <= len(b.text) <= width]
        open_ends = sum(t[-1] not in TERMINAL for t in at_width)
        # Hard-wrapped lines share a width and mostly stop mid-sentence.
        if len(at_width) >= max(5, WRAPPED_SHARE * sum(lengths.values())) and open_ends * 2 >= len(at_width):
            wrap = width
    return _Layout(blank_style, wrap)


def _sentence_like(prev: _Paragraph) -> bool:
    """Whether a paragraph so far reads as running text (long, or punctuated), not as a menu item or a label."""
    text = prev.parts[0]
    return has_cjk(text) and (len(text) >= SENTENCE_LINE or _ANY_MARK.search(text) is not None)


def _joins(prev: _Paragraph, block: Block, gap: str, layout: _Layout, after: str) -> bool:
    """Whether block continues prev; gap is "" (next line), "dropped" (furniture between), "inline" (an
    invisible line between) or "blank";
    after is the text of the line after block."""
    text = block.text
    if block.is_title or prev.block.is_title or block.style_level or prev.block.style_level:
        return False
    if gap == INLINE and prev.last not in TERMINAL and not prev.numbered:
        return True
    if text[0] in CONTINUES or (len(prev.parts) == 1 and _LONE_MARKER.match(prev.parts[0])):
        return True
    if text[0] == "的" and text[1:2] != "确" and prev.last not in TERMINAL.replace("”", ""):
        return True
    if prev.last.isdigit() and text[0] in _UNITS and not gap:
        return True
    if _QUOTED_TERM.match(text) and not gap and prev.last not in TERMINAL and _in_sentence(prev):
        return True
    ended = prev.last in TERMINAL and not prev.open
    if _numbered(text) or (ended and not (layout.blank_style and prev.last in "：:" and not gap)):
        return False
    if prev.last in _OPENS:
        return True
    if layout.wrap and gap != "blank" and len(prev.parts[-1]) >= layout.wrap - 3 and not prev.numbered:
        return True
    clause = _CLAUSE.search(prev.parts[-1]) is not None and _in_sentence(prev)
    # Furniture taken out of a sentence (a page number at a page break) leaves the sentence to join.
    if gap == "dropped" and clause and not title_like(text):
        return True
    clause = clause or (_ANY_MARK.search(prev.parts[-1]) is not None and _in_sentence(prev))
    if not gap:
        if prev.last in _DANGLING and not prev.numbered:
            return True
        # A clause, a short term on its own line, then punctuation: the term was a link in the sentence.
        if clause and len(text) <= LINK_TEXT and not _CLAUSE.search(text) and after[:1] in CONTINUES:
            return True
        if _LATIN_END.search(prev.parts[-1]) and _LATIN_START.match(text):
            return True
        if prev.open:
            return True
        if layout.blank_style and _in_sentence(prev) and _sentence_like(prev) and not is_salutation(text):
            return True
    # A body line that stops mid-sentence (long, or with a finished sentence before the break) was wrapped by
    # the page; one cut off by a lost byte stays cut.
    if prev.numbered or prev.truncated or (gap == "blank" and layout.blank_style) or not has_cjk(prev.parts[0]):
        return False
    return sum(len(p) for p in prev.parts) > LONG_LINE or any(_RUN_IN.search(p) for p in prev.parts)


def rejoin_fragments(blocks: list[Block]) -> list[Block]:
    """Join each paragraph with the lines that continue it; blank lines stay where nothing was joined.

    Linear in the text's length: pieces are collected and joined once, and a paragraph's numbering is read
    from its first line only.
    """
    layout = _layout(blocks)
    out: list[Block | _Paragraph] = []
    current: _Paragraph | None = None
    pending: list[Block] = []
    following = [""] * len(blocks)
    upcoming = ""
    for i in range(len(blocks) - 1, -1, -1):
        following[i] = upcoming
        if blocks[i].text:
            upcoming = blocks[i].text
    for i, block in enumerate(blocks):
        if not block.text:
            pending.append(block)
            continue
        roles = {b.role for b in pending}
        gap = "blank" if roles - {DROPPED, INLINE} else (DROPPED if DROPPED in roles else INLINE if roles else "")
        if current is not None and _joins(current, block, gap, layout, following[i]):
            current.parts.append(block.text)
            current.truncated = current.truncated or block.truncated
            current.open = current.last not in TERMINAL or bool(_QUOTED_TERM.match(block.text))
            pending = []
            continue
        out.extend(b for b in pending if b.role not in (DROPPED, INLINE))
        pending = []
        bare_heading = _numbered(block.text) and not _RUN_IN.search(block.text)
        current = _Paragraph([block.text], block, bare_heading, truncated=block.truncated)
        out.append(current)
    out.extend(b for b in pending if b.role not in (DROPPED, INLINE))
    result: list[Block] = []
    for item in out:
        if isinstance(item, Block):
            result.append(item)
        elif len(item.parts) == 1:
            result.append(item.block)
        else:
            b = item.block
            result.append(Block("".join(item.parts), b.style_level, b.is_title, item.truncated))
    return result
