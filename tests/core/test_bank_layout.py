"""The bank stores each passage's text once and no words beside the index, and still answers as before; a build
whose parse workers finish in any order gives the same entries as one that parses file by file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bigan.core import bank
from bigan.core.match import Matcher
from bigan.core.paths import BUNDLED_CORPUS

ROOT = Path(__file__).resolve().parents[2]
DEV = json.loads((ROOT / "tests/data/match_dev.json").read_text(encoding="utf-8"))["headings"]
# The top 10 texts of every dev heading from the bank as it was before this layout (schema 6, rjieba words):
# regenerate only when the ranking itself is meant to change.
BEFORE = json.loads((ROOT / "tests/data/match_dev_top10.json").read_text(encoding="utf-8"))


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def in_order(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("layout") / "bank.db"
    bank.build([BUNDLED_CORPUS], db, workers=0)
    return db


def test_the_smaller_bank_gives_every_dev_heading_the_same_top_ten_as_before(bundled_bank):
    matcher = Matcher(bundled_bank[1])
    try:
        now = {h["text"]: [m.text for m in matcher.match(h["text"], limit=10)] for h in DEV}
    finally:
        matcher.close()
    assert set(now) == set(BEFORE)
    assert [h for h in now if now[h] != BEFORE[h]] == []


def test_an_item_keeps_no_copy_of_the_paragraph_text_it_stands_in(in_order):
    items = _rows(
        in_order,
        "select i.text, i.within, t.text, w.text from passages i join passage_texts t on t.id = i.id"
        " left join passages w on w.id = i.within where i.kind = 'item'",
    )
    inside = [(own, text, paragraph) for own, within, text, paragraph in items if within is not None]
    assert len(inside) > 50
    assert all(own is None and text and text in paragraph for own, text, paragraph in inside)
    columns = {r[1] for r in _rows(in_order, "pragma table_info(entries)")}
    assert "text" not in columns and "template" not in columns
    assert not {"tokens", "heading_tokens", "template"} & {r[1] for r in _rows(in_order, "pragma table_info(passages)")}


def test_parse_workers_finishing_in_any_order_give_the_entries_a_file_by_file_build_gives(in_order, bundled_bank):
    entries = (
        "select t.text, e.freq, e.occurrences, f.path from entries e join passage_texts t on t.id = e.passage_id"
        " join documents d on d.id = e.document_id join files f on f.id = d.file_id"
    )
    assert sorted(_rows(bundled_bank[1], entries)) == sorted(_rows(in_order, entries))
    assert sorted(_rows(bundled_bank[1], "select term, word, weight from associations")) == sorted(
        _rows(in_order, "select term, word, weight from associations")
    )
