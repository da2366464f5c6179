"""Which body words the user's own corpus writes under headings with a given word (干净 → 廉洁), mined offline.

Counted over sections: a heading word h and a body word b go together when b is written under headings holding h
(the section's own paragraphs and its children's) more often than under headings in general. A pair is scored by
its share of the divergence between the two distributions, P(b|h)·log(P(b|h)/P(b)), which favours words that are
both typical of the heading and telling (PMI alone would favour words seen twice); each heading word's best pair
scores 1.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter, defaultdict

MIN_TOGETHER = 3
PER_TERM = 20
# A body word written under more than this share of sections says nothing about any heading.
COMMON_SHARE = 0.25
# Only a section's rarest body words are counted: they carry its meaning and keep the counting linear.
BODY_WORDS = 80


def _bodies(conn: sqlite3.Connection) -> dict[int, set[str]]:
    """Each section's body words: its own paragraphs' and those of the sections directly under it."""
    own: dict[int, set[str]] = defaultdict(set)
    for section, tokens in conn.execute(
        "select section_id, tokens from passages where kind = 'paragraph' and section_id is not null"
    ):
        own[section].update(tokens.split())
    bodies = {s: set(words) for s, words in own.items()}
    for child, parent in conn.execute("select id, parent_id from sections where parent_id is not null"):
        if child in own:
            bodies.setdefault(parent, set()).update(own[child])
    return bodies


def mine(conn: sqlite3.Connection) -> list[tuple[str, str, float]]:
    """(heading word, body word, strength 0–1) for the pairs the corpus shows, strongest first per heading word."""
    bodies = _bodies(conn)
    headings = {
        sid: set(tokens.split())
        for sid, tokens in conn.execute("select id, tokens from sections")
        if sid in bodies and tokens
    }
    sections = len(headings)
    if sections < 2:
        return []
    body_df: Counter[str] = Counter()
    for sid in headings:
        body_df.update(bodies[sid])
    common = COMMON_SHARE * sections
    head_df: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for sid, heads in headings.items():
        body = [w for w in bodies[sid] if MIN_TOGETHER <= body_df[w] <= common]
        body.sort(key=lambda w: (body_df[w], w))
        body = body[:BODY_WORDS]
        head_df.update(heads)
        for h in heads:
            for b in body:
                if b != h:
                    together[h, b] += 1
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (h, b), n in together.items():
        if n < MIN_TOGETHER:
            continue
        given = n / head_df[h]
        base = body_df[b] / sections
        if given > base:
            best[h].append((given * math.log(given / base), b))
    rows = []
    for h, pairs in best.items():
        pairs.sort(reverse=True)
        top = pairs[0][0]
        rows.extend((h, b, round(score / top, 3)) for score, b in pairs[:PER_TERM])
    return rows
