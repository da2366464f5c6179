"""Relevance of matching on the labelled development set: P@5 overall and for paraphrased headings by its topic
labels, and graded P@5 by blind 0/1/2 judgements of the pooled top 5 of this matcher and of the matcher as it was
when issue 10 was filed (bench/data/dev_grades.json, bench/data/dev_baseline_top5.json)."""

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

from bench import relevance
from bigan.core import bank
from bigan.core.match import Matcher
from bigan.core.paths import BUNDLED_CORPUS

DEV = ROOT / "tests" / "data" / "match_dev.json"
GRADES = ROOT / "bench" / "data" / "dev_grades.json"
# The top 5 of each dev heading from commit be02fdc (before issue 10) with the four dev-only thesaurus terms removed.
BASELINE = ROOT / "bench" / "data" / "dev_baseline_top5.json"


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


def graded(top5: dict[str, list[str]]) -> dict[str, float]:
    """Graded P@5, grade-2 share and unjudged passages of each heading's top passages by the blind grades."""
    grades: dict[str, int] = json.loads(GRADES.read_text(encoding="utf-8"))
    queries = [{"id": heading} for heading in top5]  # the grades are kept by heading text
    return relevance.score([[(t, "") for t in texts] for texts in top5.values()], queries, grades)


def current_top5(db: Path, k: int = 5) -> dict[str, list[str]]:
    """This matcher's top k passage texts for every dev heading."""
    matcher = Matcher(db)
    headings = json.loads(DEV.read_text(encoding="utf-8"))["headings"]
    return {item["text"]: [r.text for r in matcher.match(item["text"], limit=k)] for item in headings}


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
        now = graded(current_top5(db))
    then = graded(json.loads(BASELINE.read_text(encoding="utf-8")))
    print(
        f"P@5 by topic labels: all {result['all']:.3f} · paraphrased {result['paraphrase']:.3f}"
        f" · plain {result['plain']:.3f}"
    )
    for name, figures in (("this matcher", now), ("before issue 10", then)):
        print(
            f"graded P@5 {name}: {figures['p5']:.3f}, grade-2 share {figures['grade2']:.3f}"
            f" ({figures['unjudged']:.0f} passages unjudged)"
        )


if __name__ == "__main__":
    main()
