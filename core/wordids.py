"""Numbers for the indexed words: each entry keeps its distinct words as packed numbers, so the matcher reads
which of a heading's words a passage holds without segmenting its text again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

WIDTH = 3  # bytes a number: 16.7 million words
SCHEMA = "create table if not exists words (word text primary key, id integer) without rowid"
_CHUNK = 500
# Words whose numbers a build keeps in memory between files (a language's working vocabulary).
KEPT = 200_000


class Vocabulary:
    """The bank's words table, numbering new words as a build meets them; forget() empties its memory."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.next = (conn.execute("select max(id) from words").fetchone()[0] or 0) + 1
        self.known: dict[str, int] = {}

    def number(self, words: Iterable[str]) -> None:
        """Make sure every word has its number (read from the table, or a new one written to it)."""
        missing = list({w for w in words if w not in self.known})
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            found = dict(
                self.conn.execute(f"select word, id from words where word in ({','.join('?' * len(chunk))})", chunk)
            )
            new = [w for w in chunk if w not in found]
            for word in new:
                found[word] = self.next
                self.next += 1
            if self.next >= 1 << (8 * WIDTH):
                raise OverflowError("too many distinct words for the bank's word numbers")
            self.conn.executemany("insert into words (word, id) values (?, ?)", [(w, found[w]) for w in new])
            self.known.update(found)

    def pack(self, tokens: str) -> bytes:
        """A passage's distinct words (space-separated) as sorted, packed numbers; number() them first."""
        ids = sorted({self.known[w] for w in tokens.split()})
        return b"".join(i.to_bytes(WIDTH, "little") for i in ids)

    def forget(self) -> None:
        """Drop the numbers held in memory past KEPT words (they stay in the table)."""
        if len(self.known) > KEPT:
            self.known.clear()


def unpack(blob: bytes | None) -> frozenset[int]:
    """The numbers packed by Vocabulary.pack."""
    if not blob:
        return frozenset()
    return frozenset(int.from_bytes(blob[i : i + WIDTH], "little") for i in range(0, len(blob), WIDTH))


class WordSet:
    """A passage's words as numbers; `word in words` looks the word's number up (None: a word the bank lacks)."""

    __slots__ = ("_ids", "_number")

    def __init__(self, ids: frozenset[int], number: Callable[[str], int | None]) -> None:
        self._ids = ids
        self._number = number

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        found = self._number(word)
        return found is not None and found in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def present(self, numbered: dict[int, str]) -> set[str]:
        """Which of these words (keyed by their numbers) the passage holds."""
        return {numbered[n] for n in self._ids.intersection(numbered)}
