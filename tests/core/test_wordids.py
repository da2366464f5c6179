"""Each entry keeps its words as numbers: read back, they are the words of its own text, however many files the
build numbered them across."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bigan.core import bank
from bigan.core.ingest import passage_words
from bigan.core.structure import passage_heading
from bigan.core.wordids import WIDTH, packed, unpack


def _entry_words(db: Path) -> list[tuple[str, str, set[str], set[str]]]:
    conn = sqlite3.connect(db)
    word = dict(conn.execute("select id, word from words"))
    rows = conn.execute(
        "select e.kind, t.text, e.words, e.heading_words from entries e join passage_texts t on t.id = e.passage_id"
    ).fetchall()
    return [
        (kind, text, {word[n] for n in unpack(body)}, {word[n] for n in unpack(head)})
        for kind, text, body, head in rows
    ]


def test_every_entry_reads_back_the_words_of_its_own_text(tmp_path, report_text):
    files = []
    for n, unit in enumerate(["某县", "某区", "某镇"]):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"{unit}2025年工作总结\n{report_text}\n第{n}份材料的附加段落，讲述{unit}的新做法。\n", "utf-8")
        files.append(path)
    db = tmp_path / "bank.db"
    bank.build(files, db, workers=0)
    # A later import numbers its new words after the ones the bank holds.
    later = tmp_path / "later.txt"
    later.write_text("某市2025年工作总结\n一、招商引资\n全面落实招商引资新政策，引进重点项目十二个。\n", "utf-8")
    bank.build([later], db)

    entries = _entry_words(db)
    assert len(entries) > 10
    for kind, text, body, head in entries:
        tokens, heading = passage_words(kind, text, passage_heading(kind, text))
        assert body == set(tokens.split())
        assert head == set(heading.split())


def test_numbers_pack_in_order_three_bytes_each():
    numbers = [1, 255, 256, 65_535, 65_536, (1 << 24) - 1]
    blob = packed(numbers)
    assert len(blob) == WIDTH * len(numbers)
    assert [int.from_bytes(blob[i : i + WIDTH], "little") for i in range(0, len(blob), WIDTH)] == numbers
    assert unpack(blob) == frozenset(numbers)
