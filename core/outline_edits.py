"""Structural edits of a draft as lines: moving a section without stray blank lines, promoting or demoting one."""

from __future__ import annotations

from core.headings import HEADING_PATTERNS
from core.numbering import format_number, number_value
from core.outline import MAX_LEVEL, Moved, OutlineParser, apply_edits, block_end, renumber_edits

_INDENT = " \t\u3000"


def _blank(line: str) -> bool:
    return not line.strip()


def _trailing_blanks(lines: list[str]) -> int:
    count = 0
    while count < len(lines) and _blank(lines[len(lines) - 1 - count]):
        count += 1
    return count


def move_section(lines: list[str], source: int, dest: int, parser: OutlineParser | None = None) -> Moved:
    """Move the section headed on line `source` before line `dest` (len(lines) or -1: to the end).

    Blank lines between sections go with the gap they separate, so a move leaves no empty paragraph behind and
    the draft's trailing blank lines stay at its end. Raises ValueError for a line that is no heading or a move
    into the section itself.
    """
    parser = parser or OutlineParser()
    end_gap = _trailing_blanks(lines)
    body = lines[: len(lines) - end_gap]
    headings = parser.parse_lines(body)
    index = next((i for i, h in enumerate(headings) if h.line == source), None)
    if index is None:
        raise ValueError(f"line {source} is not a heading")
    if dest < 0 or dest >= len(body):
        dest = len(body)
    end = block_end(headings, index, len(body))
    if source < dest < end:
        raise ValueError("a section cannot move into itself")
    block = body[source:end]
    own_gap = _trailing_blanks(block)
    core = block[: len(block) - own_gap]
    # The last section had no gap of its own: it takes the one that stood before it.
    last = end == len(body)
    gap = body[source - _trailing_blanks(body[:source]) : source] if last else block[len(core) :]
    rest = body[:source] + body[end:]
    rest = rest[: len(rest) - _trailing_blanks(rest)] if last else rest
    at = dest if dest <= source else dest - len(block)
    if at >= len(rest):
        moved = [*rest, *gap, *core]
        line = len(rest) + len(gap)
    else:
        moved = [*rest[:at], *core, *gap, *rest[at:]]
        line = at
    return Moved(moved + lines[len(lines) - end_gap :], line)


def _number_span(line: str, level: int) -> tuple[int, int] | None:
    stripped = line.lstrip(_INDENT)
    found = HEADING_PATTERNS[level - 1][1].match(stripped)
    if found is None:
        return None
    indent = len(line) - len(stripped)
    return indent, indent + len(found.group(0).rstrip())


def shift_level(lines: list[str], line: int, step: int, parser: OutlineParser | None = None) -> list[str] | None:
    """Promote (step -1) or demote (step 1) the heading on a line with its sub-headings, then renumber the draft.

    None when the line holds no heading, or the shift would leave levels 1–4 (一、 （一） 1. （1））.
    """
    parser = parser or OutlineParser()
    headings = parser.parse_lines(lines)
    index = next((i for i, h in enumerate(headings) if h.line == line), None)
    if index is None:
        return None
    end = block_end(headings, index, len(lines))
    block = [h for h in headings[index:] if h.line < end]
    if any(not 1 <= h.level + step <= MAX_LEVEL for h in block):
        return None
    out = list(lines)
    for heading in block:
        span = _number_span(out[heading.line], heading.level)
        if span is None:
            return None
        start, stop = span
        text = out[heading.line]
        number = format_number(heading.level + step, number_value(heading.number) or 1, text[start:stop])
        out[heading.line] = text[:start] + number + text[stop:]
    return apply_edits(out, renumber_edits(out, parser))
