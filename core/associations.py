"""Which body words the user's own corpus writes under headings with a given word (干净 → 廉洁), mined offline.

Counted over sections: a heading word h and a body word b go together when b is written under headings holding h
(the section's own paragraphs and its children's) more often than under headings in general. A pair is scored by
its share of the divergence between the two distributions, P(b|h)·log(P(b|h)/P(b)), which favours words that are
both typical of the heading and telling (PMI alone would favour words seen twice); each heading word's best pair
scores 1.

The words are segmented again from the bank's paragraphs, one document at a time, so memory holds the counts, never
the corpus; past MAX_SECTIONS sections a fixed sample of documents is counted.
After an import the pairs are mined again only once the bank has changed by REMINE_SHARE.
"""

from __future__ import annotations

import heapq
import math
import sqlite3
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain

from bigan.core.ingest import passage_words
from bigan.core.structure import lead_sentence

MIN_TOGETHER = 3
PER_TERM = 20
# A body word written under more than this share of sections says nothing about any heading.
COMMON_SHARE = 0.25
# Only a section's rarest body words are counted: they carry its meaning and keep the counting linear.
BODY_WORDS = 80
# Sections counted at most (a sample of whole documents beyond): the statistics settle long before.
MAX_SECTIONS = 30_000
# Pair counts held at once: more, and the heading words are counted in several passes. 100 000 peaks 10 MB lower
# than 250 000 at 40 MB and mines as fast.
PAIRS_AT_ONCE = 100_000
# Share of the sections added or removed since the last mining that makes the next import mine again.
REMINE_SHARE = 0.1

Section = tuple[frozenset[str], set[str]]  # (heading words, body words)
NumberedSection = tuple[array, array]  # (heading words, body words) by their numbers in a Words


class Words(dict):
    """Numbers for the words one mining meets, given in the order they come."""

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self)
        return number

    def numbers(self, words: Iterable[str]) -> array:
        """These words' numbers."""
        return array("i", map(self.__getitem__, words))


def document_sections(
    parents: Sequence[int | None], headings: Sequence[str], own: dict[int, set[int]], words: Words
) -> list[tuple[int, bytes, bytes]]:
    """(section index, heading words, body words) of a document's headed sections, the words as packed numbers in
    `words`: a section's body is its own paragraphs' words (own, by section index) and its direct children's."""
    number = words.__getitem__
    bodies = {i: set(w) for i, w in own.items()}
    for i, parent in enumerate(parents):
        if parent is not None and i in own:
            bodies.setdefault(parent, set()).update(own[i])
    return [
        (i, array("i", set(map(number, tokens.split()))).tobytes(), array("i", bodies[i]).tobytes())
        for i, tokens in enumerate(headings)
        if i in bodies and tokens
    ]


def _kept(document: int, sample: float) -> bool:
    return sample >= 1 or (document * 2654435761) % 1_000_003 < sample * 1_000_003


def _document_sections(
    conn: sqlite3.Connection, sample: float, new_from: int | None, words: Words
) -> Iterator[list[NumberedSection]]:
    """Each (sampled) document's headed sections with their body words: own paragraphs' and direct children's.

    Documents from new_from on (this build's) have their sections in scratch.mining_sections; the others' words are
    segmented again from their paragraphs, exactly as the index was built.
    """
    old_to = new_from if new_from is not None else 1 << 62
    sections = conn.execute(
        "select document_id, id, parent_id, tokens from sections where document_id < ? order by document_id, id",
        [old_to],
    )
    paragraphs = conn.execute(
        "select p.document_id, p.section_id, t.text, null from passages p join passage_texts t on t.id = p.id"
        " where p.kind = 'paragraph' and p.section_id is not null and p.document_id < ? order by p.document_id, p.id",
        [old_to],
    )
    pending = next(paragraphs, None)
    batch: list[tuple[int, int | None, str]] = []
    current, keep = None, False
    for document, sid, parent, tokens in chain(sections, [(None, 0, None, "")]):
        if document != current and current is not None:
            own: dict[int, set[str]] = {}
            while pending is not None and pending[0] < current:
                pending = next(paragraphs, None)
            while pending is not None and pending[0] == current:
                if batch:
                    found = passage_words("paragraph", pending[2], lead_sentence(pending[2]))[0]
                    own.setdefault(pending[1], set()).update(found.split())
                pending = next(paragraphs, None)
            if batch:
                index = {s: i for i, (s, _, _) in enumerate(batch)}
                rows = document_sections(
                    [index.get(p) if p is not None else None for _, p, _ in batch],
                    [t for _, _, t in batch],
                    {index[s]: set(map(words.__getitem__, w)) for s, w in own.items() if s in index},
                    words,
                )
                yield [(_numbers(heads), _numbers(body)) for _, heads, body in rows]
            batch = []
        if document is None:
            break
        if document != current:
            current = document
            keep = _kept(document, sample)
        if keep:
            batch.append((sid, parent, tokens or ""))
    if new_from is None:
        return
    stored = conn.execute(
        "select document_id, heads, body from scratch.mining_sections where document_id >= ? order by section_id",
        [new_from],
    )
    current, found = None, []
    for document, heads, body in chain(stored, [(None, b"", b"")]):
        if document != current:
            if found:
                yield found
            current, found = document, []
        if document is not None and _kept(document, sample):
            found.append((_numbers(heads), _numbers(body)))


def _numbers(packed: bytes) -> array:
    numbers = array("i")
    numbers.frombytes(packed)
    return numbers


def _sample(conn: sqlite3.Connection) -> float:
    """Share of documents counted: all of them up to MAX_SECTIONS sections."""
    (sections,) = conn.execute("select count(*) from sections").fetchone()
    return 1.0 if sections <= MAX_SECTIONS else MAX_SECTIONS / sections


def mine(
    conn: sqlite3.Connection, new_from: int | None = None, words: Words | None = None
) -> list[tuple[str, str, float]]:
    """(heading word, body word, strength 0–1) for the pairs the corpus shows, strongest first per heading word;
    documents from new_from on have their sections in scratch.mining_sections, numbered by `words`."""
    words = Words() if words is None else words
    sample = _sample(conn)
    sections = 0
    body_df: Counter[int] = Counter()
    head_df: Counter[int] = Counter()
    for document in _document_sections(conn, sample, new_from, words):
        for heads, body in document:
            sections += 1
            body_df.update(body)
            head_df.update(heads)
    if sections < 2:
        return []
    common = COMMON_SHARE * sections
    name = list(words)
    # Rarest first (ties by the word): one global order, so each section's choice is a sort of its words' ranks.
    # Words too rare or too common rank past every other (`beyond`) and are cut off with them.
    ranked = sorted((w for w, n in body_df.items() if MIN_TOGETHER <= n <= common), key=lambda w: (body_df[w], name[w]))
    beyond = len(ranked)
    rank_of = array("i", [beyond]) * len(name)
    for r, w in enumerate(ranked):
        rank_of[w] = r
    width = beyond + 1
    chosen: list[tuple[array, array]] = []
    increments = 0
    for document in _document_sections(conn, sample, new_from, words):
        for heads, body in document:
            ranks = sorted(map(rank_of.__getitem__, body))
            ranks = array("i", ranks[: min(bisect_left(ranks, beyond), BODY_WORDS)])
            chosen.append((heads, ranks))
            increments += len(heads) * len(ranks)
    # Each heading word's PER_TERM strongest so far (a heap, weakest first): memory bounded by the vocabulary.
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    parts = max(1, math.ceil(increments / PAIRS_AT_ONCE))
    for part in range(parts):
        together: Counter[int] = Counter()
        for heads, ranks in chosen:
            if not ranks:
                continue
            for h in heads:
                if parts == 1 or h % parts == part:
                    together.update(map((h * width).__add__, ranks))
        for key, n in together.items():
            if n < MIN_TOGETHER:
                continue
            h, r = divmod(key, width)
            b = ranked[r]
            if b == h:
                continue
            given = n / head_df[h]
            base = body_df[b] / sections
            if given > base:
                kept = best[name[h]]
                pair = (given * math.log(given / base), name[b])
                if len(kept) < PER_TERM:
                    heapq.heappush(kept, pair)
                elif pair > kept[0]:
                    heapq.heapreplace(kept, pair)
        del together
    rows = []
    for h, found in sorted(best.items()):  # in word order, however many passes counted them
        found.sort(reverse=True)
        top = found[0][0]
        rows.extend((h, b, round(score / top, 3)) for score, b in found)
    return rows


def _meta(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("select value from meta where key = ?", [key]).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def refresh(conn: sqlite3.Connection, added: int, new_from: int | None = None, words: Words | None = None) -> bool:
    """After an import that added `added` sections (documents from new_from on, their sections in
    scratch.mining_sections numbered by `words`): mine the pairs again when the bank has changed enough since the last
    mining (always for a new bank), else keep them. Returns whether it mined."""
    basis = _meta(conn, "associations_basis")
    since = _meta(conn, "associations_added") + added
    (now,) = conn.execute("select count(*) from sections").fetchone()
    removed = max(0, basis + since - now)
    mined = basis == 0 or since + removed >= REMINE_SHARE * max(basis, now)
    if mined:
        conn.execute("delete from associations")
        conn.executemany("insert into associations (term, word, weight) values (?,?,?)", mine(conn, new_from, words))
        basis, since = now, 0
    conn.executemany(
        "insert or replace into meta (key, value) values (?, ?)",
        [("associations_basis", str(basis)), ("associations_added", str(since))],
    )
    return mined
