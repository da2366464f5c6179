"""A relevance set from the State Council reports, judged blind, and the graded precision of a matcher on it.

The bank holds 42 reports; the headings asked come from 10 others (five for tuning, five for the check), each with
the path, level, kind and year the writing window would send. Passages are graded by hand without knowing which
system found them: 2 = a writer would insert or adapt it under this heading, 1 = on topic but not usable as it is,
0 = not relevant or junk.

    python bench/relevance.py queries                 # write bench/data/statecouncil_queries.json
    python bench/relevance.py pool OUT.json           # top 5 of every system for every query, minus graded ones
    python bench/relevance.py score [--split check]   # graded P@5 and grade-2 share of each system

Grades live in bench/data/statecouncil_grades.json as {"<query id>|<passage text>": grade}.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bigan.core import bank
from bigan.core.corpus import parse_file
from bigan.core.segment import words

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs" / "statecouncil"
DATA = ROOT / "bench" / "data"
QUERIES = DATA / "statecouncil_queries.json"
GRADES = DATA / "statecouncil_grades.json"
OUT = ROOT / "bench" / "out"
TUNE_YEARS = (1979, 1993, 2004, 2013, 2023)
CHECK_YEARS = (1956, 1986, 1999, 2009, 2018)
PER_DOCUMENT = 10
K = 5


def held_out() -> set[str]:
    """File names of the reports the headings come from, which the bank does not hold."""
    return {f"{y}.txt" for y in (*TUNE_YEARS, *CHECK_YEARS)}


def eval_bank() -> Path:
    """The bank of the 42 other reports, built with the current code (rebuilt when the code's output may differ)."""
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "statecouncil_42.db"
    files = [p for p in sorted(REALDOCS.glob("*.txt")) if p.name not in held_out()]
    bank.build(files, db, fresh=True)
    return db


def cmd_queries(_: argparse.Namespace) -> int:
    """Pick the headings asked: level 1 and 2 of each held-out report, spread over the report."""
    queries = []
    rng = random.Random(9)
    for split, years in (("tune", TUNE_YEARS), ("check", CHECK_YEARS)):
        for year in years:
            (document, *_) = parse_file(REALDOCS / f"{year}.txt")[1]
            sections = [s for s in document.sections if s.level <= 2]
            chosen = (
                sections
                if len(sections) <= PER_DOCUMENT
                else sorted(rng.sample(sections, PER_DOCUMENT), key=lambda s: s.position)
            )
            for s in chosen:
                queries.append(
                    {
                        "id": f"{year}-{s.position}",
                        "split": split,
                        "heading": f"{s.number}{s.heading}",
                        "path": list(s.path),
                        "level": s.level,
                        "kind": "政府工作报告",
                        "year": document.year,
                        "title": document.title,
                    }
                )
    DATA.mkdir(parents=True, exist_ok=True)
    QUERIES.write_text(json.dumps(queries, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(queries)} queries written to {QUERIES}")
    return 0


def _bm25(conn: sqlite3.Connection, heading: str) -> list[tuple[str, str]]:
    """Plain BM25 over the bank's paragraphs: every word of the heading, OR-ed."""
    terms = sorted(set(words(heading)))
    if not terms:
        return []
    phrase = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    rows = conn.execute(
        "select t.text, d.title from entries_fts f join entries e on e.id = f.rowid"
        " join passage_texts t on t.id = e.passage_id"
        " join documents d on d.id = e.document_id where entries_fts match ? and e.kind = 'paragraph'"
        " order by bm25(entries_fts) limit ?",
        [phrase, K],
    ).fetchall()
    return [(text, title) for text, title in rows]


def _matcher_results(db: Path, queries: list[dict]) -> list[list[tuple[str, str]]]:
    from bigan.core.match import Matcher

    matcher = Matcher(db)
    try:
        out = []
        for q in queries:
            results = (
                matcher.match(q["heading"], limit=K, context=_context(q))
                if _takes_context()
                else matcher.match(q["heading"], limit=K)
            )
            out.append([(m.text, m.source.title) for m in results])
        return out
    finally:
        matcher.close()


def _takes_context() -> bool:
    import inspect

    from bigan.core.match import Matcher

    return "context" in inspect.signature(Matcher.match).parameters


def _context(q: dict):
    from bigan.core.match import Context

    return Context(path=tuple(q["path"]), level=q["level"], kind=q["kind"], year=q["year"])


def systems(db: Path, queries: list[dict]) -> dict[str, list[list[tuple[str, str]]]]:
    """Each system's top passages (text, source title) per query."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found = {"bm25": [_bm25(conn, q["heading"]) for q in queries]}
    finally:
        conn.close()
    found["project"] = _matcher_results(db, queries)
    return found


def key(query_id: str, text: str) -> str:
    """Where a grade is kept: the query and the passage's text."""
    return f"{query_id}|{text}"


def _grades() -> dict[str, int]:
    return json.loads(GRADES.read_text(encoding="utf-8")) if GRADES.exists() else {}


def cmd_pool(args: argparse.Namespace) -> int:
    """Write the ungraded (query, passage) pairs of every system, shuffled, without saying which system found them."""
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    graded = _grades()
    found = systems(eval_bank(), queries)
    pairs: dict[str, dict] = {}
    for results in found.values():
        for q, rows in zip(queries, results):
            for text, title in rows:
                k = key(q["id"], text)
                if k not in graded:
                    pairs[k] = {"key": k, "heading": q["heading"], "path": q["path"], "passage": text, "source": title}
    out = list(pairs.values())
    random.Random(len(out)).shuffle(out)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(out)} pairs to grade written to {args.out}")
    return 0


def score(results: list[list[tuple[str, str]]], queries: list[dict], graded: dict[str, int]) -> dict[str, float]:
    """Graded P@5 (mean grade / 2 over five slots, an empty slot counting 0), grade-2 share, unjudged, empty."""
    total = twos = unjudged = empty = 0.0
    for q, rows in zip(queries, results):
        rows = rows[:K]
        empty += not rows
        for text, _ in rows:
            grade = graded.get(key(q["id"], text))
            if grade is None:
                unjudged += 1
                continue
            total += grade / 2
            twos += grade == 2
    slots = K * len(queries) or 1
    return {"p5": total / slots, "grade2": twos / slots, "unjudged": unjudged, "empty": empty}


def cmd_score(args: argparse.Namespace) -> int:
    """Print each system's figures on the chosen split."""
    queries = [q for q in json.loads(QUERIES.read_text(encoding="utf-8")) if args.split in ("all", q["split"])]
    graded = _grades()
    for name, results in systems(eval_bank(), queries).items():
        s = score(results, queries, graded)
        print(
            f"{name:8s} {args.split}: graded P@5 {s['p5']:.3f}, grade-2 share {s['grade2']:.3f}"
            f" ({len(queries)} headings, {s['unjudged']:.0f} unjudged, {s['empty']:.0f} empty)"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one of the subcommands."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("queries").set_defaults(func=cmd_queries)
    pool = sub.add_parser("pool")
    pool.add_argument("out")
    pool.set_defaults(func=cmd_pool)
    sc = sub.add_parser("score")
    sc.add_argument("--split", choices=("tune", "check", "all"), default="check")
    sc.set_defaults(func=cmd_score)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
