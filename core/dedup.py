"""Near-duplicate grouping: the same passage in several documents becomes one bank entry."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

_NOISE = re.compile(r"[^\u3400-\u9fffA-Za-z]+")
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


def fingerprint(kind: str, template: str) -> Fingerprint:
    """Fingerprint a passage from its template; figures, placeholders and punctuation do not count."""
    key = hashlib.blake2b(f"{kind}|{_NOISE.sub('', template)}".encode(), digest_size=12).hexdigest()
    clauses = {_digest(c) for c in (_NOISE.sub("", part) for part in _CLAUSES.split(template)) if len(c) >= MIN_CLAUSE}
    return Fingerprint(key, tuple(sorted(clauses)))


class Grouper:
    """Assigns passages to entries as they arrive: an equal key, or clauses with Jaccard ≥ 0.5, joins."""

    def __init__(self) -> None:
        self.entry_of_key: dict[str, int] = {}
        self._holders: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._clause_count: dict[int, int] = {}
        self._kinds: dict[int, str] = {}

    def add(self, kind: str, fp: Fingerprint, new_entry: int) -> int:
        """Return the entry the passage belongs to; new_entry is used when it starts a group of its own."""
        found = self.entry_of_key.get(fp.key)
        if found is not None:
            return found
        entry = self._near(kind, fp)
        if entry is None:
            entry = new_entry
        self.entry_of_key[fp.key] = entry
        # Later passages compare against this wording too; its clause count is its set size.
        owner = len(self._clause_count)
        self._clause_count[owner] = len(fp.clauses)
        self._kinds[owner] = kind
        for c in fp.clauses:
            self._holders[c].append((owner, entry))
        return entry

    def _near(self, kind: str, fp: Fingerprint) -> int | None:
        if len(fp.clauses) < 2:
            return None
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for c in fp.clauses:
            holders = self._holders.get(c)
            if not holders or len(holders) > COMMON_CLAUSE:
                continue
            for holder in holders:
                if self._kinds[holder[0]] == kind:
                    shared[holder] += 1
        best, best_score = None, NEAR_JACCARD
        mine = len(fp.clauses)
        for (owner, entry), count in shared.items():
            if count < 2:
                continue
            score = count / (mine + self._clause_count[owner] - count)
            if score >= best_score:
                best, best_score = entry, score
        return best


def group(kinds: Sequence[str], prints: Sequence[Fingerprint]) -> list[int]:
    """Group a list of passages at once; returns each passage's entry number."""
    grouper = Grouper()
    out: list[int] = []
    for kind, fp in zip(kinds, prints):
        out.append(grouper.add(kind, fp, len(out)))
    return out
