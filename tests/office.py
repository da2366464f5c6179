"""Office files for the tests, made on the fly with LibreOffice (CI installs it) and by hand."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from bigan.core.convert import find_soffice
from bigan.core.draft import Draft, save

# A report long enough that its paragraphs run over several lines and its body over more than one page.
LONG_PARAGRAPH = (
    "全年新开工项目十五个，完成投资八点六亿元，比上年增长百分之十二。我们坚持项目为王，"
    "建立重大项目领导包联制度，实行一个项目、一名领导、一个专班、一抓到底，"
    "协调解决用地、环评、资金等难题三十六个，推动一批打基础、利长远的重大项目落地见效。"
)
PDF_REPORT = [
    "某县2023年工作总结",
    "一、主要工作成效",
    LONG_PARAGRAPH,
    "（一）狠抓项目建设",
    LONG_PARAGRAPH.replace("十五", "二十"),
    "（二）优化营商环境",
    *[LONG_PARAGRAPH.replace("十五", f"{n}十") for n in "三四五六七八九"],
    "二、下一步打算",
    "坚持稳中求进工作总基调，全力推动经济高质量发展。",
]

_ENCRYPT = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
_RESTRICT = (
    '{"RestrictPermissions":{"type":"boolean","value":"true"},'
    '"PermissionPassword":{"type":"string","value":"owner"},"Changes":{"type":"long","value":"0"}}'
)


def soffice(files: list[Path], target: str, outdir: Path) -> None:
    """Convert files with one LibreOffice run (private profile) into outdir."""
    program = find_soffice()
    assert program is not None, "the tests need LibreOffice (soffice) installed"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
        )  # fmt: skip


def png(width: int = 400, height: int = 300) -> bytes:
    """A grey PNG picture, written by hand."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes([(x * 7 + y * 3) % 256 for x in range(width)]) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_docx(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
    """A plain .docx whose paragraphs are (text, style name) pairs."""
    from docx import Document

    document = Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def make_samples(folder: Path, report_text: str) -> dict[str, Path]:
    """.doc/.rtf/.odt of report_text, and text, scanned, encrypted and owner-restricted PDFs of PDF_REPORT."""
    folder.mkdir(parents=True, exist_ok=True)
    source = write_docx(folder / "report.docx", [(line, "Normal") for line in report_text.splitlines()])
    made: dict[str, Path] = {}
    for suffix in ("doc", "rtf", "odt"):
        out = folder / suffix
        soffice([source], suffix, out)
        made[suffix] = out / f"report.{suffix}"
    official = folder / "official.docx"
    save(Draft.from_text("\n".join(PDF_REPORT)), official, force=True)
    picture = folder / "picture.png"
    picture.write_bytes(png())
    from docx import Document
    from docx.shared import Cm

    scan = Document()
    scan.add_picture(str(picture), width=Cm(15))
    scan.save(str(folder / "scan.docx"))
    soffice([official, folder / "scan.docx"], "pdf", folder / "pdf")
    made["pdf"] = folder / "pdf" / "official.pdf"
    made["scan_pdf"] = folder / "pdf" / "scan.pdf"
    soffice([official], f"pdf:writer_pdf_Export:{_ENCRYPT}", folder / "locked")
    made["locked_pdf"] = folder / "locked" / "official.pdf"
    soffice([official], f"pdf:writer_pdf_Export:{_RESTRICT}", folder / "restricted")
    made["restricted_pdf"] = folder / "restricted" / "official.pdf"
    for name, path in made.items():
        assert path.is_file(), f"LibreOffice did not make the {name} sample"
    return made


FAKE_SOFFICE = """#!{python}
# A stand-in for soffice: writes a prepared .docx for each file, hangs on files that contain HANG.
import os, shutil, subprocess, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
files = args[args.index("--outdir") + 2 :]
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
with open(os.environ["FAKE_SOFFICE_PIDS"], "a") as log:
    log.write(f"{{os.getpid()}} {{child.pid}}\\n")
for name in files:
    with open(name, "rb") as handle:
        if b"HANG" in handle.read():
            time.sleep(120)
    time.sleep(0.05)
    stem = os.path.splitext(os.path.basename(name))[0]
    shutil.copyfile(os.environ["FAKE_SOFFICE_DOCX"], os.path.join(outdir, stem + ".docx"))
child.kill()
"""


def fake_soffice(folder: Path) -> Path:
    """An executable that behaves like soffice --convert-to docx but hangs on files containing HANG."""
    script = folder / "fake-soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    return script


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting to be reaped does not count)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self").exists():
        try:
            return stat.read_text(encoding="ascii").split(") ", 1)[1][:1] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
