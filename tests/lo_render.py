"""LibreOffice as a second Word client: render a .docx to PDF and read back its pages and lines (tests, bench)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4


@dataclass
class Line:
    """One line of a rendered PDF page: its box in points and its words joined by spaces."""

    top: float
    bottom: float
    left: float
    right: float
    text: str

    @property
    def chars(self) -> int:
        """Characters on the line, not counting the spaces pdftotext puts between words."""
        return len(self.text.replace(" ", ""))


@dataclass
class Page:
    """A rendered page: its size in points and its lines from top to bottom."""

    width: float
    height: float
    lines: list[Line]

    def body(self, bottom_mm: float = 35) -> list[Line]:
        """The lines inside the text block (above the bottom margin), without the page number."""
        return [line for line in self.lines if line.top < self.height - bottom_mm * MM]

    def footer(self, bottom_mm: float = 35) -> list[Line]:
        """The lines below the text block: the page number."""
        return [line for line in self.lines if line.top >= self.height - bottom_mm * MM]


def render_all(files: dict[str, bytes], folder: Path, env: dict[str, str] | None = None) -> dict[str, Path]:
    """Convert .docx files (name → bytes) to PDF in one LibreOffice run (a private profile in `folder`)."""
    sources = []
    for name, data in files.items():
        sources.append(folder / f"{name}.docx")
        sources[-1].write_bytes(data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: .ci/run installs libreoffice-writer-nogui"
    profile = (folder / "lo-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(folder), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    return {name: folder / f"{name}.pdf" for name in files}


def render(docx: bytes, folder: Path, name: str = "稿件", env: dict[str, str] | None = None) -> Path:
    """Convert .docx bytes to PDF with LibreOffice; the PDF's path."""
    return render_all({name: docx}, folder, env)[name]


def pages(pdf: Path) -> list[Page]:
    """Each page of the PDF with its lines, from `pdftotext -bbox`."""
    output = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found = []
    for page in output.split("<page ")[1:]:
        width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        rows: dict[int, list[tuple[float, float, float, float, str]]] = {}
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            rows.setdefault(round(float(y0)), []).append((float(x0), float(y0), float(x1), float(y1), word))
        lines = []
        for _, words in sorted(rows.items()):
            # pdftotext lists words in reading order; a full stop's box can start left of the word before it.
            text = " ".join(w[4] for w in words)
            top, bottom = min(w[1] for w in words), max(w[3] for w in words)
            lines.append(Line(top, bottom, min(w[0] for w in words), max(w[2] for w in words), text))
        found.append(Page(width, height, lines))
    return found


def text_fonts(pdf: Path) -> list[tuple[str, str]]:
    """Each run of text in a PDF with the font it was set in (subset prefix dropped), from `pdftohtml -xml`."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    families = dict(re.findall(r'<fontspec id="(\d+)" size="[^"]*" family="([^"]*)"', xml))
    return [
        (re.sub("<[^>]+>", "", text), families[font].split("+")[-1])
        for font, text in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml)
    ]
