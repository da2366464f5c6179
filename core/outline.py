"""The draft's outline: headings found in the editor text, renumbering, and moving a heading's block."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from bigan.core.headings import HEADING_PATTERNS, HeadingMatch, match_heading, numbered_items

MAX_LEVEL = 4
_CN_DIGITS = "零一二三四五六七八九"
# A heading line can only start with one of these (after indentation), which rules out most lines at once.
_STARTS = frozenset("一二三四五六七八九十（(0123456789")
_INDENT = " \t\u3000"
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Heading:
    """A heading line of the draft: its line number (from 0), level 1–4, number as written and text."""

    line: int
    level: int
    number: str
    text: str

    @property
    def label(self) -> str:
        """Number and text, as the outline shows it."""
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class _LineHeading:
    level: int
    number: str
    text: str
    numeral: tuple[int, int]
    match: HeadingMatch


@dataclass(frozen=True)
class NumberEdit:
    """Replace characters start:end of one line (the numeral of its heading number) with text."""

    line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Moved:
    """The draft's lines after a move, and the line where the moved heading now stands."""

    lines: list[str]
    line: int


def _read_line(line: str) -> _LineHeading | None:
    stripped = line.lstrip(_INDENT)
    if not stripped or stripped[0] not in _STARTS:
        return None
    found = match_heading(stripped.rstrip())
    if found is None:
        return None
    number = HEADING_PATTERNS[found.level - 1][1].match(stripped)
    if number is None:
        return None
    indent = len(line) - len(stripped)
    start, end = number.span(1)
    return _LineHeading(found.level, number.group(0).strip(), found.text, (indent + start, indent + end), found)


class OutlineParser:
    """Finds the headings of a draft; remembers every line it has read, so re-parsing after an edit is cheap.

    A numbered line is read on its own (`read_line`); whether it is a heading or a numbered item
    (`1.项目储备不足，大项目、好项目偏少。`) depends on the lines around it, so `parse_lines` decides that in a
    pass over the numbered lines only, and keeps the item lines of its last parse in `item_lines`.
    """

    def __init__(self) -> None:
        self._seen: dict[str, _LineHeading | None] = {}
        self.item_lines: frozenset[int] = frozenset()
        self._last_view: tuple[tuple[int, str], ...] = ()
        self._last_items: frozenset[int] = frozenset()

    def read_line(self, line: str) -> _LineHeading | None:
        """The heading number and text a single line holds, or None (a numbered item reads as one too)."""
        if not line or line.lstrip(_INDENT)[:1] not in _STARTS:
            return None
        try:
            return self._seen[line]
        except KeyError:
            pass
        if len(self._seen) > _CACHE_LIMIT:
            self._seen.clear()
        found = self._seen[line] = _read_line(line)
        return found

    def numbered_lines(self, lines: list[str]) -> list[tuple[int, _LineHeading]]:
        """Every line that starts with a heading number, headings and items alike, with what it holds."""
        read = self.read_line
        return [(n, found) for n, line in enumerate(lines) if (found := read(line)) is not None]

    def parse_lines(self, lines: list[str]) -> list[Heading]:
        """The headings among the given lines, in order (numbered items left out)."""
        numbered = self.numbered_lines(lines)
        view = _compact_view(lines, numbered)
        if view != self._last_view:
            found = {n: f.match for n, f in numbered}
            self._last_view, self._last_items = view, _item_lines(view, found)
        self.item_lines = self._last_items
        return [Heading(n, f.level, f.number, f.text) for n, f in numbered if n not in self.item_lines]

    def parse(self, text: str) -> list[Heading]:
        """The headings of a whole draft, in order."""
        return self.parse_lines(text.split("\n"))


def _compact_view(lines: list[str], numbered: list[tuple[int, _LineHeading]]) -> tuple[tuple[int, str], ...]:
    """What the item rule looks at: each numbered line, and a stand-in (-1, "") where body text follows it.

    The rule only reads each numbered line and the next non-empty line, so the cost follows the number of
    numbered lines, not the length of the draft; typing in a body line leaves the view, and the answer, as it was.
    """
    view: list[tuple[int, str]] = []
    ends = [n for n, _ in numbered[1:]] + [len(lines)]
    for (n, _), end in zip(numbered, ends):
        view.append((n, lines[n]))
        j = n + 1
        while j < end and not lines[j].strip():
            j += 1
        if j < end:
            view.append(_BODY_LINE)
    return tuple(view)


_BODY = "正文"
_BODY_LINE = (-1, "")


def _item_lines(view: tuple[tuple[int, str], ...], matches: dict[int, HeadingMatch]) -> frozenset[int]:
    """The line numbers of the numbered items in a compact view, by core.structure.numbered_items."""
    texts = [text if n >= 0 else _BODY for n, text in view]
    found = [matches[n] if n >= 0 else None for n, _ in view]
    return frozenset(view[i][0] for i in numbered_items(texts, found))


def parse(text: str) -> list[Heading]:
    """The headings of a draft: lines starting with 一、 （一） 1. （1） (after any indentation), items left out."""
    return OutlineParser().parse(text)


def heading_at(headings: list[Heading], line: int) -> int | None:
    """Index of the heading whose section holds the given line, or None before the first heading."""
    index = bisect_right([h.line for h in headings], line) - 1
    return index if index >= 0 else None


def block_end(headings: list[Heading], index: int, line_count: int) -> int:
    """The line after the block of headings[index]: its body and sub-headings, up to a heading as high or higher."""
    level = headings[index].level
    for later in headings[index + 1 :]:
        if later.level <= level:
            return later.line
    return line_count


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (the numbers of 一、 and （一） headings)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def renumber_edits(lines: list[str], parser: OutlineParser | None = None) -> list[NumberEdit]:
    """The edits that number each level 1, 2, 3… restarting under each parent, keeping each number's style.

    Numbered items count with the headings of their level: `1.` `2.` items under 二、 are renumbered there too.
    """
    parser = parser or OutlineParser()
    counters = [0] * (MAX_LEVEL + 1)
    edits = []
    for number, found in parser.numbered_lines(lines):
        line = lines[number]
        counters[found.level] += 1
        for deeper in range(found.level + 1, MAX_LEVEL + 1):
            counters[deeper] = 0
        count = counters[found.level]
        wanted = chinese_numeral(count) if found.level <= 2 else str(count)
        start, end = found.numeral
        if line[start:end] != wanted:
            edits.append(NumberEdit(number, start, end, wanted))
    return edits


def apply_edits(lines: list[str], edits: list[NumberEdit]) -> list[str]:
    """The lines with number edits applied."""
    out = list(lines)
    for edit in sorted(edits, key=lambda e: (e.line, -e.start)):
        line = out[edit.line]
        out[edit.line] = line[: edit.start] + edit.text + line[edit.end :]
    return out


def renumber(text: str) -> str:
    """The draft with every heading renumbered in order (一、二、… （一）（二）… 1. 2. … （1）（2）…)."""
    lines = text.split("\n")
    return "\n".join(apply_edits(lines, renumber_edits(lines)))


def move_to_line(lines: list[str], source: int, dest: int, parser: OutlineParser | None = None) -> Moved:
    """Move the block of the heading on line `source` so that it starts before line `dest` (0…len(lines))."""
    parser = parser or OutlineParser()
    headings = parser.parse_lines(lines)
    index = next((i for i, h in enumerate(headings) if h.line == source), None)
    if index is None:
        raise ValueError(f"line {source} is not a heading")
    if not 0 <= dest <= len(lines):
        raise ValueError(f"line {dest} is outside the draft")
    end = block_end(headings, index, len(lines))
    if source < dest < end:
        raise ValueError("a block cannot move into itself")
    block = lines[source:end]
    rest = lines[:source] + lines[end:]
    at = dest if dest <= source else dest - len(block)
    return Moved(rest[:at] + block + rest[at:], at)


def move_block(lines: list[str], source: int, target: int, after: bool = False) -> Moved:
    """Move the block of the heading on line `source` before (or after) the block of the heading on line `target`."""
    parser = OutlineParser()
    headings = parser.parse_lines(lines)
    index = next((i for i, h in enumerate(headings) if h.line == target), None)
    if index is None:
        raise ValueError(f"line {target} is not a heading")
    dest = block_end(headings, index, len(lines)) if after else target
    return move_to_line(lines, source, dest, parser)


def can_move(lines: list[str], source: int, dest: int) -> bool:
    """Whether move_to_line would accept the move and change the draft."""
    try:
        moved = move_to_line(lines, source, dest)
    except ValueError:
        return False
    return moved.lines != lines


def draft_from_outline(title: str, outline: list[tuple[int, str]]) -> str:
    """A new draft: the title, then each heading followed by an empty line for its body."""
    lines = [title.strip(), ""] if title.strip() else []
    for _, heading in outline:
        lines += [heading.strip(), ""]
    return "\n".join(lines)


def sibling(headings: list[Heading], index: int, step: int) -> int | None:
    """Index of the previous (step -1) or next (step 1) heading of the same level under the same parent."""
    level = headings[index].level
    at = index + step
    while 0 <= at < len(headings):
        if headings[at].level < level:
            return None
        if headings[at].level == level:
            return at
        at += step
    return None
