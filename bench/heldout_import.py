"""Import quality on scraped report pages written blind to the importer, each with its ground truth.

    python bench/heldout_import.py [FOLDER]     # default bench/data/heldout: NAME.txt beside NAME.expected.json

Per file and in total: title, date and year right; headings found (level, number and text) and headings that are
not in the truth; page furniture left in the text; numbered items made headings; asides (salutation, opening,
glossary, appendix) left as passages; line breaks inside sentences re-joined.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bigan.core.corpus import parse_file
from bigan.core.textnorm import normalize_line

DEFAULT = Path(__file__).resolve().parent / "data" / "heldout"
_SPACE = re.compile(r"[\s\u3000]+")


def _key(text: str) -> str:
    return _SPACE.sub("", normalize_line(text)).rstrip("。；;：:")


def _number(number: str) -> str:
    """A heading number without its punctuation style (1、 and 1. are the same number)."""
    return re.sub(r"[、，,．.（）()\s]", "", number)


def evaluate(path: Path) -> dict[str, object]:
    """The figures for one page."""
    truth = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    _, documents = parse_file(path)
    doc = documents[0]
    headings = [(s.level, _number(s.number), _key(s.heading)) for d in documents for s in d.sections]
    passages = [_key(p.text) for d in documents for p in d.passages]
    asides = [_key(a.text) for d in documents for a in d.asides]
    # A run-in heading and the passage after it stand as one paragraph in the source.
    runs = [
        _key(s.heading + "。" + p.text)
        for d in documents
        for s_index, s in enumerate(d.sections)
        for p in d.passages[:]
        if p.section == s_index
    ]
    everything = "\n".join([*(h[2] for h in headings), *passages, *asides, *runs, _key(doc.title)])
    wanted = [(h["level"], _number(h["number"]), _key(h["text"])) for h in truth["headings"]]
    found = [h for h in wanted if h in headings]
    extra = [h for h in headings if h not in wanted]
    furniture = [f for f in truth["furniture"] if len(_key(f)) >= 2 and _key(f) in everything]
    items_as_headings = [i for i in truth["items"] if any(_key(i).startswith(h[2]) and h[2] for h in headings)]
    asides_as_passages = [a for a in truth["asides"] if _key(a) in passages]
    joined = [j for j in truth["joined"] if _key(j) in everything]
    return {
        "file": path.name,
        "documents": len(documents),
        "title": doc.title == truth["title"],
        "date": doc.date == truth["date"],
        "year": doc.year == truth["year"],
        "headings": (len(found), len(wanted)),
        "extra_headings": extra,
        "furniture_left": furniture,
        "items_as_headings": items_as_headings,
        "asides_as_passages": asides_as_passages,
        "joined": (len(joined), len(truth["joined"])),
        "got": (doc.title, doc.date, doc.year),
        "missed_headings": [h for h in wanted if h not in headings],
        "not_joined": [j for j in truth["joined"] if _key(j) not in everything],
    }


def main(argv: list[str] | None = None) -> int:
    """Print the figures for every page of the folder."""
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0]) if args else DEFAULT
    verbose = "--verbose" in args
    totals = {"title": 0, "date": 0, "year": 0, "h_found": 0, "h_wanted": 0, "extra": 0, "furniture": 0,
              "furniture_all": 0, "items": 0, "asides": 0, "j_found": 0, "j_wanted": 0}  # fmt: skip
    pages = sorted(p for p in folder.glob("*.txt"))
    for path in pages:
        r = evaluate(path)
        truth = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        totals["title"] += r["title"]
        totals["date"] += r["date"]
        totals["year"] += r["year"]
        totals["h_found"] += r["headings"][0]
        totals["h_wanted"] += r["headings"][1]
        totals["extra"] += len(r["extra_headings"])
        totals["furniture"] += len(r["furniture_left"])
        totals["furniture_all"] += len(truth["furniture"])
        totals["items"] += len(r["items_as_headings"])
        totals["asides"] += len(r["asides_as_passages"])
        totals["j_found"] += r["joined"][0]
        totals["j_wanted"] += r["joined"][1]
        print(
            f"{r['file']:24s} docs {r['documents']} title {'✓' if r['title'] else '✗'} date {'✓' if r['date'] else '✗'}"
            f" year {'✓' if r['year'] else '✗'} headings {r['headings'][0]}/{r['headings'][1]}"
            f" (+{len(r['extra_headings'])}) furniture left {len(r['furniture_left'])}"
            f" items→headings {len(r['items_as_headings'])} asides→passages {len(r['asides_as_passages'])}"
            f" joined {r['joined'][0]}/{r['joined'][1]}"
        )
        if verbose:
            for name in ("got", "missed_headings", "extra_headings", "furniture_left", "items_as_headings",
                         "asides_as_passages", "not_joined"):  # fmt: skip
                if r[name]:
                    print(f"    {name}: {r[name]}")
    n = len(pages) or 1
    print(
        f"total: titles {totals['title']}/{n}, dates {totals['date']}/{n}, years {totals['year']}/{n};"
        f" heading recall {totals['h_found'] / max(totals['h_wanted'], 1):.3f}"
        f" ({totals['h_found']}/{totals['h_wanted']}),"
        f" extra headings {totals['extra']}; furniture lines left {totals['furniture']}/{totals['furniture_all']};"
        f" items made headings {totals['items']}; asides left as passages {totals['asides']};"
        f" breaks re-joined {totals['j_found']}/{totals['j_wanted']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
