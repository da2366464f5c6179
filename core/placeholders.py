"""Recognising fill-in placeholders (*, xx, XXX, x%, a unit with its number missing) and figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD = "＿＿"

_UNITS = r"(?:亿美元|万美元|亿元|万元|千元|万吨|万亩|万人次|万人|万户|个百分点|%|％|‰)"
_NUMERAL = r"0-9０-９一二三四五六七八九十百千万亿两几数多余半零〇"
# Runs of *, x or X (and ×) that stand where a number or name should be, e.g. xx亿元, XXX局, *%, x-x月.
_MARK_RUN = r"(?:[*＊]+|(?<![A-Za-z])[xX×]+(?![A-Za-z]))"
_PLACEHOLDER = re.compile(rf"{_MARK_RUN}(?:\s*[-—~～]\s*{_MARK_RUN})?\s*(?:[%％‰])?")
# "亿元以上项目" names a size class, not an amount with its number missing.
_MISSING_NUMBER = re.compile(rf"(?<=[^{_NUMERAL}\s.%％*＊xX×＿]){_UNITS}(?!以上|以下|级)")
_FIGURE = re.compile(r"(?:\d+(?:[.,]\d+)*|[一二三四五六七八九十]+(?=[个项家条次])|[两几]+(?=[个项家]))(?:\s*[%％‰])?")
_YEAR_OR_DATE = re.compile(r"\d{4}(?=年)|\d{1,2}(?=[月日])")


@dataclass(frozen=True)
class Field:
    """A placeholder found in text: its span and the source characters it covers."""

    start: int
    end: int
    text: str


def find_placeholders(text: str) -> list[Field]:
    """Return the unfilled fields in text, in order: marker runs and units missing their number."""
    spans = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
    spans += [(m.start(), m.start()) for m in _MISSING_NUMBER.finditer(text)]
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
