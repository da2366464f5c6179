"""Near-duplicate grouping: the same passage in several documents becomes one bank entry."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from core.placeholders import to_template

_NOISE = re.compile(r"[^\u3400-\u9fffA-Za-z]+|[xX×]+")
_CLAUSES = re.compile(r"[，,。；;：:！？!?、“”（）()《》\s]+")
MIN_CLAUSE = 6
NEAR_JACCARD = 0.5
# A clause carried by more passages than this is boilerplate, not evidence of copying.
COMMON_CLAUSE = 40


@dataclass(frozen=True)
class Fingerprint:
    """What dedup compares: an exact key over the wording and hashes of the passage's longer clauses."""

    key: str
    clauses: tuple[int, ...]


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def fingerprint(kind: str, text: str) -> Fingerprint:
    """Fingerprint a passage; figures, placeholders and punctuation do not count."""
    template = to_template(text)
    key = hashlib.blake2b(f"{kind}|{_NOISE.sub('', template)}".encode(), digest_size=12).hexdigest()
    clauses = {
        _digest(c) for c in (_NOISE.sub("", part) for part in _CLAUSES.split(template)) if len(c) >= MIN_CLAUSE
    }
    return Fingerprint(key, tuple(sorted(clauses)))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group(kinds: Sequence[str], prints: Sequence[Fingerprint]) -> list[int]:
    """Assign each passage a group number; equal keys, or clause sets with Jaccard ≥ 0.5, share one."""
    uf = _UnionFind(len(prints))
    first_by_key: dict[str, int] = {}
    by_clause: dict[int, list[int]] = defaultdict(list)
    for i, fp in enumerate(prints):
        seen = first_by_key.setdefault(fp.key, i)
        if seen != i:
            uf.union(seen, i)
            continue
        for c in fp.clauses:
            by_clause[c].append(i)
    for i, fp in enumerate(prints):
        if first_by_key[fp.key] != i or len(fp.clauses) < 2:
            continue
        shared: dict[int, int] = defaultdict(int)
        for c in fp.clauses:
            holders = by_clause[c]
            if len(holders) > COMMON_CLAUSE:
                continue
            for j in holders:
                if j > i and kinds[j] == kinds[i]:
                    shared[j] += 1
        mine = len(fp.clauses)
        for j, count in shared.items():
            if count >= 2 and count / (mine + len(prints[j].clauses) - count) >= NEAR_JACCARD:
                uf.union(i, j)
    return [uf.find(i) for i in range(len(prints))]
