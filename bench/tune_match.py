"""Set the matcher's weights (core/weights.py) from the blind-graded tuning split, and report the check split.

    python bench/tune_match.py            # search, print tune and check figures, write core/weights.py
    python bench/tune_match.py --dry-run  # the same without writing
    python bench/tune_match.py --pool OUT.json   # ungraded top-10 passages under the found weights, for grading

The search climbs one weight at a time (coordinate ascent from the current weights, several rounds, a few step
sizes). A setting scores a weighted mean of two figures: graded P@5 on the State Council tuning split over the
judged candidates only (unjudged passages are left out of the ranking, as for any incompletely judged set), and
P@5 on the first half of the bundled corpus's topic-labelled dev set (tests/data/match_dev.json), counting
DEV_SHARE. The State Council check split and the dev set's second half never take part in the search; both are
reported.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.match_quality import DEV, section_topics
from bench.relevance import GRADES, QUERIES, eval_bank, key
from bigan.core import bank, match
from bigan.core.match import Context, Matcher, _Scored, weighted
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.weights import WEIGHTS

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS_FILE = ROOT / "core" / "weights.py"
K = 5
# Weights the search leaves alone: they shape the query itself, or diversity.
FIXED = {"thesaurus", "associated", "same_document"}
STEPS = (0.5, 0.25, 0.1)
ROUNDS = 4
# A step must gain this much on the tuning split to be taken: smaller gains are noise on 42 headings.
MIN_GAIN = 0.003
# How much the dev set counts beside the State Council tuning split (its labels are the thesaurus topics).
DEV_SHARE = 0.3


@dataclass
class _Case:
    query: dict
    scored: list[tuple[match._Candidate, dict[str, float], set[str]]]
    texts: dict
    sections: dict


def _cases(matcher: Matcher, queries: list[dict]) -> list[_Case]:
    cases = []
    for q in queries:
        context = Context(
            path=tuple(q.get("path", ())), level=q.get("level"), kind=q.get("kind", ""), year=q.get("year")
        )
        parsed = matcher.query(q["heading"], context)
        found = matcher._candidates(parsed) if parsed.weights or parsed.topics or parsed.role else {}
        scored, texts, sections = matcher.features(parsed, found, second_pass=None) if found else ([], {}, {})
        cases.append(_Case(q, scored, texts, sections))
    return cases


def _top(matcher: Matcher, case: _Case, weights: dict[str, float], judged: dict[str, int] | None) -> list[str]:
    saved = dict(WEIGHTS)
    WEIGHTS.update(weights)
    try:
        # As the matcher does: only the best SECOND_PASS by the signals known before the text get a full score.
        first = sorted(
            case.scored,
            key=lambda item: -weighted({k: v for k, v in item[1].items() if k not in Matcher.TEXT_SIGNALS}),
        )[: match.SECOND_PASS]
        pool = [
            _Scored(weighted(f), c, hits)
            for c, f, hits in first
            if judged is None or key(case.query["id"], case.texts[c.entry].text) in judged
        ]
        pool.sort(key=lambda s: -s.score)
        return [m.text for m in matcher._diverse(pool, case.texts, case.sections, K)]
    finally:
        WEIGHTS.clear()
        WEIGHTS.update(saved)


def objective(matcher: Matcher, cases: list[_Case], weights: dict[str, float], grades: dict[str, int]) -> float:
    """Mean graded P@5 over the cases, ranking judged candidates only."""
    total = 0.0
    for case in cases:
        top = _top(matcher, case, weights, grades)
        total += sum(grades[key(case.query["id"], t)] / 2 for t in top) / K
    return total / (len(cases) or 1)


@dataclass
class _Dev:
    """The dev set's half: its cases on the bundled bank, and which candidates' sections share a heading's topic."""

    matcher: Matcher
    cases: list[_Case]
    relevant: list[set[str]]


def _dev(half: int) -> _Dev:
    """Half 0 (even headings) for tuning, half 1 (odd) for reporting; relevance as bench/match_quality.py judges it."""
    db = ROOT / "bench" / "out" / "bundled.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    bank.build([BUNDLED_CORPUS], db, fresh=True)
    data = json.loads(DEV.read_text(encoding="utf-8"))
    headings = data["headings"][half::2]
    topics = section_topics(db, data["sections"])
    matcher = Matcher(db)
    cases = _cases(matcher, [{"id": f"dev{half}-{n}", "heading": h["text"]} for n, h in enumerate(headings)])
    relevant = []
    for case, h in zip(cases, headings):
        wanted = set(h["topics"])
        relevant.append(
            {
                case.texts[c.entry].text
                for c, _, _ in case.scored
                if c.section is not None and topics.get(c.section, set()) & wanted
            }
        )
    return _Dev(matcher, cases, relevant)


def dev_p5(dev: _Dev, weights: dict[str, float]) -> float:
    """P@5 on a dev half: a passage counts when its section shares a topic with the heading."""
    total = 0.0
    for case, relevant in zip(dev.cases, dev.relevant):
        total += sum(t in relevant for t in _top(dev.matcher, case, weights, None)) / K
    return total / (len(dev.cases) or 1)


def figures(matcher: Matcher, cases: list[_Case], weights: dict[str, float], grades: dict[str, int]) -> str:
    """Graded P@5, grade-2 share and unjudged count of the real top 5 (unjudged counting 0)."""
    p = twos = unjudged = 0.0
    for case in cases:
        for text in _top(matcher, case, weights, None):
            grade = grades.get(key(case.query["id"], text))
            if grade is None:
                unjudged += 1
                continue
            p += grade / 2
            twos += grade == 2
    slots = K * (len(cases) or 1)
    return f"graded P@5 {p / slots:.3f}, grade-2 share {twos / slots:.3f}, unjudged {unjudged:.0f}"


def search(matcher: Matcher, cases: list[_Case], grades: dict[str, int], dev: _Dev) -> dict[str, float]:
    """Coordinate ascent from the current weights; ties keep the current value."""
    weights = dict(WEIGHTS)

    def objective_of(trial: dict[str, float]) -> float:
        return (objective(matcher, cases, trial, grades) + DEV_SHARE * dev_p5(dev, trial)) / (1 + DEV_SHARE)

    best = objective_of(weights)
    names = [n for n in weights if n not in FIXED]
    rng = random.Random(4)
    for _ in range(ROUNDS):
        improved = False
        rng.shuffle(names)
        for name in names:
            for step in STEPS:
                for sign in (1, -1):
                    trial = dict(weights)
                    trial[name] = round(trial[name] + sign * step, 3)
                    score = objective_of(trial)
                    if score > best + MIN_GAIN:
                        weights, best, improved = trial, score, True
        print(f"  round: tuning objective {best:.3f}", flush=True)
        if not improved:
            break
    return weights


def write_weights(weights: dict[str, float]) -> None:
    """Rewrite core/weights.py with the found weights, in the file's own order."""
    lines = [f'    "{name}": {value!r},' for name, value in weights.items()]
    WEIGHTS_FILE.write_text(
        '"""How much each ranking signal counts; written by bench/tune_match.py from the tuning split, never by'
        ' hand."""\n\nfrom __future__ import annotations\n\nWEIGHTS: dict[str, float] = {\n'
        + "\n".join(lines)
        + "\n}\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    """Tune, report and write."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="print the figures without writing core/weights.py")
    parser.add_argument("--pool", help="write ungraded top-10 passages of both splits under the found weights here")
    parser.add_argument("--no-search", action="store_true", help="report (and pool) with the current weights")
    args = parser.parse_args(argv)
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))
    grades = json.loads(GRADES.read_text(encoding="utf-8"))
    matcher = Matcher(eval_bank())
    try:
        tune = _cases(matcher, [q for q in queries if q["split"] == "tune"])
        check = _cases(matcher, [q for q in queries if q["split"] == "check"])
        dev_tune, dev_check = _dev(0), _dev(1)
        for name, w in (("current", dict(WEIGHTS)), ("found", None)):
            if w is None:
                w = dict(WEIGHTS) if args.no_search else search(matcher, tune, grades, dev_tune)
                weights = w
            print(f"{name} weights: State Council tune {figures(matcher, tune, w, grades)}")
            print(f"               State Council check {figures(matcher, check, w, grades)}")
            halves = f"first half {dev_p5(dev_tune, w):.3f}, second half {dev_p5(dev_check, w):.3f}"
            print(f"               dev set P@5: {halves}")
        if args.pool:
            pairs = {}
            for case in tune + check:
                saved = dict(WEIGHTS)
                WEIGHTS.update(weights)
                try:
                    pool = sorted((_Scored(weighted(f), c, h) for c, f, h in case.scored), key=lambda s: -s.score)
                    top = [(m.text, m.source.title) for m in matcher._diverse(pool, case.texts, case.sections, 10)]
                finally:
                    WEIGHTS.clear()
                    WEIGHTS.update(saved)
                for text, title in top:
                    k = key(case.query["id"], text)
                    if k not in grades:
                        q = case.query
                        pairs[k] = {
                            "key": k,
                            "heading": q["heading"],
                            "path": q["path"],
                            "passage": text,
                            "source": title,
                        }
            out = list(pairs.values())
            random.Random(len(out)).shuffle(out)
            Path(args.pool).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"{len(out)} ungraded pairs written to {args.pool}")
    finally:
        matcher.close()
    if not args.dry_run and not args.no_search:
        write_weights(weights)
        print(f"written to {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
