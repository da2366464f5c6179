"""Recognising fill-in placeholders (*, xx, XXX, x%, a unit with its number missing) and figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD = "＿＿"

_UNITS = r"(?:亿美元|万美元|亿元|万元|千元|万吨|万亩|万人次|万人|万户|个百分点|%|％|‰)"
_NUMERAL = r"0-9０-９一二三四五六七八九十百千万亿两几数多余半零〇"
# Runs of *, x or X (and ×) that stand where a number or name should be, e.g. xx亿元, XXX局, *%, x-x月.
# (The x run is written from its first x backwards, so re skips to the next mark: see core.textnorm.)
_MARK_RUN = r"(?:[*＊]+|[xX×](?<![A-Za-z][xX×])[xX×]*(?![A-Za-z]))"
_PLACEHOLDER = re.compile(rf"{_MARK_RUN}(?:\s*[-—~～]\s*{_MARK_RUN})?\s*(?:[%％‰])?")
# "亿元以上项目" names a size class, not an amount with its number missing.
# A unit whose number is missing: the character before it is none of _NOT_BEFORE (nor a space). The unit is searched
# and the character before it checked after (a regex that opens with a look-behind is tried at every character).
_UNIT = re.compile(rf"{_UNITS}(?!以上|以下|级)")
_NOT_BEFORE = frozenset(f"0123456789０１２３４５６７８９{_NUMERAL[6:]}.%％*＊xX×＿")
_FIGURE = re.compile(r"(?:\d+(?:[.,]\d+)*|[一二三四五六七八九十]+(?=[个项家条次])|[两几]+(?=[个项家]))(?:\s*[%％‰])?")
_YEAR_OR_DATE = re.compile(r"\d{4}(?=年)|\d{1,2}(?=[月日])")


@dataclass(frozen=True)
class Field:
    """A placeholder found in text: its span and the source characters it covers."""

    start: int
    end: int
    text: str


def _missing_before(text: str, start: int) -> bool:
    """Whether the character before a unit shows its number is missing (not a numeral, a space or a mark)."""
    if start == 0:
        return False
    before = text[start - 1]
    return before not in _NOT_BEFORE and not before.isspace()


def find_placeholders(text: str) -> list[Field]:
    """Return the unfilled fields in text, in order: marker runs and units missing their number."""
    spans = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
    spans += [(m.start(), m.start()) for m in _UNIT.finditer(text) if _missing_before(text, m.start())]
    spans.sort()
    return [Field(s, e, text[s:e]) for s, e in spans]


def to_template(text: str) -> str:
    """Replace every placeholder with the canonical field mark, inserting one where a number is missing."""
    out: list[str] = []
    last = 0
    for field in find_placeholders(text):
        if field.start < last:
            continue
        out.append(text[last : field.start])
        out.append(FIELD)
        if field.end > field.start and field.text.rstrip().endswith(("%", "％", "‰")):
            out.append(field.text.rstrip()[-1])
        last = field.end
    out.append(text[last:])
    return "".join(out)


def fieldify_figures(text: str) -> str:
    """Turn the source's own figures and dates into fields, so another unit's numbers cannot slip in."""
    text = to_template(text)

    def repl(match: re.Match[str]) -> str:
        value = match.group()
        suffix = value[-1] if value[-1] in "%％‰" else ""
        return FIELD + suffix

    return _FIGURE.sub(repl, _YEAR_OR_DATE.sub(FIELD, text))


def has_placeholder(text: str) -> bool:
    """Whether the text still holds an unfilled field."""
    return bool(find_placeholders(text)) or FIELD in text
