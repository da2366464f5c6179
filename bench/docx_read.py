"""Reading .docx files: speed of core.docx_reader on large drafts (python-docx's paragraph text alongside, for
reference), and time and peak memory on hostile files (zip bombs, a 20 MB paragraph, a part at the size limit).

Each case runs in a fresh process so its peak memory is its own. `python bench/docx_read.py [--mb 20]`
"""

from __future__ import annotations

import argparse
import io
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bigan.core.docx_package import MAX_PART
from bigan.core.docx_reader import DocxError, read_docx_content
from bigan.core.draft import Draft
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.wordio import write_docx

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_SPACES = b" " * (16 << 20)
_HEAD = b"<w:document " + _W.encode() + b"><w:body><w:p><w:r><w:t>"
_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1"'
    ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="word/document.xml"/></Relationships>'
)


def _zip(parts: dict[str, bytes]) -> bytes:
    """A minimal package (python-docx opens it too) holding the given parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _spaces_docx(path: Path, size: int) -> None:
    """A .docx whose one paragraph holds `size` spaces, written as a stream (a zip bomb when `size` is large)."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        part.write(_HEAD)
        left = size
        while left > 0:
            part.write(_SPACES[:left])
            left -= len(_SPACES)
        part.write(_TAIL)


def _claim(path: Path, size: int) -> None:
    """Make the zip64 central directory claim `size` uncompressed bytes for its entries (a lying zip bomb)."""
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length, extra_length = struct.unpack_from("<HH", data, start + 28)
        extra = start + 46 + name_length
        end = extra + extra_length
        while extra + 4 <= end:
            kind, length = struct.unpack_from("<HH", data, extra)
            if kind == 0x0001:
                struct.pack_into("<Q", data, extra + 4, size)
            extra += 4 + length
        start = end
    path.write_bytes(bytes(data))


def make_cases(folder: Path, mb: int) -> dict[str, Path]:
    """Write the benchmark files; return them by case name."""
    seed = next(BUNDLED_CORPUS.glob("001_*.txt")).read_text(encoding="utf-8")
    cases: dict[str, Path] = {}
    for size in (5, mb):
        text = seed * (size * 1024 * 1024 // len(seed.encode()) + 1)
        cases[f"draft {size} MB"] = folder / f"draft{size}.docx"
        cases[f"draft {size} MB"].write_bytes(write_docx(Draft.from_text(text)))
    sentence = "全县上下坚持稳中求进工作总基调，统筹推进经济社会发展各项工作。".encode()
    cases["20 MB paragraph"] = folder / "paragraph.docx"
    body = b"<w:p><w:r><w:t>" + sentence * (20 * 1024 * 1024 // len(sentence) + 1) + b"</w:t></w:r></w:p>"
    cases["20 MB paragraph"].write_bytes(
        _zip({"word/document.xml": b"<w:document " + _W.encode() + b"><w:body>" + body + b"</w:body></w:document>"})
    )
    cells = "".join(f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>" for text in ("财政收入", "3.2亿元"))
    row = f"<w:tr>{cells}</w:tr>"
    cases["table of 200 000 rows"] = folder / "table.docx"
    table = f"<w:document {_W}><w:body><w:tbl>{row * 200_000}</w:tbl></w:body></w:document>"
    cases["table of 200 000 rows"].write_bytes(_zip({"word/document.xml": table.encode()}))
    cases["bomb 4 GiB claimed"] = folder / "bomb.docx"
    _spaces_docx(cases["bomb 4 GiB claimed"], 4 << 30)
    cases["bomb 4 GiB claiming 100 MB"] = folder / "lying.docx"
    _spaces_docx(cases["bomb 4 GiB claiming 100 MB"], 4 << 30)
    _claim(cases["bomb 4 GiB claiming 100 MB"], 100 << 20)
    cases["part at the limit (199 MB of spaces)"] = folder / "limit.docx"
    _spaces_docx(cases["part at the limit (199 MB of spaces)"], MAX_PART - (1 << 20))
    return cases


def _peak_mb() -> float:
    """This process's peak resident memory; /proc's VmHWM where there is one (ru_maxrss keeps the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(path: Path, with_python_docx: bool) -> None:
    """Read one file and print the seconds taken, what came out and the peak memory of this process."""
    data = path.read_bytes()
    start = time.perf_counter()
    if with_python_docx:
        import docx

        outcome = f"{sum(1 for p in docx.Document(io.BytesIO(data)).paragraphs if p.text is not None)} paragraphs"
    else:
        try:
            outcome = f"{len(read_docx_content(data).paragraphs)} paragraphs"
        except DocxError as exc:
            outcome = f"refused: {exc}"
    elapsed = time.perf_counter() - start
    print(f"{elapsed:6.2f} s  peak RSS {_peak_mb():4.0f} MB  {outcome} ({len(data) / 1048576:.1f} MB file)")


def main() -> None:
    """Write the cases and read each in its own process."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=20, help="size of the large draft in MB of text")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--python-docx", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        run_case(Path(args.case), args.python_docx)
        return
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        cases = make_cases(Path(folder), args.mb)
        print(f"cases written in {time.perf_counter() - start:.1f} s")
        for name, path in cases.items():
            runs = [("docx_reader", [])]
            if name.startswith(("draft", "table")):
                runs.append(("python-docx paragraph.text", ["--python-docx"]))
            for reader, extra in runs:
                print(f"{name:38} {reader:27}", end=" ", flush=True)
                subprocess.run([sys.executable, __file__, "--case", str(path), *extra], check=True)


if __name__ == "__main__":
    main()
