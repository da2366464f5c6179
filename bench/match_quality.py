"""Relevance of matching on the labelled development set: P@5 overall and for paraphrased headings."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bigan.core import bank
from bigan.core.match import Matcher
from bigan.core.paths import BUNDLED_CORPUS

DEV = ROOT / "tests" / "data" / "match_dev.json"


def section_topics(db: Path, labels: list[dict]) -> dict[int, set[str]]:
    """Topics of every bank section: its own label, else its nearest labelled ancestor's."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "select s.id, s.parent_id, s.heading, d.source_file, d.title from sections s"
        " join documents d on d.id = s.document_id"
    ).fetchall()
    own: dict[int, set[str]] = {}
    for sid, _, heading, source, title in rows:
        prefix = Path(source).name[:3]
        for label in labels:
            if label["file"] == prefix and label["match"] in heading and label.get("doc", "") in title:
                own.setdefault(sid, set()).update(label["topics"])
    parent = {sid: pid for sid, pid, *_ in rows}
    resolved: dict[int, set[str]] = {}
    for sid in parent:
        node: int | None = sid
        while node is not None and node not in own:
            node = parent.get(node)
        resolved[sid] = own.get(node, set()) if node is not None else set()
    return resolved


def evaluate(db: Path, dev: Path = DEV, k: int = 5, verbose: bool = False) -> dict[str, float]:
    """P@k over the dev headings; a result counts when its source section shares a topic with the heading."""
    data = json.loads(dev.read_text(encoding="utf-8"))
    topics = section_topics(db, data["sections"])
    matcher = Matcher(db)
    conn = sqlite3.connect(db)
    scores: dict[str, list[float]] = {"all": [], "paraphrase": [], "plain": []}
    for item in data["headings"]:
        results = matcher.match(item["text"], limit=k)
        hits = 0
        for r in results:
            row = conn.execute(
                "select p.section_id from passages p join documents d on d.id = p.document_id"
                " where p.entry_id = ? and d.title = ? order by p.id",
                [r.entry_id, r.source.title],
            ).fetchall()
            relevant = any(topics.get(sid, set()) & set(item["topics"]) for (sid,) in row if sid is not None)
            hits += relevant
        p = hits / k
        scores["all"].append(p)
        scores["paraphrase" if item["paraphrase"] else "plain"].append(p)
        if verbose:
            print(f"{p:.1f}  {item['text']}  {item['topics']}")
    return {name: sum(v) / len(v) for name, v in scores.items() if v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="bank to use (default: build the bundled corpus in a temp dir)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bank.db"
        if args.db is None:
            bank.build([BUNDLED_CORPUS], db)
        result = evaluate(db, verbose=args.verbose)
    print(
        f"P@5 all {result['all']:.3f} (goal ≥ 0.85) · paraphrased {result['paraphrase']:.3f} (goal ≥ 0.6)"
        f" · plain {result['plain']:.3f}"
    )


if __name__ == "__main__":
    main()
