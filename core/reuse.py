"""Which bank passages a draft already uses, however their figures, fields and item numbers were changed."""

from __future__ import annotations

import re

from bigan.core.ordinals import item_ordinals
from bigan.core.textnorm import CJK

USED_SHARE = 0.8
_GRAM = 4
_KEEP = re.compile(f"[^{CJK}]+")


def _core(text: str) -> str:
    """The Chinese characters of a passage, item numbers left out (they change when it is inserted)."""
    for start, end, _ in reversed(item_ordinals(text)):
        text = text[:start] + text[end:]
    return _KEEP.sub("", text)


def _grams(text: str) -> set[str]:
    return {text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)}


class DraftUsage:
    """The draft's text digested once, to ask of many passages whether they stand in it."""

    def __init__(self, draft: str) -> None:
        self.grams = _grams(_core(draft))

    def uses(self, passage: str) -> bool:
        """Whether most of the passage's wording stands in the draft (figures and item numbers aside)."""
        grams = _grams(_core(passage))
        if not grams:
            return False
        return len(grams & self.grams) >= USED_SHARE * len(grams)


def used_passages(draft: str, passages: list[str]) -> list[bool]:
    """For each passage, whether the draft already holds it (inserted before, perhaps edited since)."""
    usage = DraftUsage(draft)
    return [usage.uses(p) for p in passages]
