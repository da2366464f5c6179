"""The one .docx reader: paragraphs as Word shows them (automatic numbers, accepted revisions, field results,
text boxes, tables as rows), heading levels from outline levels and styles, and counts of what text cannot hold."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from bigan.core.docx_numbering import Numbering
from bigan.core.docx_package import (
    NO_BODY,
    BodyBuilder,
    DocxError,
    damage_as_docx_error,
    integer,
    on,
    open_package,
    parse_part,
    related,
    val,
    w,
)
from bigan.core.docx_styles import StyleProps, Styles, heading_level

__all__ = ["DocxContent", "DocxError", "DocxParagraph", "read_docx_content"]

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_RPR, _VANISH = w("rPr"), w("vanish")


@dataclass
class DocxParagraph:
    """One paragraph as Word shows it: text with its automatic number in front (`number`, also given alone), line
    breaks kept as "\\n" and tabs as "\\t"; heading level 1–4 from outline level or style; Title style; centred."""

    text: str
    level: int | None = None
    is_title: bool = False
    centred: bool = False
    number: str = ""
    in_table: bool = False
    in_textbox: bool = False


@dataclass
class DocxContent:
    """A .docx's paragraphs in reading order and counts of what they cannot show."""

    paragraphs: list[DocxParagraph] = field(default_factory=list)
    tables: int = 0
    graphics: int = 0
    textboxes: int = 0
    footnotes: int = 0
    comments: int = 0
    revisions: int = 0
    toc: int = 0

    def notes(self) -> list[str]:
        """What reading kept only as text or left out, in Chinese, one line each."""
        notes = []
        if self.tables:
            notes.append(f"文件中的 {self.tables} 个表格已转为文字：每行一段，单元格之间用制表符分隔")
        if self.textboxes:
            notes.append(f"文件中的 {self.textboxes} 个文本框已转为普通段落，放在所在段落之后")
        if self.graphics:
            notes.append(f"文件中的 {self.graphics} 处图片或图形未导入，只保留了文字")
        if self.footnotes:
            notes.append(f"文件中的 {self.footnotes} 条脚注或尾注未导入")
        if self.comments:
            notes.append(f"文件中的 {self.comments} 条批注未导入")
        if self.revisions:
            notes.append(f"文件中的 {self.revisions} 处修订已按“接受全部修订”后的文字导入，修订标记未保留")
        if self.toc:
            notes.append("文件中的目录未导入（目录由标题生成，可在 Word 中重新插入）")
        return notes


# --- body ----------------------------------------------------------------------------------------------------


@dataclass
class _Field:
    instruction: list[str] = field(default_factory=list)
    in_result: bool = False
    hides_result: bool = False


class _Reader:
    """Walks the body in document order, keeping numbering counters, open fields and counts."""

    def __init__(self, styles: Styles, numbering: Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.content = DocxContent()
        self.fields: list[_Field] = []
        self.carry: list[str] = []
        self._inline = self._inline_handlers()

    # Blocks ---------------------------------------------------------------------------------------------------

    def block(self, element: ET.Element, out: list[DocxParagraph], in_table: bool = False) -> None:
        """One body-level element: a paragraph, a table, or a container of them."""
        tag = element.tag
        if tag == w("p"):
            self.paragraph(element, out, in_table)
            return
        self.flush_carry(out, in_table)
        if tag == w("tbl"):
            self.table(element, out)
        elif tag == w("sdt"):
            if self._skipped_control(element):
                return
            for child in element.iterfind(w("sdtContent")):
                self.blocks(child, out, in_table)
        elif tag in (w("customXml"), w("ins"), w("moveTo")):
            self.content.revisions += tag != w("customXml")
            self.blocks(element, out, in_table)
        elif tag in (w("del"), w("moveFrom")):
            self.content.revisions += 1
        elif tag == f"{{{_MC}}}AlternateContent":
            chosen = _choice(element)
            if chosen is not None:
                self.blocks(chosen, out, in_table)

    def blocks(self, container: ET.Element, out: list[DocxParagraph], in_table: bool = False) -> None:
        """Every block inside a container (body part, cell, text box, content control)."""
        for child in container:
            self.block(child, out, in_table)
        self.flush_carry(out, in_table)

    def flush_carry(self, out: list[DocxParagraph], in_table: bool) -> None:
        """Text of a paragraph whose mark was deleted, with no paragraph after it to join."""
        if self.carry:
            out.append(DocxParagraph("".join(self.carry), in_table=in_table))
            self.carry = []

    def _skipped_control(self, sdt: ET.Element) -> bool:
        """Content controls showing placeholder text, and the table of contents, are not read."""
        props = sdt.find(w("sdtPr"))
        if props is None:
            return False
        if props.find(w("showingPlcHdr")) is not None:
            return True
        gallery = val(props.find(f"{w('docPartObj')}/{w('docPartGallery')}"))
        if gallery and gallery.lower() == "table of contents":
            self.content.toc += 1
            return True
        return False

    def paragraph(self, element: ET.Element, out: list[DocxParagraph], in_table: bool) -> None:
        """One w:p: its text with the automatic number in front, then the text boxes it anchors."""
        ppr = element.find(w("pPr"))
        style = (val(ppr.find(w("pStyle"))) if ppr is not None else None) or self.styles.default
        props = self.styles.props(style)
        level, centred = props.level, props.centred
        hidden_before = self._hidden
        pieces: list[str] = []
        stories: list[ET.Element] = []
        self.inline(element, pieces, stories)
        self.fields = [f for f in self.fields if f.in_result]
        text = "".join(pieces)
        if ppr is not None:
            outline = integer(val(ppr.find(w("outlineLvl"))))
            if outline is not None:
                level = heading_level(outline)
            jc = val(ppr.find(w("jc")))
            if jc is not None:
                centred = jc == "center"
            mark = ppr.find(w("rPr"))
            if mark is not None and (mark.find(w("del")) is not None or mark.find(w("moveFrom")) is not None):
                # A deleted paragraph mark joins this paragraph to the next, as Word shows the accepted text.
                self.content.revisions += 1
                self.carry.append(text)
                self.read_stories(stories, out)
                return
        if not text and not self.carry and (hidden_before or self._hidden):
            self.read_stories(stories, out)
            return
        number, separator = self._number(ppr, style, props)
        if self.carry:
            text, self.carry = "".join(self.carry) + text, []
        full = f"{number}{separator}{text}" if number else text
        out.append(DocxParagraph(full, level, props.is_title, centred, number, in_table))
        self.read_stories(stories, out)

    def _number(self, ppr: ET.Element | None, style: str | None, props: StyleProps) -> tuple[str, str]:
        num = ppr.find(w("numPr")) if ppr is not None else None
        num_id = val(num.find(w("numId"))) if num is not None else None
        ilvl = integer(val(num.find(w("ilvl")))) if num is not None else None
        if num_id is None:
            num_id = props.num_id
            if ilvl is None:
                ilvl = props.ilvl
        if not num_id or num_id == "0":
            return "", ""
        if ilvl is None and style:
            ilvl = self.numbering.level_of_style(num_id, style)
        return self.numbering.advance(num_id, ilvl or 0)

    # Tables ---------------------------------------------------------------------------------------------------

    def table(self, table: ET.Element, out: list[DocxParagraph]) -> None:
        """Each row one paragraph (rows of a body-level table have already been read as they were parsed)."""
        self.content.tables += 1
        for row in _children(table, w("tr")):
            self.row(row, out)

    def row(self, row: ET.Element, out: list[DocxParagraph]) -> None:
        """A table row: its cells joined by tabs, or the paragraphs of its only filled cell; text boxes after it."""
        self.flush_carry(out, False)
        props = row.find(w("trPr"))
        if props is not None and props.find(w("del")) is not None:
            self.content.revisions += 1
            return
        cells = []
        for cell in _children(row, w("tc")):
            found: list[DocxParagraph] = []
            self.blocks(cell, found, in_table=True)
            cells.append(found)
        filled = [c for c in cells if any(p.text.strip() and not p.in_textbox for p in c)]
        if len(filled) <= 1:
            for cell in cells:
                out.extend(p for p in cell if (filled and cell is filled[0]) or p.in_textbox)
            return
        texts = [_cell_text([p.text for p in c if not p.in_textbox]) for c in cells]
        out.append(DocxParagraph("\t".join(texts), in_table=True))
        out.extend(p for c in cells for p in c if p.in_textbox)

    # Runs -----------------------------------------------------------------------------------------------------

    @property
    def _hidden(self) -> bool:
        """Whether text read now is inside a field instruction or a table of contents, so not shown."""
        return any(not f.in_result or f.hides_result for f in self.fields)

    def inline(self, element: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
        """The text inside a paragraph or one of its containers, in order; text box stories go to `stories`."""
        handlers = self._inline
        for child in element:
            handler = handlers.get(child.tag)
            if handler is not None:
                handler(child, out, stories)

    def _inline_handlers(self) -> dict[str, Callable[[ET.Element, list[str], list[ET.Element]], None]]:
        def run(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            rpr = child.find(_RPR)
            if rpr is not None and on(rpr.find(_VANISH)):
                self._fields_only(child)
            else:
                self.inline(child, out, stories)

        def text(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            if not self.fields or not self._hidden:
                out.append(child.text or "")

        def mark(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            if not self.fields or not self._hidden:
                out.append(_TEXT_MARKS[child.tag](child))

        def instruction(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            if self.fields and not self.fields[-1].in_result:
                self.fields[-1].instruction.append(child.text or "")

        def simple_field(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            if _is_contents(child.get(w("instr")) or ""):
                self.content.toc += 1
            else:
                self.inline(child, out, stories)

        def control(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            if not self._skipped_control(child):
                for content in child.iterfind(w("sdtContent")):
                    self.inline(content, out, stories)

        def inserted(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            self.content.revisions += 1
            self.inline(child, out, stories)

        def deleted(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            self.content.revisions += 1

        def ruby(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            for base in child.iterfind(w("rubyBase")):
                self.inline(base, out, stories)

        def note(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            self.content.footnotes += 1

        def comment(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            self.content.comments += 1

        def math(child: ET.Element, out: list[str], stories: list[ET.Element]) -> None:
            if not self._hidden:
                out.extend(t.text or "" for t in child.iter(f"{{{_MATH}}}t"))

        handlers = {
            w("r"): run,
            w("t"): text,
            w("fldChar"): lambda child, out, stories: self._field_char(child),
            w("instrText"): instruction,
            w("fldSimple"): simple_field,
            w("sdt"): control,
            w("ins"): inserted,
            w("moveTo"): inserted,
            w("del"): deleted,
            w("moveFrom"): deleted,
            w("ruby"): ruby,
            w("footnoteReference"): note,
            w("endnoteReference"): note,
            w("commentReference"): comment,
            f"{{{_MATH}}}oMath": math,
            f"{{{_MATH}}}oMathPara": math,
        }
        handlers.update(dict.fromkeys(_TEXT_MARKS, mark))
        handlers.update(dict.fromkeys(_CONTAINERS, self.inline))
        handlers.update(dict.fromkeys(_GRAPHICS, lambda child, out, stories: self.graphic(child, stories)))
        return handlers

    def _fields_only(self, run: ET.Element) -> None:
        """A hidden run shows nothing, but the field characters in it still open and close fields."""
        for child in run:
            if child.tag == w("fldChar"):
                self._field_char(child)

    def _field_char(self, element: ET.Element) -> None:
        kind = element.get(w("fldCharType"))
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields and not self.fields[-1].in_result:
            top = self.fields[-1]
            top.in_result = True
            if _is_contents("".join(top.instruction)):
                top.hides_result = True
                self.content.toc += 1
        elif kind == "end" and self.fields:
            self.fields.pop()

    def graphic(self, element: ET.Element, stories: list[ET.Element]) -> None:
        """A drawing, VML picture or object: its text boxes are kept for reading, anything else counted."""
        if element.tag == f"{{{_MC}}}AlternateContent":
            chosen = _choice(element)
            if chosen is None:
                return
            element = chosen
        found = list(_text_boxes(element))
        if not found or next(_images(element), None) is not None:
            self.content.graphics += 1
        self.content.textboxes += len(found)
        stories.extend(found)

    def read_stories(self, stories: list[ET.Element], out: list[DocxParagraph]) -> None:
        """The paragraphs of text boxes, after the paragraph anchoring them; each box is a story of its own."""
        saved_fields, saved_carry = self.fields, self.carry
        for story in stories:
            self.fields, self.carry = [], []
            found: list[DocxParagraph] = []
            self.blocks(story, found)
            for paragraph in found:
                paragraph.in_textbox = True
            out.extend(p for p in found if p.text.strip())
        self.fields, self.carry = saved_fields, saved_carry


_TEXT_MARKS = {
    w("tab"): lambda e: "\t",
    w("ptab"): lambda e: "\t",
    w("br"): lambda e: "" if e.get(w("type")) in ("page", "column") else "\n",
    w("cr"): lambda e: "\n",
    w("noBreakHyphen"): lambda e: "-",
}
_CONTAINERS = {w(n) for n in ("hyperlink", "smartTag", "customXml", "dir", "bdo", "sdtContent")}
_GRAPHICS = {w("drawing"), w("pict"), w("object"), f"{{{_MC}}}AlternateContent"}
_IMAGES = {
    "{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
    "{urn:schemas-microsoft-com:vml}imagedata",
}


def _is_contents(instruction: str) -> bool:
    return instruction.strip().upper().startswith("TOC")


def _choice(element: ET.Element) -> ET.Element | None:
    """The branch of mc:AlternateContent to read: the first Choice (what Word shows), else the Fallback."""
    choice = element.find(f"{{{_MC}}}Choice")
    return choice if choice is not None else element.find(f"{{{_MC}}}Fallback")


def _text_boxes(element: ET.Element):
    """The outermost w:txbxContent stories inside a graphic (nested ones are read with their outer box)."""
    for child in element:
        if child.tag == w("txbxContent"):
            yield child
        else:
            yield from _text_boxes(child)


def _images(element: ET.Element):
    """Pictures inside a graphic, not counting those inside its text boxes."""
    for child in element:
        if child.tag in _IMAGES:
            yield child
        elif child.tag != w("txbxContent"):
            yield from _images(child)


def _children(parent: ET.Element, tag: str):
    """Children with `tag`, looking through content controls and custom XML that may wrap them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml"), w("ins")):
            yield from _children(child, tag)


def _cell_text(texts: list[str]) -> str:
    """A cell's paragraphs on one line: joined directly after punctuation, else by a space."""
    out = ""
    for text in (t.replace("\n", " ").replace("\t", " ").strip() for t in texts):
        if not text:
            continue
        if out and not unicodedata.category(out[-1]).startswith("P"):
            out += " "
        out += text
    return out


def read_docx_content(data: bytes) -> DocxContent:
    """Read a .docx's bytes into paragraphs and counts, or raise DocxError with the reason in Chinese."""
    package = open_package(data)
    with package, damage_as_docx_error():
        main = related(package, "", "officeDocument", "word/document.xml")
        if main not in package.NameToInfo:
            raise DocxError(NO_BODY)
        styles = Styles(parse_part(package, related(package, main, "styles", "word/styles.xml")))
        numbering_part = parse_part(package, related(package, main, "numbering", "word/numbering.xml"))
        reader = _Reader(styles, Numbering(numbering_part, styles.numbering_styles))
        found = reader.content.paragraphs
        builder = BodyBuilder(lambda block: reader.block(block, found), lambda row: reader.row(row, found))
        parse_part(package, main, builder)
        reader.flush_carry(found, False)
    if not builder.saw_body:
        raise DocxError(builder.missing_body_reason())
    return reader.content
