"""From a source file to its documents: cleaning, splitting compilations, finding titles."""

from __future__ import annotations

import re
from pathlib import Path

from core.clean import clean_blocks
from core.decode import read_source
from core.models import Block, Document, SourceText
from core.structure import build_document, match_heading

_PART_MARK = re.compile(r"^(.{2,60}?)篇\s*(\d{1,3})$")
_TITLE_WORDS = re.compile(r"总结|计划|报告|汇报|讲话|思路|安排|打算|谋划|要点|方案|意见|发言|述职|致辞|汇编")
MAX_TITLE = 50
MIN_DOCUMENT_CHARS = 300


def _is_title_line(block: Block) -> bool:
    text = block.text
    if block.is_title:
        return True
    return (
        4 <= len(text) <= MAX_TITLE
        and text[-1] not in "。！？!?；;：:，,、…"
        and _TITLE_WORDS.search(text) is not None
        and match_heading(text) is None
        and block.style_level is None
    )


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


def _split_by_titles(blocks: list[Block], fallback: str) -> list[tuple[str, list[Block]]]:
    parts: list[tuple[str, list[Block]]] = []
    title, body = fallback, []
    prev_blank = True
    for block in blocks:
        if not block.text:
            prev_blank = True
            continue
        if (prev_blank or not body) and _is_title_line(block):
            parts.append((title, body))
            title, body = block.text, []
        else:
            body.append(block)
        prev_blank = False
    parts.append((title, body))
    merged: list[tuple[str, list[Block]]] = []
    for part_title, part_body in parts:
        size = sum(len(b.text) for b in part_body)
        if not part_body:
            continue
        if not merged and size < MIN_DOCUMENT_CHARS and not any("。" in b.text for b in part_body):
            continue  # a compilation's cover line, not a document
        if merged and size < MIN_DOCUMENT_CHARS:
            prev_title, prev_body = merged[-1]
            merged[-1] = (prev_title, [*prev_body, Block(part_title), *part_body])
        else:
            merged.append((part_title, part_body))
    return merged


def split_documents(blocks: list[Block], fallback_title: str) -> list[tuple[str, list[Block]]]:
    """Split a file's cleaned paragraphs into (title, paragraphs) documents."""
    return _split_by_parts(blocks) or _split_by_titles(blocks, fallback_title)


def documents_from_source(source: SourceText) -> list[Document]:
    """Clean a decoded file and parse each document it holds."""
    blocks = clean_blocks(source.blocks)
    stem = Path(source.path).stem
    return [
        build_document(title, source.path, body, index)
        for index, (title, body) in enumerate(split_documents(blocks, stem))
    ]


def parse_file(path: str | Path) -> tuple[SourceText, list[Document]]:
    """Read and parse one file; raises decode.SourceError with the reason when it cannot be read."""
    source = read_source(path)
    return source, documents_from_source(source)
