"""Word files for drafts: a .docx laid out per GB/T 9704-2012, and any .docx read back into a draft."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from bigan.core import gbt9704 as gb
from bigan.core import ooxml
from bigan.core.docx_reader import DocxError, DocxParagraph, read_docx_content
from bigan.core.draft import Draft, Paragraph, parse_paragraphs
from bigan.core.ooxml import DECL, NS, xml_text
from bigan.core.titlewrap import title_lines

STYLE_IDS = {0: "Normal", 1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}


def _attr(value: object) -> str:
    return quoteattr(str(value))


def _rpr(font: gb.Font, spacing: int = 0) -> str:
    """Run properties: the font in all four slots (ambiguous marks like “” — set in the Chinese face), size, spacing."""
    latin = _attr(font.latin)
    return (
        f"<w:rPr><w:rFonts w:ascii={latin} w:hAnsi={latin} w:eastAsia={_attr(font.east_asian)} w:cs={latin}"
        f' w:hint="eastAsia"/><w:spacing w:val="{spacing}"/>'
        f'<w:sz w:val="{font.half_points}"/><w:szCs w:val="{font.half_points}"/></w:rPr>'
    )


def _ppr(
    layout: gb.PageLayout, level: int | None, style: bool = False, indent: bool = True, keep_next: bool = False
) -> str:
    """Paragraph properties of the title (level None), a heading (1–4) or the body (0), for a style or a paragraph."""
    parts = [] if style else [f'<w:pStyle w:val="{"Title" if level is None else STYLE_IDS[level]}"/>']
    if keep_next:
        parts.append("<w:keepNext/>")
    if style and level == 0:
        # No widow/orphan moves by default, so every page keeps its 22 lines (PageLayout.widow_control).
        # w:overflowPunct is left at Word's default (a closing mark may hang past the margin rather than push a
        # character down): LibreOffice reads that flag inverted, so setting it would make the clients differ.
        parts.append("<w:widowControl/>" if layout.widow_control else '<w:widowControl w:val="0"/>')
    if level is None:
        # The title's lines are set by title_lines; Word's extra space between Chinese and digits would widen them.
        parts.append('<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
    if style and level is None:
        parts.append('<w:snapToGrid w:val="0"/>')
    after = f' w:after="{layout.line_pitch}"' if level is None else ""
    parts.append(f'<w:spacing w:before="0"{after} w:line="{layout.line_pitch}" w:lineRule="exact"/>')
    if level is None or not indent:
        parts.append('<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    else:
        parts.append(f'<w:ind w:firstLineChars="200" w:firstLine="{layout.indent_2_chars}"/>')
    parts.append(f'<w:jc w:val="{"center" if level is None else "both"}"/>')
    if level:
        parts.append(f'<w:outlineLvl w:val="{level - 1}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def _run(text: str, font: gb.Font, spacing: int = 0) -> str:
    """A run of text; tabs become w:tab and line feeds w:br (the title's line breaks)."""
    if not text:
        return ""
    pieces = []
    for chunk in re.split(r"([\t\n])", text):
        if chunk == "\t":
            pieces.append("<w:tab/>")
        elif chunk == "\n":
            pieces.append("<w:br/>")
        elif chunk:
            space = ' xml:space="preserve"' if chunk != chunk.strip() else ""
            pieces.append(f"<w:t{space}>{xml_text(chunk)}</w:t>")
    return f"<w:r>{_rpr(font, spacing)}{''.join(pieces)}</w:r>"


def _paragraph_xml(paragraph: Paragraph, layout: gb.PageLayout) -> str:
    spacing = layout.char_spacing
    head, body = paragraph.heading_split
    if paragraph.level:
        runs = _run(head, gb.HEADING[paragraph.level], spacing) + _run(body, gb.BODY, spacing)
    else:
        runs = _run(paragraph.text, gb.BODY, spacing)
    # A paragraph typed with leading spaces (　　) is indented by them, not twice.
    indent = not paragraph.text[:1].isspace()
    # A bare heading stays with the text after it; a run-in heading carries its own text.
    keep = bool(paragraph.level) and not body
    return f"<w:p>{_ppr(layout, paragraph.level, indent=indent, keep_next=keep)}{runs}</w:p>"


def _document_xml(draft: Draft, layout: gb.PageLayout) -> str:
    top, bottom, left, right = layout.margins
    title = "\n".join(title_lines(draft.title.replace("\n", ""), layout))
    body = [f"<w:p>{_ppr(layout, None)}{_run(title, gb.TITLE)}</w:p>"]
    # Blank lines at the end would only push an empty page (with its page number) after a full one.
    paragraphs = list(draft.paragraphs)
    while paragraphs and not paragraphs[-1].text.strip():
        paragraphs.pop()
    body += [_paragraph_xml(p, layout) for p in paragraphs]
    section = (
        f'<w:sectPr><w:footerReference w:type="default" r:id="{ooxml.ODD_FOOTER_ID}"/>'
        f'<w:footerReference w:type="even" r:id="{ooxml.EVEN_FOOTER_ID}"/>'
        f'<w:pgSz w:w="{layout.width}" w:h="{layout.height}"/>'
        f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="851"'
        f' w:footer="{gb.mm_to_twips(gb.FOOTER_MM)}" w:gutter="0"/><w:cols w:space="425"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{layout.line_pitch}"/>'
        "</w:sectPr>"
    )
    return f"{DECL}<w:document {NS}><w:body>{''.join(body)}{section}</w:body></w:document>"


def _footer_xml(align: str) -> str:
    """A footer holding `— N —` with a PAGE field, one character in from the outer edge."""
    font = gb.PAGE_NUMBER
    rpr = _rpr(font)
    indent = "right" if align == "right" else "left"
    field = (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        f'{DECL}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/>'
        f'<w:ind w:{indent}="{font.half_points * 10}" w:firstLine="0"/><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>{field}'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
    )


def _style(kind: str, style_id: str, name: str, body: str, extra: str = "") -> str:
    return f'<w:style w:type="{kind}"{extra} w:styleId="{style_id}"><w:name w:val="{name}"/>{body}</w:style>'


def _styles_xml(layout: gb.PageLayout) -> str:
    body = gb.BODY
    styles = [
        _style(
            "paragraph",
            "Normal",
            "Normal",
            "<w:qFormat/>" + _ppr(layout, 0, True) + _rpr(body, layout.char_spacing),
            ' w:default="1"',
        ),
        _style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>',
            ' w:default="1"',
        ),
        _style(
            "paragraph",
            "Title",
            "Title",
            '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
            + _ppr(layout, None, True)
            + _rpr(gb.TITLE),
        ),
    ]
    for level in range(1, 5):
        styles.append(
            _style(
                "paragraph",
                STYLE_IDS[level],
                f"heading {level}",
                '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
                + _ppr(layout, level, True)
                + _rpr(gb.HEADING[level], layout.char_spacing),
            )
        )
    styles.append(
        _style(
            "paragraph",
            "Footer",
            "footer",
            '<w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>'
            '<w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>' + _rpr(gb.PAGE_NUMBER),
        )
    )
    latin = _attr(body.latin)
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii={latin} w:hAnsi={latin}"
        f" w:eastAsia={_attr(body.east_asian)} w:cs={latin}/>"
        f'<w:sz w:val="{body.half_points}"/><w:szCs w:val="{body.half_points}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:line="{layout.line_pitch}" w:lineRule="exact"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    return f"{DECL}<w:styles {NS}>{defaults}{''.join(styles)}</w:styles>"


def _font_xml(name: str, face: gb.Face) -> str:
    """One w:font entry: alternate names, PANOSE, character set, family, pitch and signature, in schema order."""
    parts = [f'<w:font w:name="{name}">']
    if face.alternates:
        parts.append(f'<w:altName w:val="{",".join(face.alternates)}"/>')
    parts.append(f'<w:panose1 w:val="{face.panose}"/><w:charset w:val="{face.charset}"/>')
    parts.append(f'<w:family w:val="{face.family}"/><w:pitch w:val="{face.pitch}"/>')
    if face.signature:
        usb0, usb1, usb2, usb3, csb0, csb1 = face.signature
        parts.append(
            f'<w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="{usb3}" w:csb0="{csb0}" w:csb1="{csb1}"/>'
        )
    return "".join(parts) + "</w:font>"


def _font_table_xml() -> str:
    """Every face the document names, described so that Word and WPS fall back to the nearest one installed."""
    names = sorted({f.east_asian for f in (gb.TITLE, gb.BODY, gb.PAGE_NUMBER, *gb.HEADING.values())})
    fonts = [_font_xml(gb.LATIN, gb.LATIN_FACE)] + [_font_xml(name, gb.FACES[name]) for name in names]
    return f"{DECL}<w:fonts {NS}>{''.join(fonts)}</w:fonts>"


def docx_parts(draft: Draft, layout: gb.PageLayout = gb.A4_REPORT, when: datetime | None = None) -> dict[str, str]:
    """Every part of the .docx package by its name in the zip, as XML text."""
    return {
        "[Content_Types].xml": ooxml.CONTENT_TYPES,
        "_rels/.rels": ooxml.PACKAGE_RELS,
        "docProps/core.xml": ooxml.core_xml(draft.title, when or datetime.now(timezone.utc)),
        "docProps/app.xml": ooxml.APP,
        "word/document.xml": _document_xml(draft, layout),
        "word/_rels/document.xml.rels": ooxml.DOCUMENT_RELS,
        "word/styles.xml": _styles_xml(layout),
        "word/settings.xml": ooxml.SETTINGS,
        "word/fontTable.xml": _font_table_xml(),
        "word/footer1.xml": _footer_xml("right"),
        "word/footer2.xml": _footer_xml("left"),
    }


def write_docx(draft: Draft, layout: gb.PageLayout = gb.A4_REPORT, when: datetime | None = None) -> bytes:
    """The draft as .docx bytes: GB/T 9704-2012 page, fonts, 22 × 28 grid, outline levels, page numbers."""
    return ooxml.zip_package(docx_parts(draft, layout, when))


# The name draft.py and the window catch; reading itself lives in core.docx_reader.
WordError = DocxError


def read_docx(data: bytes) -> tuple[Draft, list[str]]:
    """A .docx (ours or anyone's) as a draft, with notes in Chinese on what a draft could not keep."""
    content = read_docx_content(data)
    return _draft_from_paragraphs(content.paragraphs), content.notes()


def _draft_from_paragraphs(found: list[DocxParagraph]) -> Draft:
    """The title (a Title-style, centred or unnumbered first paragraph), then one draft paragraph per line."""
    title = ""
    if found and found[0].is_title:
        title, found = found[0].text, found[1:]
    else:
        while found and not found[0].text.strip():
            found = found[1:]
        if found:
            first = found[0]
            if first.centred or (first.level is None and not Paragraph.parse(first.text).level):
                title, found = first.text, found[1:]
    lines: list[str] = []
    levels: list[int | None] = []
    for paragraph in found:
        # An outline level or heading style makes a heading; other numbered lines go through the item rule.
        parts = paragraph.text.split("\n")
        lines += parts
        levels += [paragraph.level] + [None] * (len(parts) - 1)
    return Draft(title.replace("\n", ""), parse_paragraphs(lines, levels))
