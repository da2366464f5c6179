"""The 查重 check: draft sentences that stand (nearly) word for word in the phrase bank, found via its index."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.bank_reader import BankReader
from core.checks import Finding
from core.segment import words
from core.textnorm import CJK

MIN_CHARS = 20
NEAR = 0.9
CANDIDATES = 6
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
_KEEP = re.compile(f"[^{CJK}A-Za-z]+")
_CJK_CHAR = re.compile(f"[{CJK}]")


@dataclass
class CopyReport:
    """Copied sentences as findings, and the share of the draft's Chinese characters they cover."""

    findings: list[Finding]
    share: float


def _normal(text: str) -> str:
    return _KEEP.sub("", text.replace("＿", "").replace("×", "")).replace("x", "").replace("X", "")


def _containment(sentence: str, candidate: str) -> float:
    grams = {sentence[i : i + 3] for i in range(len(sentence) - 2)}
    if not grams:
        return 0.0
    return sum(g in candidate for g in grams) / len(grams)


class CopyChecker:
    """Looks draft sentences up in one bank; one instance per thread."""

    def __init__(self, db_path: str | Path | None = None, reader: BankReader | None = None) -> None:
        if reader is None:
            if db_path is None:
                raise ValueError("a bank path or a reader is needed")
            reader = BankReader(db_path)
        self.reader = reader
        self._texts: dict[int, tuple[str, str, int]] = {}

    def _entry(self, entry: int) -> tuple[str, str, int]:
        if entry not in self._texts:
            text, title, freq = self.reader.entry_source(entry)
            self._texts[entry] = (_normal(text), title, freq)
        return self._texts[entry]

    def source_of(self, sentence: str) -> tuple[float, str, int] | None:
        """(similarity, source title, documents carrying it) when the sentence stands in the bank, else None."""
        target = _normal(sentence)
        if len(target) < MIN_CHARS:
            return None
        df = self.reader.entry_df
        terms = sorted({w for w in words(sentence) if df.get(w)}, key=lambda w: df[w])
        if not terms:
            return None
        best: tuple[float, str, int] | None = None
        for entry in self.reader.ranked_entries(terms[:4], CANDIDATES):
            text, title, freq = self._entry(entry)
            score = 1.0 if target in text else _containment(target, text)
            if score >= NEAR and (best is None or score > best[0]):
                best = (score, title, freq)
        return best

    def check(self, text: str) -> CopyReport:
        """Find copied sentences in a draft (first line = title) and the copied share of its body."""
        lines = text.split("\n")
        findings: list[Finding] = []
        copied = total = 0
        for n, line in enumerate(lines[1:], start=2):
            total += len(_CJK_CHAR.findall(line))
            for m in _SENTENCE.finditer(line):
                hit = self.source_of(m.group())
                if hit is None:
                    continue
                score, title, freq = hit
                copied += len(_CJK_CHAR.findall(m.group()))
                how = "原文照搬" if score >= 1.0 else f"与之{score:.0%}相同"
                others = f"等 {freq} 篇" if freq > 1 else ""
                findings.append(Finding("copied", n, m.start(), m.end(), f"{how}：出自《{title}》{others}"))
        return CopyReport(findings, copied / total if total else 0.0)

    def close(self) -> None:
        """Release the bank connection."""
        self.reader.close()

    def abort_when(self, stale: Callable[[], bool] | None, steps: int = 1000) -> None:
        """Stop the lookups (sqlite3.OperationalError) once stale() turns true; None removes the check."""
        self.reader.abort_when(stale, steps)
