"""From a source file to its documents: cleaning, splitting compilations, finding each one's title and date."""

from __future__ import annotations

import re
from pathlib import Path

from bigan.core.clean import clean_blocks
from bigan.core.decode import read_source
from bigan.core.frame import read_frame, title_like
from bigan.core.fsnames import display
from bigan.core.headings import match_heading
from bigan.core.models import Block, Document, SourceText
from bigan.core.script import simplify_blocks
from bigan.core.structure import build_document

_PART_MARK = re.compile(r"^(.{2,60}?)篇\s*(\d{1,3})$")
# A title that starts a new document of a compilation names its year or its unit, not just a subject.
_OWN_TITLE = re.compile(
    r"(?:19|20)\d{2}|[xX×＊*]{2,4}年|年度|上半年|下半年|[省市县区州镇乡村局委办厅处室站所院校馆中心公司园]"
)
_DISCOURSE = re.compile(r"^(?:第[一二三四五六七八九十]+|首先|其次|再次|最后|下面|此外|同时|现将)")
# A compilation's cover line names the whole collection, not one document.
_COVER = re.compile(r"汇编|合集|汇总|选编|精选|范文|\d+篇|多篇")
MIN_DOCUMENT_CHARS = 300


def _part_title(line: str, number: str) -> str:
    base = re.sub(r"(?:多篇|\d+篇)$", "", line).strip()
    return f"{base}（{number}）"


def _split_by_parts(blocks: list[Block]) -> list[tuple[str, list[Block]]] | None:
    marks = [i for i, b in enumerate(blocks) if b.text and _PART_MARK.match(b.text)]
    if len(marks) < 2:
        return None
    parts = []
    for n, start in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else len(blocks)
        found = _PART_MARK.match(blocks[start].text)
        assert found is not None
        parts.append((_part_title(found.group(1), found.group(2)), blocks[start + 1 : end]))
    return parts


def _document_title(block: Block) -> bool:
    text = block.text
    return (
        (block.is_title or title_like(text))
        and _OWN_TITLE.search(text) is not None
        and not _DISCOURSE.match(text)
        and not _COVER.search(text)
    )


def _first_chapter_restarts(blocks: list[Block]) -> bool:
    """Whether the first level-1 heading after a candidate title starts again from 一 (a new document)."""
    for block in blocks:
        found = match_heading(block.text[:60]) if block.text else None
        if found is not None and found.level == 1:
            return found.number in ("一、", "")
    return True


def _split_by_titles(blocks: list[Block], fallback: str) -> list[tuple[str, list[Block]]]:
    """Split a compilation where a document title stands alone and its body starts numbering anew.

    Each part keeps its title line as its first paragraph, for read_frame to find.
    """
    starts = []
    prev_blank = True
    for i, block in enumerate(blocks):
        if not block.text:
            prev_blank = True
            continue
        if (
            (prev_blank or not starts)
            and _document_title(block)
            and (not starts or _first_chapter_restarts(blocks[i + 1 :]))
        ):
            starts.append(i)
        prev_blank = False
    if len(starts) < 2:
        return [(fallback, blocks)]
    parts = [(fallback, blocks[: starts[0]])] + [
        (blocks[s].text, blocks[s : (starts[n + 1] if n + 1 < len(starts) else len(blocks))])
        for n, s in enumerate(starts)
    ]
    merged: list[tuple[str, list[Block]]] = []
    carry: list[Block] = []
    for part_title, part_body in parts:
        if not merged and part_title == fallback and not any("。" in b.text for b in part_body):
            continue  # a compilation's cover line, not a document
        size = sum(len(b.text) for b in part_body[1:])
        if size < MIN_DOCUMENT_CHARS and not merged:
            carry = [*carry, *part_body]  # a page header repeating the title, or a cover: joins the next part
        elif size < MIN_DOCUMENT_CHARS:
            prev_title, prev_body = merged[-1]
            merged[-1] = (prev_title, [*prev_body, *part_body])
        else:
            merged.append((part_title, [*carry, *part_body]))
            carry = []
    if carry:
        merged.append((fallback, carry))
    return merged


def split_documents(blocks: list[Block], fallback_title: str) -> list[tuple[str, list[Block]]]:
    """Split a file's cleaned paragraphs into (title, paragraphs) documents."""
    return _split_by_parts(blocks) or _split_by_titles(blocks, fallback_title)


def documents_from_source(source: SourceText) -> list[Document]:
    """Clean a decoded file and parse each document it holds."""
    blocks, converted = simplify_blocks(source.blocks)
    blocks = clean_blocks(blocks)
    stem = display(Path(source.path).stem)
    documents = []
    for index, (title, body) in enumerate(split_documents(blocks, stem)):
        frame = read_frame(body, title)
        doc = build_document(frame.title, source.path, frame.blocks, index)
        doc.date, doc.year, doc.converted = frame.date, frame.year, converted
        documents.append(doc)
    return documents


def parse_file(path: str | Path) -> tuple[SourceText, list[Document]]:
    """Read and parse one file; raises decode.SourceError with the reason when it cannot be read."""
    source = read_source(path)
    return source, documents_from_source(source)
