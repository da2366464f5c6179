"""Traditional Chinese to Simplified (OpenCC's dictionaries, shipped in the opencc wheel), per document."""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cache

from bigan.core.models import Block

# Conversion leaves Simplified text as it is (measured on 52 State Council reports and the bundled corpus: at most
# a variant such as 拚 → 拼), so every document is converted; it counts as written in Traditional from this many
# changed characters on.
MIN_CHANGED = 5
_lock = threading.Lock()


@cache
def _converter():  # opencc ships no type information
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text in Simplified characters, phrase by phrase as OpenCC's t2s tables convert it."""
    with _lock:
        return _converter().convert(text)


def _changed(before: str, after: str) -> int:
    if len(before) != len(after):
        return max(MIN_CHANGED, abs(len(before) - len(after)))
    return sum(a != b for a, b in zip(before, after))


def simplify_blocks(blocks: list[Block]) -> tuple[list[Block], bool]:
    """The paragraphs in Simplified characters, and whether the file was (wholly or partly) in Traditional."""
    joined = "\n".join(b.text.replace("\n", " ") for b in blocks)
    converted = to_simplified(joined)
    if converted == joined:
        return blocks, False
    lines = converted.split("\n")
    if len(lines) != len(blocks):
        lines = [to_simplified(b.text) for b in blocks]
    return [replace(b, text=line) for b, line in zip(blocks, lines)], _changed(joined, converted) >= MIN_CHANGED
