"""Paragraph styles of a .docx (styles.xml): heading level, title, centring and list each style gives, via basedOn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from bigan.core.docx_package import integer, val, w

MAX_LEVEL = 4
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}


def heading_level(outline: int) -> int | None:
    """The heading level (1–4, deeper ones as 4) of a w:outlineLvl value; 9 and above is body text."""
    return min(outline + 1, MAX_LEVEL) if outline < 9 else None


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None
    centred: bool | None


@dataclass(frozen=True)
class StyleProps:
    """What a paragraph style, with the styles it is based on, gives its paragraphs."""

    level: int | None = None
    is_title: bool = False
    centred: bool = False
    num_id: str | None = None
    ilvl: int | None = None


class Styles:
    """The styles of one document, with the default paragraph style and the lists numbering styles stand for."""

    def __init__(self, root: ET.Element | None) -> None:
        self._styles: dict[str, _Style] = {}
        self.default: str | None = None
        self.numbering_styles: dict[str, str] = {}
        for style in root.iter(w("style")) if root is not None else ():
            self._add(style)
        self.props = lru_cache(maxsize=None)(self._props)

    def _add(self, style: ET.Element) -> None:
        style_id = style.get(w("styleId")) or ""
        ppr = style.find(w("pPr"))
        num = ppr.find(w("numPr")) if ppr is not None else None
        num_id = val(num.find(w("numId"))) if num is not None else None
        jc = val(ppr.find(w("jc"))) if ppr is not None else None
        self._styles[style_id] = _Style(
            (val(style.find(w("name"))) or style_id).strip(),
            val(style.find(w("basedOn"))),
            integer(val(ppr.find(w("outlineLvl")))) if ppr is not None else None,
            num_id,
            integer(val(num.find(w("ilvl")))) if num is not None else None,
            None if jc is None else jc == "center",
        )
        kind = style.get(w("type"))
        if kind == "paragraph" and (style.get(w("default")) or "").lower() in {"1", "true", "on"}:
            self.default = style_id
        if kind == "numbering" and num_id:
            self.numbering_styles[style_id] = num_id

    def _props(self, style_id: str | None) -> StyleProps:
        """Walk the basedOn chain: the nearest outline level or heading name, title name, centring and list."""
        level = num_id = ilvl = centred = None
        has_level = is_title = False
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            if not has_level:
                is_title = is_title or style.name.lower() in _TITLE_NAMES
                if style.outline is not None:
                    level, has_level = heading_level(style.outline), True
                elif named := _HEADING_NAME.match(style.name):
                    level, has_level = min(int(named.group(1)), MAX_LEVEL) or None, True
            if num_id is None and style.num_id is not None:
                num_id, ilvl = style.num_id, style.ilvl
            if centred is None:
                centred = style.centred
            style_id = style.based_on
        return StyleProps(level, is_title, bool(centred), num_id, ilvl)
