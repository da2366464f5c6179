"""Enumerated items (一是… 二是…) in running text: finding them, counting them, renumbering them for a new place."""

from __future__ import annotations

import re

from core.numbering import chinese_numeral, chinese_value

# An item starts a text, a sentence or a clause: 一是 after 。；：！？ or a line start, never inside 统一是 or 十二是.
_ITEM = re.compile(r"(?:^|(?<=[。；;：:！!？?\s“‘（(]))([一二三四五六七八九十]{1,3})(?=是)")


def item_ordinals(text: str) -> list[tuple[int, int, int]]:
    """The ordinals of the items in text, in order: (start, end, value) of each numeral before its 是."""
    found = []
    for match in _ITEM.finditer(text):
        value = chinese_value(match.group(1))
        if value is not None and value > 0:
            found.append((match.start(1), match.end(1), value))
    return found


def count_items(text: str) -> int:
    """How many 一是/二是… items a stretch of text already holds."""
    return len(item_ordinals(text))


def renumber_items(text: str, before: int) -> str:
    """The text with its items numbered on from `before` items already there (三是… after none becomes 一是…)."""
    ordinals = item_ordinals(text)
    if not ordinals:
        return text
    parts, last = [], 0
    for number, (start, end, _) in enumerate(ordinals, start=before + 1):
        parts += [text[last:start], chinese_numeral(number)]
        last = end
    parts.append(text[last:])
    return "".join(parts)
