"""Sample .doc and PDF files made from the seed and State Council texts with LibreOffice, cached in bench/out/."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bigan.core.convert import find_soffice
from bigan.core.draft import Draft, save

OUT = Path(__file__).resolve().parent / "out"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEEDS = SHARED / "seeds"
STATECOUNCIL = SHARED / "realdocs" / "statecouncil"


def source_texts(folder: Path, limit: int | None = None) -> list[Path]:
    """The .txt files of a shared folder, sorted, at most `limit`."""
    files = sorted(folder.glob("*.txt"))
    return files[:limit] if limit else files


def soffice(files: list[Path], fmt: str, outdir: Path) -> None:
    """Convert files with one LibreOffice run into outdir (a private profile, so no running instance interferes)."""
    program = find_soffice()
    if program is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the samples")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800,
        )  # fmt: skip


def draft_lines(text: str) -> list[str]:
    """The non-blank lines of a text, as the draft and the .docx export see them."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def official_docx(source: Path, target: Path) -> Path:
    """A GB/T 9704 .docx of a text file through the project's own export (indent, page numbers)."""
    text = source.read_text(encoding="utf-8", errors="replace")
    save(Draft.from_text("\n".join(draft_lines(text))), target, force=True)
    return target


def make_set(name: str, sources: list[Path], kind: str) -> list[tuple[Path, Path]]:
    """(made file, source text) pairs: kind 'doc' (txt→doc), 'pdf-official' (export→pdf) or 'pdf-plain' (txt→pdf)."""
    folder = OUT / name
    suffix = ".doc" if kind == "doc" else ".pdf"
    wanted = [(folder / f"{s.stem}{suffix}", s) for s in sources]
    missing = [s for target, s in wanted if not target.exists()]
    if missing:
        with tempfile.TemporaryDirectory() as tmp:
            staged = []
            for s in missing:
                if kind == "pdf-official":
                    staged.append(official_docx(s, Path(tmp) / f"{s.stem}.docx"))
                else:
                    copy = Path(tmp) / f"{s.stem}.txt"
                    shutil.copyfile(s, copy)
                    staged.append(copy)
            soffice(staged, "doc" if kind == "doc" else "pdf", folder)
    return wanted


def normalised(text: str) -> str:
    """Text without whitespace, for character-level comparisons."""
    return re.sub(r"\s+", "", text)
