"""A whole draft review: the text checks plus the 查重 lookup against the bank, as the CLI and window run it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bigan.core.checks import KINDS, Finding, check_text
from bigan.core.copycheck import CopyChecker


@dataclass
class Review:
    """Every finding in line order, the copied share of the draft, and notes such as a missing bank."""

    findings: list[Finding]
    copied_share: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return {"issues": [f.to_json() for f in self.findings], "copied_share": round(self.copied_share, 4)}


def review(
    text: str,
    db_path: str | Path | None = None,
    kinds: tuple[str, ...] = KINDS,
    year: int | None = None,
    checker: CopyChecker | None = None,
) -> Review:
    """Check a draft's text; the copied check needs a bank (an open checker, or a path to one)."""
    result = Review(check_text(text, kinds, year))
    if "copied" not in kinds:
        return result
    own = checker is None
    if checker is None:
        if db_path is None or not Path(db_path).exists():
            result.notes.append("没有素材库，未做查重（请先导入素材）")
            return result
        checker = CopyChecker(db_path)
    try:
        copied = checker.check(text)
    finally:
        if own:
            checker.close()
    result.findings = sorted(result.findings + copied.findings, key=lambda f: (f.line, f.start, KINDS.index(f.kind)))
    result.copied_share = copied.share
    return result
