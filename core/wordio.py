"""Word files for drafts: a .docx laid out per GB/T 9704-2012, and any .docx read back into a draft."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from core import gbt9704 as gb
from core import ooxml
from core.docx_reader import DocxError, DocxParagraph, read_docx_content
from core.draft import Draft, Paragraph
from core.ooxml import DECL, NS, xml_text

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
        # No widow/orphan moves, so every page keeps its 22 lines. w:overflowPunct is left at Word's default
        # (closing punctuation may hang past the margin): LibreOffice reads that flag inverted, so setting it
        # would make the two clients break lines differently.
        parts.append('<w:widowControl w:val="0"/>')
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
    if not text:
        return ""
    pieces = []
    for i, chunk in enumerate(text.split("\t")):
        if i:
            pieces.append("<w:tab/>")
        if chunk:
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
    body = [f"<w:p>{_ppr(layout, None)}{_run(draft.title, gb.TITLE)}</w:p>"]
    body += [_paragraph_xml(p, layout) for p in draft.paragraphs]
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


def _font_table_xml() -> str:
    names = sorted({f.east_asian for f in (gb.TITLE, gb.BODY, gb.PAGE_NUMBER, *gb.HEADING.values())})
    fonts = [
        f'<w:font w:name="{gb.LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/>'
        '<w:pitch w:val="variable"/></w:font>'
    ]
    for name in names:
        alt = f'<w:altName w:val="{gb.ALTERNATES[name]}"/>' if name in gb.ALTERNATES else ""
        fonts.append(
            f'<w:font w:name="{name}">{alt}<w:charset w:val="86"/><w:family w:val="modern"/>'
            '<w:pitch w:val="fixed"/></w:font>'
        )
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
    paragraphs = []
    for paragraph in found:
        lines = paragraph.text.split("\n")
        paragraphs.append(Paragraph.parse(lines[0], paragraph.level))
        paragraphs.extend(Paragraph.parse(line) for line in lines[1:])
    return Draft(title.replace("\n", ""), paragraphs)
