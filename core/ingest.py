"""Per-file import work that can run in a worker process: parse, segment and fingerprint."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from core.corpus import parse_file
from core.decode import SourceError
from core.dedup import fingerprint
from core.models import Document, Skipped
from core.segment import joined
from core.structure import split_items


@dataclass
class IndexedPassage:
    """Search data computed for one passage, aligned with Document.passages."""

    tokens: str
    heading_tokens: str
    dup_key: str
    clauses: bytes


@dataclass
class ParsedFile:
    """One file ready for the bank: its documents and their search data."""

    path: str
    checksum: str
    size: int
    encoding: str
    documents: list[Document]
    passages: list[list[IndexedPassage]] = field(default_factory=list)
    section_tokens: list[list[str]] = field(default_factory=list)


def _paragraph_tokens(text: str, item_cache: dict[str, str]) -> str:
    items = split_items(text)
    if not items:
        return joined(text)
    for item in items:
        item_cache[item] = joined(item)
    intro = text[: text.find(items[0])]
    return " ".join(t for t in [joined(intro), *(item_cache[i] for i in items)] if t)


def index_document(doc: Document) -> tuple[list[IndexedPassage], list[str]]:
    """Segment and fingerprint a parsed document's passages and headings."""
    indexed: list[IndexedPassage] = []
    item_cache: dict[str, str] = {}
    for passage in doc.passages:
        if passage.kind == "item" and passage.text in item_cache:
            tokens = item_cache[passage.text]
        elif passage.kind == "paragraph":
            tokens = _paragraph_tokens(passage.text, item_cache)
        else:
            tokens = joined(passage.text)
        fp = fingerprint(passage.kind, passage.text)
        indexed.append(
            IndexedPassage(tokens, joined(passage.heading), fp.key, struct.pack(f"<{len(fp.clauses)}q", *fp.clauses))
        )
    return indexed, [joined(s.heading) for s in doc.sections]


def ingest(path: str) -> ParsedFile | Skipped:
    """Import one file's content for the bank, or say why it cannot be imported."""
    try:
        source, documents = parse_file(path)
    except SourceError as exc:
        return Skipped(path, str(exc))
    except (UnicodeError, ValueError, OSError, MemoryError) as exc:
        return Skipped(path, f"无法读取：{type(exc).__name__}")
    if not any(d.passages or d.sections for d in documents):
        return Skipped(path, "没有找到正文（可能只有网页导航或广告）")
    parsed = ParsedFile(str(Path(path)), source.checksum, source.size, source.encoding, documents)
    for doc in documents:
        passages, sections = index_document(doc)
        parsed.passages.append(passages)
        parsed.section_tokens.append(sections)
    return parsed
