"""Associations (heading word → body words) are mined one document at a time, the same as counting all at once,
and a small import into a large bank keeps them instead of mining the whole bank again."""

from __future__ import annotations

import math
import shutil
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bigan.core import associations, bank
from bigan.core.ingest import passage_words
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.structure import lead_sentence


def _all_at_once(conn: sqlite3.Connection) -> list[tuple[str, str, float]]:
    """The mining as first written: every section's words in memory, every pair counted in one Counter."""
    own: dict[int, set[str]] = defaultdict(set)
    for section, text, heading in conn.execute(
        "select p.section_id, t.text, null from passages p join passage_texts t on t.id = p.id"
        " where p.kind = 'paragraph' and p.section_id is not null"
    ):
        own[section].update(passage_words("paragraph", text, heading or lead_sentence(text))[0].split())
    bodies = {s: set(w) for s, w in own.items()}
    for child, parent in conn.execute("select id, parent_id from sections where parent_id is not null"):
        if child in own:
            bodies.setdefault(parent, set()).update(own[child])
    headings = {
        sid: set(tokens.split()) for sid, tokens in conn.execute("select id, tokens from sections") if sid in bodies
    }
    headings = {sid: words for sid, words in headings.items() if words}
    n = len(headings)
    body_df = Counter(w for sid in headings for w in bodies[sid])
    head_df: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for sid, heads in headings.items():
        body = sorted(
            (w for w in bodies[sid] if associations.MIN_TOGETHER <= body_df[w] <= associations.COMMON_SHARE * n),
            key=lambda w: (body_df[w], w),
        )[: associations.BODY_WORDS]
        head_df.update(heads)
        together.update((h, b) for h in heads for b in body if b != h)
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (h, b), count in together.items():
        given, base = count / head_df[h], body_df[b] / n
        if count >= associations.MIN_TOGETHER and given > base:
            best[h].append((given * math.log(given / base), b))
    rows = []
    for h, pairs in best.items():
        pairs.sort(reverse=True)
        rows.extend((h, b, round(s / pairs[0][0], 3)) for s, b in pairs[: associations.PER_TERM])
    return rows


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("assoc") / "bank.db"
    bank.build([BUNDLED_CORPUS], db, workers=0)
    return db


def test_a_bank_built_in_one_go_gets_the_pairs_counting_everything_at_once_gives(bundled, monkeypatch):
    conn = sqlite3.connect(bundled)
    expected = sorted(_all_at_once(conn))
    assert len(expected) > 100
    stored = sorted(conn.execute("select term, word, weight from associations"))
    assert stored == expected
    # Counted in several passes of heading words (a large bank), the pairs are the same.
    monkeypatch.setattr(associations, "PAIRS_AT_ONCE", 5_000)
    assert sorted(associations.mine(conn)) == expected


def test_past_the_section_cap_a_fixed_sample_of_documents_is_counted(bundled, monkeypatch):
    conn = sqlite3.connect(bundled)
    (sections,) = conn.execute("select count(*) from sections").fetchone()
    monkeypatch.setattr(associations, "MAX_SECTIONS", sections // 2)
    first, again = associations.mine(conn), associations.mine(conn)
    assert first == again
    assert first and sorted(first) != sorted(conn.execute("select term, word, weight from associations"))


def _report(path: Path, unit: str) -> Path:
    path.write_text(
        f"{unit}2025年工作总结\n一、强化安全生产监管\n全面开展安全隐患排查整治，落实企业安全生产主体责任，"
        "组织应急演练十二次，安全形势持续稳定。\n二、推进乡村振兴\n发展特色产业，建设美丽乡村，村集体经济收入稳步增长。\n",
        encoding="utf-8",
    )
    return path


def test_a_small_import_into_a_large_bank_keeps_its_pairs_and_a_large_one_mines_again(bundled, tmp_path, monkeypatch):
    db = tmp_path / "bank.db"
    shutil.copy(bundled, db)
    before = sorted(sqlite3.connect(db).execute("select term, word, weight from associations"))
    mined = []
    original = associations.mine
    monkeypatch.setattr(associations, "mine", lambda *args: mined.append(1) or original(*args))

    bank.build([_report(tmp_path / "small.txt", "某镇")], db)

    assert mined == []
    assert sorted(sqlite3.connect(db).execute("select term, word, weight from associations")) == before

    many = tmp_path / "many"
    many.mkdir()
    (sections,) = sqlite3.connect(db).execute("select count(*) from sections").fetchone()
    for i in range(sections // 8):  # two sections a file: a quarter of the bank again
        _report(many / f"{i:03d}.txt", f"第{i}镇")
    bank.build([many], db)

    assert mined == [1]
    conn = sqlite3.connect(db)
    assert sorted(conn.execute("select term, word, weight from associations")) == sorted(_all_at_once(conn))
