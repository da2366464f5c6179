"""Per-file import work that can run in a worker process: parse, segment and fingerprint."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bigan.core.corpus import documents_from_source
from bigan.core.decode import SourceError, read_source
from bigan.core.dedup import Fingerprint, fingerprint
from bigan.core.models import Document, Passage, Skipped
from bigan.core.segment import joined
from bigan.core.structure import split_items
from bigan.core.topics import encode, topic_weights


@dataclass
class IndexedPassage:
    """Search data computed for one passage, aligned with Document.passages."""

    tokens: str
    heading_tokens: str
    fingerprint: Fingerprint
    topics: str = ""


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
    section_topics: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _with_heading(text: str, heading: str) -> tuple[str, str]:
    """Segment text once, split where its small heading ends, so the heading costs no second pass."""
    end = text.find(heading) + len(heading) if heading else -1
    if not heading or end < len(heading):
        return joined(text), joined(heading)
    head = joined(text[:end])
    rest = joined(text[end:])
    return f"{head} {rest}".strip(), head


def _index_passages(passages: list[Passage]) -> list[IndexedPassage]:
    indexed: list[IndexedPassage] = []
    item_tokens: dict[str, tuple[str, str]] = {}
    item_heads = {p.text: p.heading for p in passages if p.kind == "item"}
    for passage in passages:
        if passage.kind == "item" and passage.text in item_tokens:
            tokens, head = item_tokens[passage.text]
        elif passage.kind == "paragraph" and (items := split_items(passage.text)):
            for item in items:
                item_tokens[item] = _with_heading(item, item_heads.get(item, ""))
            intro = joined(passage.text[: passage.text.find(items[0])])
            tokens = " ".join(t for t in [intro, *(item_tokens[i][0] for i in items)] if t)
            head = joined(passage.heading) if passage.heading else ""
        else:
            tokens, head = _with_heading(passage.text, passage.heading)
        weights = topic_weights([(w, 1.0) for w in tokens.split()] + [(w, 2.0) for w in head.split()])
        indexed.append(IndexedPassage(tokens, head, fingerprint(passage.kind, passage.template), encode(weights)))
    return indexed


def _section_topics(doc: Document, indexed: list[IndexedPassage], heading_tokens: list[str]) -> list[str]:
    """Topics of each section from its heading (weighted 3) and the paragraphs written directly under it."""
    words: list[list[tuple[str, float]]] = [[(w, 3.0) for w in h.split()] for h in heading_tokens]
    for passage, ix in zip(doc.passages, indexed):
        if passage.section is not None and passage.kind == "paragraph":
            words[passage.section].extend((w, 1.0) for w in ix.tokens.split())
    return [encode(topic_weights(w)) for w in words]


def ingest(path: str, converted: str | None = None) -> ParsedFile | Skipped:
    """Import one file's content for the bank (through its converted .docx if given), or say why it cannot be."""
    try:
        source = read_source(path, converted)
        documents = documents_from_source(source)
    except SourceError as exc:
        return Skipped(path, str(exc))
    except (UnicodeError, ValueError, OSError, MemoryError) as exc:
        return Skipped(path, f"无法读取：{type(exc).__name__}")
    if not any(d.passages or d.sections for d in documents):
        return Skipped(path, "没有找到正文（可能只有网页导航或广告）")
    return indexed_file(str(Path(path)), source.checksum, source.size, source.encoding, documents, source.notes)


def indexed_file(
    path: str, checksum: str, size: int, encoding: str, documents: list[Document], notes: list[str] | None = None
) -> ParsedFile:
    """Documents read from one file, with the search data the bank stores for them (words, topics, fingerprints)."""
    parsed = ParsedFile(path, checksum, size, encoding, documents, notes=list(notes or []))
    for doc in documents:
        indexed = _index_passages(doc.passages)
        headings = [joined(s.heading) for s in doc.sections]
        parsed.passages.append(indexed)
        parsed.section_tokens.append(headings)
        parsed.section_topics.append(_section_topics(doc, indexed, headings))
    return parsed
