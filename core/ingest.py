"""Per-file import work that can run in a worker process: parse, segment and fingerprint."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

from bigan.core.corpus import documents_from_source
from bigan.core.decode import SourceError, read_source
from bigan.core.dedup import Fingerprint, fingerprint
from bigan.core.models import Document, Passage, Skipped
from bigan.core.segment import joined
from bigan.core.structure import item_heading, split_items
from bigan.core.topics import encode, term_topics, topic_weights


@dataclass
class IndexedPassage:
    """Search data computed for one passage, aligned with Document.passages."""

    tokens: str
    heading_tokens: str
    fingerprint: Fingerprint
    topics: str = ""
    # The distinct words of tokens and of heading_tokens as numbers into ParsedFile.words (array "i" bytes).
    words: bytes = b""
    heading_words: bytes = b""


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
    words: list[str] = field(default_factory=list)  # the file's indexed words, numbered by their place here


def numbers(packed: bytes) -> array:
    """The numbers in IndexedPassage.words or heading_words."""
    found = array("i")
    found.frombytes(packed)
    return found


def _with_heading(text: str, heading: str) -> tuple[str, str]:
    """Segment text once, split where its small heading ends, so the heading costs no second pass."""
    end = text.find(heading) + len(heading) if heading else -1
    if not heading or end < len(heading):
        return joined(text), joined(heading)
    head = joined(text[:end])
    rest = joined(text[end:])
    return f"{head} {rest}".strip(), head


def passage_words(
    kind: str, text: str, heading: str, items: dict[tuple[str, str], tuple[str, str]] | None = None
) -> tuple[str, str]:
    """A passage's indexed words and its small heading's, as the bank's index holds them (the reader recomputes
    them from the text); `items` caches the words of a paragraph's items for the item passages that follow it."""
    items = {} if items is None else items
    if kind == "paragraph" and (parts := split_items(text)):
        for item in parts:
            key = (item, item_heading(item))
            if key not in items:
                items[key] = _with_heading(*key)
        intro = joined(text[: text.find(parts[0])])
        tokens = " ".join(t for t in [intro, *(items[(i, item_heading(i))][0] for i in parts)] if t)
        return tokens, joined(heading) if heading else ""
    key = (text, heading)
    if kind == "item" and key in items:
        return items[key]
    return _with_heading(text, heading)


def passage_topics(tokens: str, head: str) -> str:
    """A passage's thesaurus topics from its words, the small heading's counting double, encoded for the bank."""
    return _topics(tokens.split(), head.split())


def _topics(words: list[str], heads: list[str]) -> str:
    found = term_topics().__contains__
    return encode(topic_weights([(w, 1.0) for w in filter(found, words)] + [(w, 2.0) for w in filter(found, heads)]))


def _index_passages(passages: list[Passage]) -> tuple[list[IndexedPassage], list[list[str]]]:
    """The passages' search data (their words not numbered yet), and each one's words as a list."""
    indexed: list[IndexedPassage] = []
    split: list[list[str]] = []
    items: dict[tuple[str, str], tuple[str, str]] = {}
    for passage in passages:
        tokens, head = passage_words(passage.kind, passage.text, passage.heading, items)
        words, heads = tokens.split(), head.split()
        fp = fingerprint(passage.kind, passage.template)
        indexed.append(IndexedPassage(tokens, head, fp, _topics(words, heads)))
        split.append(words)
    return indexed, split


def _number_words(parsed: ParsedFile, split: list[list[list[str]]]) -> None:
    """Give the file's passages their distinct words as numbers into parsed.words (split: each passage's words)."""
    distinct = [
        [(set(words), set(ix.heading_tokens.split())) for words, ix in zip(doc_split, indexed)]
        for doc_split, indexed in zip(split, parsed.passages)
    ]
    vocabulary: set[str] = set()
    for doc in distinct:
        for words, heads in doc:
            vocabulary.update(words, heads)
    parsed.words = list(vocabulary)
    number = dict(zip(parsed.words, range(len(parsed.words)))).__getitem__
    for doc, indexed in zip(distinct, parsed.passages):
        for (words, heads), ix in zip(doc, indexed):
            ix.words = array("i", map(number, words)).tobytes()
            ix.heading_words = array("i", map(number, heads)).tobytes()


def _section_topics(doc: Document, split: list[list[str]], heading_tokens: list[str]) -> list[str]:
    """Topics of each section from its heading (weighted 3) and the paragraphs written directly under it."""
    index = term_topics()  # only thesaurus words weigh
    words: list[list[tuple[str, float]]] = [[(w, 3.0) for w in h.split() if w in index] for h in heading_tokens]
    for passage, found in zip(doc.passages, split):
        if passage.section is not None and passage.kind == "paragraph":
            words[passage.section].extend((w, 1.0) for w in filter(index.__contains__, found))
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
    split = []
    for doc in documents:
        indexed, words = _index_passages(doc.passages)
        headings = [joined(s.heading) for s in doc.sections]
        parsed.passages.append(indexed)
        parsed.section_tokens.append(headings)
        parsed.section_topics.append(_section_topics(doc, words, headings))
        split.append(words)
    _number_words(parsed, split)
    return parsed
