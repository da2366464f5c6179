"""Numbers for the indexed words: each entry keeps its distinct words as packed numbers, so the matcher reads
which of a heading's words a passage holds without segmenting its text again."""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable
from itertools import filterfalse

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
        # Whether every word in the table is in known too (a new bank, nothing forgotten): then no lookups.
        self.complete = self.next == 1

    def number(self, words: Iterable[str]) -> None:
        """Make sure every word has its number (read from the table, or a new one written to it)."""
        distinct = words if isinstance(words, (set, frozenset)) else set(words)
        missing = sorted(filterfalse(self.known.__contains__, distinct))
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            found: dict[str, int] = {}
            if not self.complete:
                marks = ",".join("?" * len(chunk))
                found.update(self.conn.execute(f"select word, id from words where word in ({marks})", chunk))
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
        return packed(sorted(map(self.known.__getitem__, set(tokens.split()))))

    def pack_all(self, texts: Iterable[str]) -> list[bytes]:
        """pack() of each text (space-separated words), numbering their words first."""
        sets = [set(text.split()) for text in texts]
        self.number(set().union(*sets))
        number = self.known.__getitem__
        return [packed(sorted(map(number, words))) for words in sets]

    def pack_numbered(self, words: list[str], passages: list[tuple[array, array]]) -> list[tuple[bytes, bytes]]:
        """pack() of each (words, heading words) pair given as numbers into `words`, numbering those words first."""
        used: set[int] = set()
        for body, head in passages:
            used.update(body)
            used.update(head)
        listed = list(used)
        self.number({words[i] for i in listed})
        number = dict(zip(listed, map(self.known.__getitem__, map(words.__getitem__, listed)))).__getitem__
        return [(packed(sorted(map(number, body))), packed(sorted(map(number, head)))) for body, head in passages]

    def forget(self) -> None:
        """Drop the numbers held in memory past KEPT words (they stay in the table)."""
        if len(self.known) > KEPT:
            self.known.clear()
            self.complete = False


_NATIVE = sys.byteorder == "little" and array("I").itemsize == 4


def packed(ids: list[int]) -> bytes:
    """Sorted word numbers as WIDTH little-endian bytes each."""
    if _NATIVE:
        # Four bytes a number from array, done in C, then every fourth (the top, always 0) byte dropped.
        wide = bytearray(array("I", ids).tobytes())
        del wide[WIDTH::4]
        return bytes(wide)
    return b"".join(i.to_bytes(WIDTH, "little") for i in ids)


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
