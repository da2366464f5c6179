"""Splitting files into documents: single reports, compilations by title, web pages by 篇N."""

from __future__ import annotations

import pytest

from bigan.core.corpus import parse_file
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.textnorm import normalize_line


def _titles(path) -> list[str]:
    _, documents = parse_file(path)
    return [d.title for d in documents]


@pytest.mark.parametrize("number", ["000", "001", "002"])
def test_single_report_seeds_hold_one_document(seed, number):
    assert len(_titles(seed(number))) == 1


def test_compilation_003_splits_into_its_eleven_reports(seed):
    path = seed("003")
    titles = _titles(path)
    source_lines = {
        normalize_line(line.replace("##paidbegin##", "")) for line in path.read_text(encoding="utf-8").splitlines()
    }

    assert len(titles) == 11
    assert len(set(titles)) == 11
    assert "招商中心2023年工作总结和2024年工作安排" in titles
    assert any(t.startswith("粮食局") for t in titles)
    assert any(t.startswith("商务局") for t in titles)
    # Every title is one of the file's own title lines, not a heading or a cover line.
    assert set(titles) <= source_lines
    assert not [t for t in titles if "汇编" in t]


def test_compilation_003_documents_do_not_bleed_into_each_other(seed):
    _, documents = parse_file(seed("003"))
    by_title = {d.title: d for d in documents}
    zhaoshang = by_title["招商中心2023年工作总结和2024年工作安排"]
    texts = [p.text for p in zhaoshang.passages]
    assert any("招商" in t for t in texts)
    assert not [t for t in texts if "粮食" in t]


def test_web_page_004_splits_into_nine_documents(seed):
    _, documents = parse_file(seed("004"))
    assert len(documents) == 9
    assert len({d.title for d in documents}) == 9
    assert all(d.passages for d in documents)


def test_bundled_corpus_holds_23_documents():
    total = sum(len(_titles(path)) for path in sorted(BUNDLED_CORPUS.glob("*.txt")))
    assert total == 23


def _body(topic: str, lines: int = 12) -> str:
    sentence = f"围绕{topic}目标，细化工作举措，压实工作责任，确保各项任务按时保质完成。"
    return "\n".join(sentence for _ in range(lines))


def test_parts_marked_pian_n_become_separate_documents(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(
        "乡镇工作汇报多篇3篇\n"
        "乡镇工作汇报篇1\n一、抓好春耕生产\n" + _body("春耕生产") + "\n"
        "乡镇工作汇报篇2\n一、推进河道整治\n" + _body("河道整治") + "\n"
        "乡镇工作汇报篇3\n一、做好防汛准备\n" + _body("防汛准备") + "\n",
        encoding="utf-8",
    )

    _, documents = parse_file(path)

    assert len(documents) == 3
    assert [d.sections[0].heading for d in documents] == ["抓好春耕生产", "推进河道整治", "做好防汛准备"]
    assert all("篇" not in p.text for d in documents for p in d.passages)
    assert not [p for p in documents[0].passages if "河道" in p.text]


def test_compilation_of_reports_splits_at_title_lines(tmp_path):
    path = tmp_path / "huibian.txt"
    path.write_text(
        "局机关工作总结材料汇编（2篇）\n\n"
        "交通局2023年工作总结\n一、路网建设\n" + _body("路网建设") + "\n\n"
        "水利局2023年工作总结\n一、水利工程\n" + _body("水利工程") + "\n",
        encoding="utf-8",
    )

    assert _titles(path) == ["交通局2023年工作总结", "水利局2023年工作总结"]


def test_a_file_without_title_line_is_named_after_the_file(tmp_path):
    path = tmp_path / "城建工作.txt"
    path.write_text("一、城市建设\n" + _body("城市建设") + "\n", encoding="utf-8")

    assert _titles(path) == ["城建工作"]


def test_short_reports_in_a_compilation_are_not_lost(tmp_path):
    path = tmp_path / "huibian.txt"
    path.write_text(
        "局机关工作总结材料汇编（2篇）\n\n"
        "交通局2023年工作总结\n一、路网建设\n" + _body("路网建设", 3) + "\n\n"
        "水利局2023年工作总结\n一、水利工程\n" + _body("水利工程", 3) + "\n",
        encoding="utf-8",
    )

    _, documents = parse_file(path)
    texts = [p.text for d in documents for p in d.passages]

    assert any("路网建设" in t for t in texts)
    assert any("水利工程" in t for t in texts)
