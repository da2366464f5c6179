"""Fill-in fields of a draft (＿＿, xx, XXX, *%, a unit missing its number) and moving between them."""

from __future__ import annotations

import re

from bigan.core.placeholders import find_placeholders

_FIELD_MARKS = re.compile("＿+")

Span = tuple[int, int]


def field_spans(text: str) -> list[Span]:
    """Every unfilled field as (start, end), in order; a missing number is an empty span before its unit."""
    spans = {(f.start, f.end) for f in find_placeholders(text)}
    spans.update(m.span() for m in _FIELD_MARKS.finditer(text))
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif not (merged and start == end == merged[-1][1]):
            merged.append((start, end))
    return merged


def next_field(text: str, start: int, end: int) -> tuple[Span | None, bool]:
    """The field after the selection start:end, wrapping to the first one; returns (span, wrapped)."""
    spans = field_spans(text)
    for span in spans:
        if span[0] >= end and span != (start, end):
            return span, False
    first = spans[0] if spans else None
    return (first, True) if first is not None and first != (start, end) else (None, False)


def previous_field(text: str, start: int, end: int) -> tuple[Span | None, bool]:
    """The field before the selection start:end, wrapping to the last one; returns (span, wrapped)."""
    spans = field_spans(text)
    for span in reversed(spans):
        if span[0] < start or (span[0] == start and span[1] < end):
            return span, False
    last = spans[-1] if spans else None
    return (last, True) if last is not None and last != (start, end) else (None, False)
