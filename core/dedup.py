"""Near-duplicate grouping: the same passage in several documents becomes one bank entry."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_CLAUSES = re.compile(r"[，,。；;：:！？!?、“”（）()《》\s]+")
# What a fingerprint ignores inside a clause. The clause breaks are marked with _BREAK first (after any _BREAK the
# template held was dropped), so one pass strips every clause.
_NOISE_BUT_BREAKS = re.compile(r"[^\u3400-\u9fffA-Za-z\x00]+")
_BREAK = "\x00"
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
    # Clause breaks are noise too: the cleaned clauses joined are the cleaned template.
    marked = _CLAUSES.sub(_BREAK, template.replace(_BREAK, ""))
    parts = _NOISE_BUT_BREAKS.sub("", marked).split(_BREAK)
    key = hashlib.blake2b(f"{kind}|{''.join(parts)}".encode(), digest_size=8).hexdigest()
    clauses = {_digest(c) for c in parts if len(c) >= MIN_CLAUSE}
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


DEDUP_SCHEMA = (
    "create table if not exists dedup_keys (key blob primary key, entry integer) without rowid",
    "create table if not exists dedup_owners (id integer primary key, kind text, clauses integer, entry integer)",
    "create table if not exists dedup_clauses (clause integer, owner integer, primary key (clause, owner))"
    " without rowid",
    # Clauses held by more than COMMON_CLAUSE wordings: boilerplate, never evidence again, so their holders go.
    "create table if not exists dedup_common (clause integer primary key)",
)
_CHUNK = 500
# Bits of the filter a grouper on empty tables keeps of what it wrote (4 MB, however large the build).
FILTER_BITS = 1 << 25


class StoredGrouper:
    """Grouper whose wordings and clause hashes live in the bank's dedup tables, not in memory.

    Before a batch of passages, prefetch() reads what the tables hold for their keys and clauses; add() decides as
    Grouper does; flush() writes the new wordings and forgets the batch, so memory holds one file's passages. A
    clause keeps at most COMMON_CLAUSE holders: past that Grouper never looks at them again.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._keys: dict[str, int | None] = {}
        self._holders: dict[int, list[int] | None] = {}  # None: a clause past COMMON_CLAUSE holders
        self._owners: dict[int, tuple[str, int, int]] = {}
        self._next_owner = (conn.execute("select max(id) from dedup_owners").fetchone()[0] or 0) + 1
        self._new_keys: list[tuple[bytes, int]] = []
        self._new_owners: list[tuple[int, str, int, int]] = []
        self._new_clauses: list[tuple[int, int]] = []
        self._new_common: set[int] = set()
        # On empty tables, every stored key and clause is one this grouper wrote: a fixed-size filter of them spares
        # the lookups of those it never wrote (a false hit costs only its lookup).
        empty = conn.execute("select not exists (select 1 from dedup_owners)").fetchone()[0]
        self._written: bytearray | None = bytearray(FILTER_BITS // 8) if empty else None

    def _stored(self, items: list) -> list:
        """Those of items the tables may hold."""
        written = self._written
        if written is None:
            return items
        mask = FILTER_BITS - 1
        return [i for i in items if written[(hash(i) & mask) >> 3] >> (hash(i) & 7) & 1]

    def _chunks(self, items: list) -> Iterator[tuple[list, str]]:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            yield chunk, ",".join("?" * len(chunk))

    def prefetch(self, prints: Sequence[Fingerprint]) -> None:
        """Read the stored entries of these wordings and the holders of their clauses (not of those whose wording is
        stored already: they join its entry without a look at their clauses)."""
        keys = list({fp.key for fp in prints if fp.key not in self._keys})
        self._keys.update(dict.fromkeys(keys))
        for chunk, marks in self._chunks(self._stored(keys)):
            found = dict(
                self.conn.execute(
                    f"select key, entry from dedup_keys where key in ({marks})", [bytes.fromhex(k) for k in chunk]
                )
            )
            for k in chunk:
                self._keys[k] = found.get(bytes.fromhex(k))
        known = self._keys
        clauses = list({c for fp in prints if known[fp.key] is None for c in fp.clauses if c not in self._holders})
        self._holders.update((c, []) for c in clauses)
        for chunk, marks in self._chunks(self._stored(clauses)):
            holders: dict[int, list[int] | None] = {c: [] for c in chunk}
            for (clause,) in self.conn.execute(f"select clause from dedup_common where clause in ({marks})", chunk):
                holders[clause] = None
            rows = self.conn.execute(
                "select c.clause, o.id, o.kind, o.clauses, o.entry from dedup_clauses c"
                f" join dedup_owners o on o.id = c.owner where c.clause in ({marks}) order by c.clause, c.owner",
                chunk,
            )
            owners = self._owners
            for clause, owner, kind, count, entry in rows.fetchall():
                found = holders[clause]
                if found is not None:
                    found.append(owner)  # oldest wording first, as Grouper meets them
                    if owner not in owners:
                        owners[owner] = (kind, count, entry)
            self._holders.update(holders)

    def add(self, kind: str, fp: Fingerprint, new_entry: int) -> int:
        """Return the entry the passage belongs to; new_entry is used when it starts a group of its own."""
        found = self._keys.get(fp.key)
        if found is not None:
            return found
        if fp.key not in self._keys or not all(map(self._holders.__contains__, fp.clauses)):
            self.prefetch([fp])
            found = self._keys.get(fp.key)
            if found is not None:
                return found
        entry = self._near(kind, fp)
        if entry is None:
            entry = new_entry
        self._keys[fp.key] = entry
        self._new_keys.append((bytes.fromhex(fp.key), entry))
        written = self._written
        if written is not None:
            for item in (fp.key, *fp.clauses):
                bit = hash(item) & (FILTER_BITS - 1)
                written[bit >> 3] |= 1 << (bit & 7)
        owner = self._next_owner
        self._next_owner += 1
        self._owners[owner] = (kind, len(fp.clauses), entry)
        self._new_owners.append((owner, kind, len(fp.clauses), entry))
        for c in fp.clauses:
            holders = self._holders[c]
            if holders is None:
                continue
            holders.append(owner)
            if len(holders) > COMMON_CLAUSE:
                self._holders[c] = None
                self._new_common.add(c)
            else:
                self._new_clauses.append((c, owner))
        return entry

    def _near(self, kind: str, fp: Fingerprint) -> int | None:
        if len(fp.clauses) < 2:
            return None
        shared: dict[int, int] = defaultdict(int)
        for c in fp.clauses:
            holders = self._holders.get(c)
            if not holders:
                continue
            for owner in holders:
                if self._owners[owner][0] == kind:
                    shared[owner] += 1
        best, best_score = None, NEAR_JACCARD
        mine = len(fp.clauses)
        for owner, count in shared.items():
            if count < 2:
                continue
            _, theirs, entry = self._owners[owner]
            score = count / (mine + theirs - count)
            if score >= best_score:
                best, best_score = entry, score
        return best

    def flush(self) -> None:
        """Write the batch's new wordings and clauses, and forget what was read for it."""
        common = self._new_common
        # In key order, each insert lands beside the last in the b-tree.
        self.conn.executemany("insert or ignore into dedup_keys (key, entry) values (?, ?)", sorted(self._new_keys))
        self.conn.executemany(
            "insert into dedup_owners (id, kind, clauses, entry) values (?, ?, ?, ?)", self._new_owners
        )
        self.conn.executemany(
            "insert or ignore into dedup_clauses (clause, owner) values (?, ?)",
            sorted(row for row in self._new_clauses if row[0] not in common),
        )
        self.conn.executemany("insert or ignore into dedup_common (clause) values (?)", [(c,) for c in common])
        self.conn.executemany("delete from dedup_clauses where clause = ?", [(c,) for c in common])
        for pending in (self._new_keys, self._new_owners, self._new_clauses, self._new_common):
            pending.clear()
        self._keys.clear()
        self._holders.clear()
        self._owners.clear()
