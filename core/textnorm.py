"""Character-level normalisation of imported text: spaces, width, censored 党."""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")

# Characters that count as "Chinese context" on either side of a half-width mark.
_CTX = f"[{CJK}\u3000-\u303f\uff00-\uffef“”‘’%]"

_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u3000\ufeff]+")
_NEAR_CJK = f"[{CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”]"
# Patterns here begin with the character they replace and look behind from there: re then skips to that character
# instead of trying every position, several times faster on long Chinese text.
_SPACE_BETWEEN_CJK = re.compile(f" (?<={_NEAR_CJK} ) *| +(?={_NEAR_CJK})")
_LINE_EDGES = re.compile(r" (?<![^\n] ) *| +$", re.MULTILINE)

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_PUNCT = re.compile(f"[,:;?!](?<={_CTX}[,:;?!])|[,:;?!](?={_CTX})")
_FULLWIDTH_RE = re.compile("[０-９Ａ-Ｚａ-ｚ]")
_PARENS = re.compile(r"\(([^()\n]{0,80})\)")

# 党 is often censored as "D" on scraped pages; only restore it where a word around it proves it.
_PARTY_AFTER = "的员委建风组政纪规务史章性课支小内外中和旗徽费日群校报代工"
_PARTY_BEFORE = "治入爱全我兴强护管从"
_PARTY = re.compile(rf"D(?<![A-Za-z0-9]D)(?=[{_PARTY_AFTER}])|D(?<=[{_PARTY_BEFORE}]D)(?![A-Za-z0-9])")


def has_cjk(text: str) -> bool:
    """Whether the text holds at least one Chinese character."""
    return _CJK_RE.search(text) is not None


def cjk_count(text: str) -> int:
    """Number of Chinese characters, the count writers care about."""
    return len(_CJK_RE.findall(text))


def normalize_spaces(text: str) -> str:
    """Collapse runs of spaces, drop spaces next to Chinese text and trim each line's ends."""
    text = _LINE_EDGES.sub("", _SPACES.sub(" ", text))
    return _SPACE_BETWEEN_CJK.sub("", text)


def _widen_parens(match: re.Match[str]) -> str:
    inner = match.group(1)
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if has_cjk(inner) or re.match(_CTX, before) or re.match(_CTX, after):
        return f"（{inner}）"
    return match.group()


def _half_width(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def normalize_width(text: str) -> str:
    """Turn full-width digits/letters half-width and half-width punctuation in Chinese text full-width."""
    text = _FULLWIDTH_RE.sub(_half_width, text)
    if "(" in text:
        text = _PARENS.sub(_widen_parens, text)
    return _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group()], text)


def restore_party(text: str) -> str:
    """Restore 党 where a scraper censored it as D (D的, D员, 治D …), never inside Latin runs like GDP."""
    return _PARTY.sub("党", text) if "D" in text else text


def normalize_line(text: str) -> str:
    """Apply every normalisation used for stored text; works line by line on multi-line text."""
    return restore_party(normalize_width(normalize_spaces(text)))


def normalize_lines(lines: list[str]) -> list[str]:
    """Normalise many lines in one pass over their joined text (much faster than line by line)."""
    return normalize_line("\n".join(line.replace("\n", " ") for line in lines)).split("\n")
