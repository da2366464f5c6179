"""How often text files are decoded with the right codec: GBK and Big5 snippets of 1, 3 and 20 lines, damaged UTF-8."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.office_samples import STATECOUNCIL
from bigan.core.decode import SourceError, decode_text

# The 1954 report is written with some variant forms that Big5 lacks; a Big5 file would hold the standard ones.
_VARIANTS = dict(zip("産爲决着够强衆羣衞况减〇敎擧綫国却汚华麽", "產為決著夠強眾群衛況減○教舉線國卻污華麼"))


def _snippets(text: str, size: int) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines) - size + 1, max(size, 1))]


def _rate(texts: list[str], codec: str, expected: set[str]) -> tuple[int, int]:
    right = total = 0
    for text in texts:
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        total += 1
        try:
            decoded = decode_text(data)
        except SourceError:
            continue
        # Pure ASCII reads the same in every codec: only the text counts.
        right += decoded.text == text and (decoded.encoding in expected or text.isascii())
    return right, total


def main() -> None:
    """Print the share of snippets decoded to exactly their text, per script, codec and snippet size."""
    simplified = [p.read_text(encoding="utf-8") for p in sorted(STATECOUNCIL.glob("*.txt")) if p.stem != "1954"]
    traditional = "".join(_VARIANTS.get(c, c) for c in (STATECOUNCIL / "1954.txt").read_text(encoding="utf-8"))
    for size in (1, 3, 20):
        gbk = [s for text in simplified for s in _snippets(text, size)]
        big5 = _snippets(traditional, size)
        for label, texts, codec, expected in (
            ("Simplified as GBK", gbk, "gbk", {"gb18030"}),
            ("Traditional as Big5", big5, "cp950", {"cp950", "big5hkscs"}),
            ("Traditional as GBK", big5, "gbk", {"gb18030"}),
        ):
            right, total = _rate(texts, codec, expected)
            print(f"{label:20} {size:2d} lines: {right}/{total} right ({right / max(total, 1):.1%})")
    rng = random.Random(1)
    damaged = right = 0
    for text in simplified:
        data = bytearray(text.encode("utf-8"))
        for _ in range(3):
            data.insert(rng.randrange(len(data)), 0xFF)
        damaged += 1
        try:
            decoded = decode_text(bytes(data))
        except SourceError:
            continue
        right += decoded.encoding == "utf-8" and decoded.replaced >= 3
    print(f"UTF-8 with 3 bad bytes: {right}/{damaged} imported as UTF-8 with a note")


if __name__ == "__main__":
    main()
