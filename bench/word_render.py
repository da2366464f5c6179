"""Word export as LibreOffice lays it out: pages, lines a page, characters a line, title lines; and check findings.

Renders resources/sample_draft.txt and a 10-page draft built from the bundled reports with soffice, reads the
PDF back with pdftotext, and prints the figures; then the check findings of the 总结+打算 test draft.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bigan.core import gbt9704
from bigan.core.checks import check_text
from bigan.core.corpus import parse_file
from bigan.core.draft import Draft
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.titlewrap import title_lines
from bigan.core.wordio import write_docx
from tests import lo_render

SUMMARY_AND_PLAN = ROOT / "tests" / "data" / "drafts" / "summary_and_plan.txt"
LONG_TITLE = "关于进一步加快推进县域经济高质量发展和全面深化改革的实施意见"


def ten_pages(chars: int = 5_600) -> str:
    """A draft of about ten pages: the bundled reports' headings and paragraphs under a 总结+计划 title."""
    lines = ["某县2024年工作总结和2025年工作计划"]
    for path in sorted(BUNDLED_CORPUS.glob("*.txt")):
        for document in parse_file(path)[1]:
            by_section: dict[int | None, list[str]] = {}
            for passage in document.passages:
                if passage.kind == "paragraph":
                    by_section.setdefault(passage.section, []).append(passage.text)
            for index, section in enumerate(document.sections):
                lines.append(f"{section.number}{section.heading}")
                lines += by_section.get(index, [])
                if sum(map(len, lines)) >= chars:
                    return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n"


def report(name: str, text: str, pages: list[lo_render.Page], layout: gbt9704.PageLayout) -> None:
    """Print one draft's layout figures."""
    draft = Draft.from_text(text)
    expected_title = title_lines(draft.title, layout)
    pitch = layout.char_pitch / 20
    edge = pages[0].width - layout.right_mm * lo_render.MM
    left = layout.left_mm * lo_render.MM
    body = [line for page in pages for line in page.body()]
    title = body[: len(expected_title)]
    text_lines = body[len(expected_title) :]
    cells = Counter(round((min(line.right, edge) - left) / pitch) for line in text_lines)
    hanging = [line for line in text_lines if line.right > edge + 1]
    full = [line for line in text_lines if round((min(line.right, edge) - left) / pitch) == layout.chars]
    print(f"【{name}】{len(draft.to_text())} 字符，{len(pages)} 页")
    print(f"  每页行数（版心内，含标题）：{[len(page.body()) for page in pages]}")
    print(
        f"  标题 {len(title)} 行：{[line.text.replace(' ', '') for line in title]}，"
        f"行宽 {[round(line.right - line.left, 1) for line in title]} pt（版心 {edge - left:.1f} pt）"
    )
    print(
        f"  正文 {len(text_lines)} 行，其中排满一行的 {len(full)} 行；行宽（字格数）分布：{dict(sorted(cells.items()))}"
    )
    if full:
        print(
            f"  排满的行所含字符数：中位 {statistics.median(line.chars for line in full)}，"
            f"最少 {min(line.chars for line in full)}，最多 {max(line.chars for line in full)}（数字、字母占半格）"
        )
    print(f"  末尾标点悬挂在版心外的行：{len(hanging)} 行（{''.join(line.text[-1] for line in hanging)}）")
    starts = [line.text[:1] for line in text_lines if line.text[:1] in "，。、；：！？”’）》％"]
    print(f"  以标点开头的行：{len(starts)}")
    footers = [" ".join(line.text for line in page.footer()) for page in pages]
    print(f"  页码：{footers}")


def main() -> None:
    """Render both drafts in one LibreOffice run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    layout = gbt9704.A4_REPORT
    drafts = {"样稿 resources/sample_draft.txt": (ROOT / "resources" / "sample_draft.txt").read_text("utf-8")}
    drafts["10 页稿（自带范文拼成）"] = ten_pages()
    drafts["长标题稿"] = f"{LONG_TITLE}\n" + ten_pages(400).split("\n", 1)[1]
    with tempfile.TemporaryDirectory() as folder:
        files = {f"d{i}": write_docx(Draft.from_text(text), layout) for i, text in enumerate(drafts.values())}
        pdfs = lo_render.render_all(files, Path(folder))
        for (name, text), pdf in zip(drafts.items(), pdfs.values()):
            report(name, text, lo_render.pages(pdf), layout)
    text = SUMMARY_AND_PLAN.read_text("utf-8")
    lines = text.split("\n")
    print(f"【检查】{SUMMARY_AND_PLAN.relative_to(ROOT)}（{lines[0]}）")
    for finding in check_text(text):
        fragment = lines[finding.line - 1][max(0, finding.start - 6) : finding.end + 6]
        print(f"  第 {finding.line} 行 [{finding.kind}] {finding.message} 修正：{finding.fix}  …{fragment}…")
    paragraphs = Draft.from_text(text).paragraphs
    items = [n for n, paragraph in enumerate(paragraphs, start=2) if paragraph.is_item]
    print(f"  条目（编号句子）所在行：{items}，其上的发现：{[f for f in check_text(text) if f.line in items]}")


if __name__ == "__main__":
    main()
