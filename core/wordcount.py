"""字数 as WPS and Word count it: each Chinese character and full-width mark is one, each Latin or digit run is one."""

from __future__ import annotations

import re

from core.textnorm import CJK

# Full-width punctuation and forms, CJK symbols, and the quotes, dashes and dots Chinese text sets full width.
_WIDE_MARKS = "\u3000-\u303f\uff01-\uff60\uffe0-\uffee\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u2022"
_WIDE = f"{CJK}{_WIDE_MARKS}"
_TOKEN = re.compile(f"[{_WIDE}]|[^{_WIDE}\\s]+")


def word_count(text: str) -> int:
    """The 字数 WPS and Word show: 汉字 and full-width marks one each, plus one per run of Latin letters or digits."""
    return sum(1 for _ in _TOKEN.finditer(text.replace("\u3000", " ")))
