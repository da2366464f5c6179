"""FTS5 storage options for the entries' index, over the words of a built bank: size, and whether bm25() still
ranks (it must give the same order as the full index, or the matcher's retrieval changes).

    python bench/fts_options.py BANK.db            # e.g. one made by bench/large_bank.py

Each variant is built in a file of its own from the same words (segmented again from the entries' text, as the
reader does) and vacuumed; the ranking check runs the dev headings' words OR-ed and compares the top 80 rowids.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bigan.core.bank_reader import fts_phrase
from bigan.core.ingest import passage_words
from bigan.core.segment import words
from bigan.core.structure import passage_heading

VARIANTS = [
    "content=''",
    "content='', detail=column",
    "content='', detail=none",
    "content='', columnsize=0",
    "detail=full",
    "detail=column",
    "detail=none",
]
DEV = [h["text"] for h in json.loads((ROOT / "tests/data/match_dev.json").read_text("utf-8"))["headings"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bank", type=Path)
    args = parser.parse_args()
    src = sqlite3.connect(f"file:{args.bank}?mode=ro", uri=True)
    rows = src.execute(
        "select e.id, p.kind, t.text, null from entries e join passages p on p.id = e.passage_id"
        " join passage_texts t on t.id = p.id"
    ).fetchall()
    docs = []
    for entry, kind, text, _ in rows:
        tokens, head = passage_words(kind, text or "", passage_heading(kind, text or ""))
        docs.append((entry, head, tokens))
    queries = [fts_phrase(dict.fromkeys(words(h))) for h in DEV if words(h)]
    reference: list[list[int]] | None = None
    print(f"{len(docs)} entries from {args.bank}")
    with tempfile.TemporaryDirectory() as tmp:
        for options in VARIANTS:
            path = Path(tmp) / "fts.db"
            conn = sqlite3.connect(path)
            conn.execute(f"create virtual table f using fts5(heading, body, {options})")
            conn.executemany("insert into f (rowid, heading, body) values (?, ?, ?)", docs)
            conn.commit()
            conn.execute("vacuum")
            started = time.perf_counter()
            ranked = [
                [r[0] for r in conn.execute(
                    "select rowid, bm25(f, 2.0, 1.0) from f where f match ? order by bm25(f, 2.0, 1.0), rowid limit 80",
                    [q],
                )]
                for q in queries
            ]  # fmt: skip
            ms = (time.perf_counter() - started) * 1000 / len(queries)
            zero = conn.execute("select count(*) from f where f match ? and bm25(f) = 0", [queries[0]]).fetchone()[0]
            if reference is None:
                reference = ranked
            same = sum(a == b for a, b in zip(ranked, reference))
            print(
                f"{options:28s} {os.path.getsize(path) / 1e6:7.2f} MB · {ms:5.1f} ms a query · bm25 = 0 for {zero} rows"
                f" · same top 80 as content='' for {same} of {len(queries)} headings"
            )
            conn.close()
            path.unlink()


if __name__ == "__main__":
    main()
