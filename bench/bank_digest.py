"""A digest of a bank's content, table by table, to show that a change to the build leaves what it stores alone.

python bench/bank_digest.py --real                # build the real reports and the seeds, print the digests
python bench/bank_digest.py --db some/bank.db     # digest an existing bank
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.scaled_corpus import REALDOCS, SEEDS
from bigan.core import bank
from bigan.core.wordids import unpack

# Columns that differ from build to build by nature (the time of import).
_CLOCK = {"imported_at"}
_SKIP = {"meta"}


def digests(db: Path) -> dict[str, tuple[int, str]]:
    """(rows, sha1 of the rows in a fixed order) for every ordinary table and the full-text indexes' searches."""
    conn = sqlite3.connect(db)
    out: dict[str, tuple[int, str]] = {}
    tables = [
        name
        for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and sql not like 'create virtual%' order by name"
        )
        if not name.startswith(("sqlite_", "entries_fts", "sections_fts")) and name not in _SKIP
    ]
    # Word numbers depend on the order a build meets words: entries are compared by their words, not numbers.
    number = dict(conn.execute("select id, word from words"))

    def words(blob: bytes | None) -> tuple[str, ...]:
        return tuple(sorted(number[n] for n in unpack(blob)))

    for table in tables:
        columns = [row[1] for row in conn.execute(f"pragma table_info({table})") if row[1] not in _CLOCK]
        listed = ", ".join(f'"{c}"' for c in columns)
        digest = hashlib.sha1()
        rows = 0
        if table == "words":
            listed, columns = "word", ["word"]
        found = conn.execute(f"select {listed} from {table}").fetchall()
        if table == "entries":
            blobs = [columns.index("words"), columns.index("heading_words")]
            found = [tuple(words(v) if i in blobs else v for i, v in enumerate(row)) for row in found]
        for row in sorted(found, key=repr):
            digest.update(repr(row).encode())
            rows += 1
        out[table] = (rows, digest.hexdigest()[:16])
    # The contentless entries index: which entries each indexed word finds.
    for index in ("entries_fts", "sections_fts"):
        conn.execute(f"create virtual table temp.v_{index} using fts5vocab(main, {index}, 'instance')")
        digest = hashlib.sha1()
        rows = 0
        for row in conn.execute(f"select term, doc, col, offset from temp.v_{index} order by term, doc, col, offset"):
            digest.update(repr(row).encode())
            rows += 1
        out[index] = (rows, digest.hexdigest()[:16])
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            files = sorted(REALDOCS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
            db = Path(tmp) / "bank.db"
            bank.build(files, db, fresh=True, workers=args.workers)
        print(bank.stats(db))
        for table, (rows, digest) in digests(db).items():
            print(f"{table:16} {rows:9} {digest}")


if __name__ == "__main__":
    main()
