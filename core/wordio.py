"""Word files for drafts: a .docx laid out per GB/T 9704-2012, and any .docx read back into a draft."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from core import gbt9704 as gb
from core import ooxml
from core.draft import Draft, Paragraph, parse_paragraphs
from core.ooxml import DECL, NS, W, xml_text
from core.titlewrap import title_lines

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


class WordError(Exception):
    """A .docx that cannot be read; the message says why, in Chinese."""


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_PART = 256 * 1024 * 1024
_FEED_BYTES = 64 * 1024
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_NAMES = {"title", "标题"}
_GRAPHICS = {"drawing", "pict", "object"}
_CONTAINERS = {"hyperlink", "ins", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "moveTo", "r"}


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _val(element: ET.Element | None) -> str | None:
    return None if element is None else element.get(f"{{{W}}}val")


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None


@dataclass
class _Reading:
    """What reading a .docx found besides paragraphs: styles, and counts of things a draft cannot hold."""

    styles: dict[str, _Style] = field(default_factory=dict)
    graphics: int = 0
    tables: int = 0
    notes: int = 0


def _part(package: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART:
        raise WordError("Word 文件内容过大，无法打开")
    data = package.read(info)
    # Parsed in pieces, as ET.fromstring would in one: a worker reading a big file lets the window run in between.
    parser = ET.XMLParser()
    for start in range(0, len(data), _FEED_BYTES):
        parser.feed(data[start : start + _FEED_BYTES])
    return parser.close()


def _read_styles(root: ET.Element | None) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for style in root.iter(f"{{{W}}}style"):
        style_id = style.get(f"{{{W}}}styleId") or ""
        outline = _val(style.find(f"{{{W}}}pPr/{{{W}}}outlineLvl"))
        styles[style_id] = _Style(
            (_val(style.find(f"{{{W}}}name")) or style_id).strip(),
            _val(style.find(f"{{{W}}}basedOn")),
            int(outline) if outline and outline.isdigit() else None,
        )
    return styles


def _style_level(style_id: str | None, styles: dict[str, _Style]) -> tuple[int | None, bool]:
    """Heading level a paragraph style gives (outline level or a heading name) and whether it is a title style."""
    seen: set[str] = set()
    is_title = False
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        is_title = is_title or style.name.lower() in _TITLE_NAMES
        if style.outline is not None:
            return (style.outline + 1 if style.outline < 9 else None), is_title
        named = _HEADING_NAME.match(style.name)
        if named:
            return int(named.group(1)), is_title
        style_id = style.based_on
    return None, is_title


def _run_text(element: ET.Element, reading: _Reading, out: list[str]) -> None:
    for child in element:
        tag = _tag(child)
        if tag == "t":
            out.append(child.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("" if child.get(f"{{{W}}}type") in ("page", "column") else "\n")
        elif tag == "noBreakHyphen":
            out.append("-")
        elif tag in _GRAPHICS or tag == "AlternateContent":
            reading.graphics += 1
        elif tag in ("footnoteReference", "endnoteReference"):
            reading.notes += 1
        elif tag in _CONTAINERS:
            _run_text(child, reading, out)


def _paragraph(element: ET.Element, reading: _Reading) -> tuple[str, int | None, bool, bool]:
    """Text, heading level from styles or outline level, title style, and centred, of one w:p."""
    ppr = element.find(f"{{{W}}}pPr")
    level, is_title = _style_level(_val(ppr.find(f"{{{W}}}pStyle")) if ppr is not None else None, reading.styles)
    outline = _val(ppr.find(f"{{{W}}}outlineLvl")) if ppr is not None else None
    if outline and outline.isdigit():
        level = int(outline) + 1 if int(outline) < 9 else None
    centred = ppr is not None and _val(ppr.find(f"{{{W}}}jc")) == "center"
    pieces: list[str] = []
    _run_text(element, reading, pieces)
    return "".join(pieces), level, is_title, centred


def _blocks(container: ET.Element, reading: _Reading) -> list[tuple[str, int | None, bool, bool]]:
    blocks = []
    for child in container:
        tag = _tag(child)
        if tag == "p":
            blocks.append(_paragraph(child, reading))
        elif tag == "tbl":
            reading.tables += 1
            for row in child.iter(f"{{{W}}}tr"):
                cells = ["".join(b[0] for b in _blocks(cell, reading)) for cell in row.findall(f"{{{W}}}tc")]
                blocks.append(("\t".join(cells), None, False, False))
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            blocks.extend(_blocks(child, reading))
    return blocks


def _open_package(data: bytes) -> zipfile.ZipFile:
    if data.startswith(_OLE_MAGIC):
        raise WordError(
            "文件设置了打开密码（已加密），或其实是旧版 .doc 文件；请在 Word 中取消密码或另存为 .docx 后再打开"
        )
    if not data.startswith(b"PK"):
        raise WordError("不是有效的 Word 文件（内容损坏，或扩展名与内容不符）")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise WordError("Word 文件已损坏（压缩包不完整），无法打开") from None


def _related(package: zipfile.ZipFile, source: str, kind: str, default: str) -> str:
    """The part a relationship of `kind` from `source` points to (Office may name it document2.xml)."""
    folder, _, name = source.rpartition("/")
    rels = _part(package, f"{folder}/_rels/{name}.rels".lstrip("/"))
    for rel in rels.iter() if rels is not None else ():
        if (rel.get("Type") or "").endswith(f"/{kind}") and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
    return default


def read_docx(data: bytes) -> tuple[Draft, list[str]]:
    """A .docx (ours or anyone's) as a draft, with notes in Chinese on what a draft could not keep."""
    package = _open_package(data)
    try:
        with package:
            main = _related(package, "", "officeDocument", "word/document.xml")
            root = _part(package, main)
            if root is None:
                raise WordError("不是 Word 文档（缺少正文部分）")
            body = root.find(f"{{{W}}}body")
            if body is None:
                raise WordError("无法识别的 Word 文件格式（可能是“严格 Open XML”格式），请在 Word 中另存为普通 .docx")
            reading = _Reading(_read_styles(_part(package, _related(package, main, "styles", "word/styles.xml"))))
            blocks = _blocks(body, reading)
    except WordError:
        raise
    except (zipfile.BadZipFile, ET.ParseError, EOFError, OSError, ValueError) as exc:
        raise WordError(f"Word 文件已损坏，无法解析（{type(exc).__name__}）") from None
    return _draft_from_blocks(blocks), _notes(reading)


def _draft_from_blocks(blocks: list[tuple[str, int | None, bool, bool]]) -> Draft:
    title = ""
    if blocks and blocks[0][2]:
        title, blocks = blocks[0][0], blocks[1:]
    else:
        while blocks and not blocks[0][0].strip():
            blocks = blocks[1:]
        if blocks:
            text, level, _, centred = blocks[0]
            if centred or (level is None and not Paragraph.parse(text).level):
                title, blocks = text, blocks[1:]
    lines: list[str] = []
    levels: list[int | None] = []
    for text, level, _, _ in blocks:
        # An outline level or heading style makes a heading; other numbered lines go through the item rule.
        parts = text.split("\n")
        lines += parts
        levels += [level] + [None] * (len(parts) - 1)
    return Draft(title.replace("\n", ""), parse_paragraphs(lines, levels))


def _notes(reading: _Reading) -> list[str]:
    notes = []
    if reading.tables:
        notes.append(f"文件中的 {reading.tables} 个表格已转为文字：每行一段，单元格之间用制表符分隔")
    if reading.graphics:
        notes.append(f"文件中的 {reading.graphics} 处图片或图形未导入，草稿只保存文字")
    if reading.notes:
        notes.append(f"文件中的 {reading.notes} 条脚注或尾注未导入")
    return notes
