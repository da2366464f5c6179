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

import math
import sqlite3
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import chain, product

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
# Pair counts held at once: more, and the heading words are counted in several passes.
PAIRS_AT_ONCE = 250_000
# Share of the sections added or removed since the last mining that makes the next import mine again.
REMINE_SHARE = 0.1

Section = tuple[frozenset[str], set[str]]  # (heading words, body words)


def _document_sections(conn: sqlite3.Connection, sample: float, new_from: int | None) -> Iterator[list[Section]]:
    """Each (sampled) document's headed sections with their body words: own paragraphs' and direct children's.

    Documents from new_from on (this build's) have their sections' words in scratch.section_words; the others'
    are segmented again from their paragraphs, exactly as the index was built.
    """
    new_from = new_from if new_from is not None else 1 << 62
    joined = "scratch.section_words" if new_from < 1 << 62 else "(select null as section_id, null as words)"
    sections = conn.execute(
        f"select s.document_id, s.id, s.parent_id, s.tokens, w.words from sections s left join {joined} w"
        " on w.section_id = s.id order by s.document_id, s.id"
    )
    paragraphs = conn.execute(
        "select p.document_id, p.section_id, t.text, null from passages p join passage_texts t on t.id = p.id"
        " where p.kind = 'paragraph' and p.section_id is not null and p.document_id < ? order by p.document_id, p.id",
        [new_from],
    )
    pending = next(paragraphs, None)
    batch: list[tuple[int, int | None, str]] = []
    own: dict[int, set[str]] = {}
    current, keep = None, False
    for document, sid, parent, tokens, stored in chain(sections, [(None, 0, None, "", None)]):
        if document != current and current is not None:
            while pending is not None and pending[0] < current:
                pending = next(paragraphs, None)
            while pending is not None and pending[0] == current:
                if batch:
                    words = passage_words("paragraph", pending[2], lead_sentence(pending[2]))[0]
                    own.setdefault(pending[1], set()).update(words.split())
                pending = next(paragraphs, None)
            if batch:
                yield _bodies(batch, own)
            batch, own = [], {}
        if document is None:
            break
        if document != current:
            current = document
            keep = sample >= 1 or (document * 2654435761) % 1_000_003 < sample * 1_000_003
        if keep:
            batch.append((sid, parent, tokens or ""))
            if stored:
                own[sid] = set(stored.split())


def _bodies(batch: list[tuple[int, int | None, str]], own: dict[int, set[str]]) -> list[Section]:
    bodies = {sid: set(words) for sid, words in own.items()}
    for sid, parent, _ in batch:
        if parent is not None and sid in own:
            bodies.setdefault(parent, set()).update(own[sid])
    return [(frozenset(tokens.split()), bodies[sid]) for sid, _, tokens in batch if sid in bodies and tokens]


def _sample(conn: sqlite3.Connection) -> float:
    """Share of documents counted: all of them up to MAX_SECTIONS sections."""
    (sections,) = conn.execute("select count(*) from sections").fetchone()
    return 1.0 if sections <= MAX_SECTIONS else MAX_SECTIONS / sections


def mine(conn: sqlite3.Connection, new_from: int | None = None) -> list[tuple[str, str, float]]:
    """(heading word, body word, strength 0–1) for the pairs the corpus shows, strongest first per heading word;
    documents from new_from on have their words in scratch.section_words."""
    sample = _sample(conn)
    sections = 0
    body_df: Counter[str] = Counter()
    head_df: Counter[str] = Counter()
    for document in _document_sections(conn, sample, new_from):
        for heads, body in document:
            sections += 1
            body_df.update(body)
            head_df.update(heads)
    if sections < 2:
        return []
    common = COMMON_SHARE * sections
    # Words are counted by number and pairs as one number; the pairs are counted a share of heading words at a time.
    number = {w: i for i, w in enumerate(body_df)}
    width = len(number) + 1
    # Rarest first (ties by the word): one global order, so each section's choice is a sort on a number.
    order = {w: i for i, w in enumerate(sorted(body_df, key=lambda w: (body_df[w], w)))}
    rank = order.__getitem__
    heads_of: dict[str, int] = {}
    chosen: list[tuple[array, array]] = []
    increments = 0
    for document in _document_sections(conn, sample, new_from):
        for heads, body in document:
            words = [w for w in body if MIN_TOGETHER <= body_df[w] <= common]
            words.sort(key=rank)
            ids = array("i", [number[w] for w in words[:BODY_WORDS]])
            hids = array("i", [heads_of.setdefault(h, len(heads_of)) for h in heads])
            chosen.append((hids, ids))
            increments += len(hids) * len(ids)
    word = list(number)
    head = list(heads_of)
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    parts = max(1, math.ceil(increments / PAIRS_AT_ONCE))
    for part in range(parts):
        together: Counter[int] = Counter()
        for hids, ids in chosen:
            mine_heads = [h for h in hids if h % parts == part] if parts > 1 else hids
            if mine_heads and ids:
                together.update(h * width + b for h, b in product(mine_heads, ids))
        for key, n in together.items():
            if n < MIN_TOGETHER:
                continue
            h, b = head[key // width], word[key % width]
            if b == h:
                continue
            given = n / head_df[h]
            base = body_df[b] / sections
            if given > base:
                best[h].append((given * math.log(given / base), b))
        del together
    rows = []
    for h, pairs in best.items():
        pairs.sort(reverse=True)
        top = pairs[0][0]
        rows.extend((h, b, round(score / top, 3)) for score, b in pairs[:PER_TERM])
    return rows


def _meta(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("select value from meta where key = ?", [key]).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def refresh(conn: sqlite3.Connection, added: int, new_from: int | None = None) -> bool:
    """After an import that added `added` sections (documents from new_from on, their words in
    scratch.section_words): mine the pairs again when the bank has changed enough since the last mining (always for a
    new bank), else keep them. Returns whether it mined."""
    basis = _meta(conn, "associations_basis")
    since = _meta(conn, "associations_added") + added
    (now,) = conn.execute("select count(*) from sections").fetchone()
    removed = max(0, basis + since - now)
    mined = basis == 0 or since + removed >= REMINE_SHARE * max(basis, now)
    if mined:
        conn.execute("delete from associations")
        conn.executemany("insert into associations (term, word, weight) values (?,?,?)", mine(conn, new_from))
        basis, since = now, 0
    conn.executemany(
        "insert or replace into meta (key, value) values (?, ?)",
        [("associations_basis", str(basis)), ("associations_added", str(since))],
    )
    return mined
