"""Property: a build over files of random bytes, under random names, never raises; each file is imported or named."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bigan.core import bank

SUFFIXES = [".txt", ".md", ".docx", ".pdf"]
# Bytes a file name may hold on POSIX, "/" and NUL aside; the rest need not be UTF-8.
NAME_BYTES = st.binary(min_size=1, max_size=12).filter(
    lambda b: b"/" not in b and b"\0" not in b and not b.startswith((b".", b"~$"))
)
CONTENT = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=600).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=400).map(lambda b: b"%PDF-1.4\n" + b),
)
FILES = st.lists(st.tuples(NAME_BYTES, st.sampled_from(SUFFIXES), CONTENT), min_size=1, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=FILES)
def test_a_build_on_random_files_never_raises(files):
    root = Path(tempfile.mkdtemp(prefix="bigan-prop-"))
    try:
        folder = root / "in"
        folder.mkdir()
        written = set()
        for name, suffix, content in files:
            path = os.fsdecode(os.fsencode(folder) + b"/" + name + suffix.encode())
            Path(path).write_bytes(content)
            written.add(path)

        report = bank.build([folder], root / "bank.db")

        accounted = len(report.imported) + len(report.skipped) + len(report.duplicates)
        assert accounted == len(written)
        assert all(reason for _, reason in ((s.path, s.reason) for s in report.skipped))
        if report.imported:
            assert bank.stats(root / "bank.db")["files"] == len(report.imported)
    finally:
        shutil.rmtree(root, ignore_errors=True)
