"""Near-duplicate grouping: versions of one passage that differ in figures or placeholders are one entry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bigan.core.corpus import parse_file
from bigan.core.dedup import DEDUP_SCHEMA, Grouper, StoredGrouper, fingerprint, group
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.placeholders import to_template

ROOT = Path(__file__).resolve().parents[2]

ORIGINAL = (
    "一是经济指标齐头并进。预计2023年可完成规上企业工业总产值52亿元，同比增长8%；"
    "完成工业增加值12亿元，增速6%；完成招商引资到位资金30亿元，同比增长10%。"
)
WITH_STARS = (
    "一是经济指标齐头并进。预计*年可完成规上企业工业总产值*亿元，同比增长*%；"
    "完成工业增加值*亿元，增速*%；完成招商引资到位资金*亿元，同比增长*%。"
)
WITH_XX = (
    "一是经济指标齐头并进。预计xxxx年可完成规上企业工业总产值xx亿元,同比增长x%;"
    "完成工业增加值xx亿元,增速x%;完成招商引资到位资金xx亿元,同比增长x%."
)
OTHER = "二是民生保障持续加强。新建幼儿园三所，改造老旧小区十二个，城乡居民医保参保率稳定在较高水平。"


def _print(kind: str, text: str):
    return fingerprint(kind, to_template(text))


def _groups(kind_texts: list[tuple[str, str]]) -> list[int]:
    return group([k for k, _ in kind_texts], [_print(k, t) for k, t in kind_texts])


def test_versions_differing_in_figures_placeholders_and_width_share_a_group():
    groups = _groups([("item", ORIGINAL), ("item", WITH_STARS), ("item", WITH_XX), ("item", OTHER)])
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] != groups[0]


def test_a_lightly_edited_version_is_a_near_duplicate():
    edited = ORIGINAL.replace("完成工业增加值", "实现工业增加值")
    groups = _groups([("item", ORIGINAL), ("item", edited)])
    assert groups[0] == groups[1]


def test_different_kinds_are_not_merged():
    groups = _groups([("item", ORIGINAL), ("paragraph", ORIGINAL)])
    assert groups[0] != groups[1]


def test_fingerprint_ignores_figures_but_not_wording():
    assert _print("item", ORIGINAL).key == _print("item", WITH_STARS).key
    assert _print("item", ORIGINAL).key != _print("item", OTHER).key


def test_the_shared_item_of_seeds_000_and_001_is_one_group(seed):
    items = []
    for number in ("000", "001"):
        _, documents = parse_file(seed(number))
        items += [p for p in documents[0].passages if p.kind == "item" and p.text.startswith("一是经济指标齐头并进")]
    assert len(items) == 2
    groups = _groups([(p.kind, p.text) for p in items])
    assert groups[0] == groups[1]


def _stored(conn):
    for statement in DEDUP_SCHEMA:
        conn.execute(statement)
    return StoredGrouper(conn)


def test_grouping_through_the_bank_tables_matches_grouping_in_memory_file_by_file(tmp_path):
    files = sorted(BUNDLED_CORPUS.glob("*.txt")) + sorted((ROOT / "tests/data/realdocs").glob("*.txt"))
    batches = [
        [(p.kind, fingerprint(p.kind, p.template)) for doc in parse_file(path)[1] for p in doc.passages]
        for path in files
    ]
    memory = Grouper()
    stored = _stored(sqlite3.connect(tmp_path / "dedup.db"))
    n = 0
    in_memory, in_tables = [], []
    for batch in batches:
        stored.prefetch([fp for _, fp in batch])
        for kind, fp in batch:
            in_memory.append(memory.add(kind, fp, n))
            in_tables.append(stored.add(kind, fp, n))
            n += 1
        stored.flush()
        # Between files it holds nothing: what it knows is in the tables.
        assert not (stored._keys or stored._holders or stored._owners)
    assert in_tables == in_memory
    assert len(set(in_memory)) < n  # the corpus has its duplicates


def test_a_read_only_review_groups_against_the_tables_without_writing(tmp_path):
    conn = sqlite3.connect(tmp_path / "dedup.db")
    grouper = _stored(conn)
    assert grouper.add("item", _print("item", ORIGINAL), 1) == 1
    grouper.flush()
    conn.commit()
    reader = StoredGrouper(sqlite3.connect(f"file:{tmp_path / 'dedup.db'}?mode=ro", uri=True))
    assert reader.add("item", _print("item", WITH_STARS), 2) == 1
    assert reader.add("item", _print("item", OTHER), 3) == 3
    assert reader.add("item", _print("item", OTHER), 4) == 3


def test_a_boilerplate_clause_keeps_only_as_many_holders_as_grouping_ever_reads(tmp_path):
    conn = sqlite3.connect(tmp_path / "dedup.db")
    stored, memory = _stored(conn), Grouper()
    boilerplate = "坚持以习近平新时代中国特色社会主义思想为指导"
    texts = [
        f"{boilerplate}，第{i}项工作全面完成{'各项任务' * (i % 7)}，群众满意度{'不断' * i}提升。" for i in range(120)
    ]
    got, expected = [], []
    for i, text in enumerate(texts):
        fp = _print("paragraph", text)
        got.append(stored.add("paragraph", fp, i))
        expected.append(memory.add("paragraph", fp, i))
        stored.flush()
    assert got == expected
    shared = set.intersection(*(set(_print("paragraph", t).clauses) for t in texts))
    assert len(shared) == 1
    (clause,) = shared
    assert conn.execute("select count(*) from dedup_clauses where clause = ?", [clause]).fetchone()[0] == 0
    assert conn.execute("select count(*) from dedup_common where clause = ?", [clause]).fetchone()[0] == 1
