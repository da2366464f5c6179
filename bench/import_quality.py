"""How well real reports import: one document per report, titles and years, numbered headings against hand labels,
and passages that are page furniture.

    python bench/import_quality.py                       # the State Council set in ../shared/realdocs
    python bench/import_quality.py FOLDER [--gold FILE]  # any folder; gold labels are optional

The gold file (bench/data/statecouncil_numbered.json) lists every line of the set that starts with a number, labelled
by hand as a heading or an item. Recall counts the labelled headings the parser made sections of, with their level;
items are counted as wrong when the parser made them headings.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bigan.core.corpus import parse_file
from bigan.core.decode import SourceError
from bigan.core.script import to_simplified
from bigan.core.textnorm import normalize_line

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "realdocs" / "statecouncil"
DEFAULT_GOLD = ROOT / "bench" / "data" / "statecouncil_numbered.json"
# Written independently of core/clean.py and core/frame.py: what a reader would call furniture in a passage.
FURNITURE = {
    "licence": re.compile(r"著作权|公有领域|本作品|维基|版权所有|Public domain|ICP备", re.IGNORECASE),
    "byline": re.compile(r"^(?:来源|时间|发布时间|作者|编辑|责任编辑|字号|点击)\s*[:：]"),
    "caption": re.compile(r"(?:记者|通讯员)\s*\S{2,4}\s*摄|摄）?$|^图为"),
    "toolbar": re.compile(r"^(?:【?(?:打印|关闭|收藏|分享|下载|全屏|字号|字体|加大|减小|还原)】?\s*)+$"),
    "salutation": re.compile(r"^(?:各位代表|同志们|各位委员|女士们、先生们)[：:！!，,]?$"),
    "related": re.compile(r"^(?:相关报道|相关附件|相关链接|延伸阅读)"),
}
_SPACES = re.compile(r"[\s\u3000]+")


def _key(text: str) -> str:
    return _SPACES.sub("", to_simplified(normalize_line(text)))


def _headings_of(documents) -> list[tuple[int, str]]:
    return [(s.level, _key(s.number + s.heading)) for d in documents for s in d.sections]


def _found(line: str, level: int, headings: list[tuple[int, str]]) -> tuple[bool, bool]:
    """(made a heading at all, made a heading at the labelled level) for a labelled line."""
    key = _key(line)
    hits = [lv for lv, h in headings if h and (key.startswith(h) or (h.startswith(key[: len(h)]) and len(h) > 3))]
    return bool(hits), level in hits


def main(argv: list[str] | None = None) -> int:
    """Import every file of a folder, print the figures, return 0."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--gold", default=None, help="hand-labelled numbered lines (default: the State Council labels)")
    parser.add_argument("--show", type=int, default=5, help="examples to print of each fault")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    gold_path = Path(args.gold) if args.gold else (DEFAULT_GOLD if folder == DEFAULT_SET else None)
    files = sorted(p for p in folder.iterdir() if p.is_file())
    started = time.perf_counter()
    parsed = {}
    for path in files:
        try:
            parsed[path.name] = parse_file(path)[1]
        except SourceError as exc:
            print(f"skipped {path.name}: {exc}")
    seconds = time.perf_counter() - started
    documents = sum(len(d) for d in parsed.values())
    split = [name for name, docs in parsed.items() if len(docs) != 1]
    untitled = [name for name, docs in parsed.items() if docs and docs[0].title == Path(name).stem]
    year_named = {name: int(Path(name).stem) for name in parsed if Path(name).stem.isdigit()}
    wrong_year = [n for n, y in year_named.items() if parsed[n] and parsed[n][0].year != y]
    dated = sum(1 for docs in parsed.values() if docs and docs[0].date)
    print(f"files {len(parsed)}, documents {documents}, parse time {seconds:.1f} s")
    print(f"files split into several documents: {len(split)} {split[: args.show]}")
    print(f"documents titled with the file name: {len(untitled)} {untitled[: args.show]}")
    if year_named:
        print(f"year differs from the file's year: {len(wrong_year)} {wrong_year[: args.show]}")
    print(f"documents with a delivery date: {dated}")
    passages = [(name, p) for name, docs in parsed.items() for d in docs for p in d.passages]
    print(f"passages {len(passages)}")
    for kind, pattern in FURNITURE.items():
        hits = [(n, p.text) for n, p in passages if pattern.search(p.text)]
        print(f"  passages that look like {kind}: {len(hits)}")
        for name, text in hits[: args.show]:
            print(f"      {name}: {text[:70]}")
    if gold_path is None:
        return 0
    lines = json.loads(gold_path.read_text(encoding="utf-8"))["lines"]
    headings = {name: _headings_of(docs) for name, docs in parsed.items()}
    gold = [g for g in lines if g["label"] == "heading" and g["file"] in headings]
    items = [g for g in lines if g["label"] == "item" and g["file"] in headings]
    results = [(g, *_found(g["line"], g["level"], headings[g["file"]])) for g in gold]
    found = sum(1 for _, any_level, _ in results if any_level)
    exact = sum(1 for _, _, right in results if right)
    wrong_items = [g for g in items if _found(g["line"], g["level"], headings[g["file"]])[0]]
    print(f"numbered headings (hand labels): {len(gold)}")
    print(f"  recall {found / len(gold):.3f} ({found}), with the right level {exact / len(gold):.3f}")
    for g, any_level, _ in results:
        if not any_level and args.show:
            print(f"      missed {g['file']}: {g['line'][:60]}")
    print(f"numbered items (hand labels): {len(items)}, made headings: {len(wrong_items)}")
    for g in wrong_items[: args.show]:
        print(f"      {g['file']}: {g['line'][:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
