"""Regenerate tests/data/docx/*.docx from the .fodt sources beside them with LibreOffice, a real second writer.

Run from the project root: `python tests/make_docx_fixtures.py` (needs `soffice`). Review the reader tests after.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "docx"


def main() -> int:
    """Convert every .fodt in tests/data/docx to .docx next to it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice (soffice) is needed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as profile:
        for source in sorted(DATA.glob("*.fodt")):
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    str(DATA),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            print(source.with_suffix(".docx").name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
