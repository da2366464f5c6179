"""The check and fix commands."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers import run_main

ROOT = Path(__file__).resolve().parent.parent
DRAFT = "某局2025年工作总结\n一、2023年工作情况\n（一）项目建设。\n完成财政收入亿元,同比增长*%。\n（三）招商引资\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run python main.py with arguments."""
    return run_main(*args)


def test_check_json_lists_each_fault_and_exits_1(tmp_path, bundled_bank):
    _, db = bundled_bank
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    result = run("check", str(draft), "--db", str(db), "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    kinds = {i["kind"] for i in data["issues"]}
    assert {"placeholder", "numbering", "punctuation", "year"} <= kinds
    assert 0.0 <= data["copied_share"] <= 1.0
    first = data["issues"][0]
    assert set(first) == {"kind", "line", "start", "end", "message", "fix"}


def test_check_of_a_clean_draft_exits_0(tmp_path, bundled_bank):
    _, db = bundled_bank
    draft = tmp_path / "clean.txt"
    draft.write_text("某局2025年工作总结\n一、总体情况\n全年新开工项目十五个。\n", encoding="utf-8")
    result = run("check", str(draft), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr


def test_fix_writes_the_mechanical_fixes(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "fixed.txt"
    result = run("fix", str(draft), "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "一、2025年工作情况"
    assert lines[2] == "（一）项目建设"
    assert lines[3] == "完成财政收入亿元，同比增长*%。"
    assert lines[4] == "（二）招商引资"


def test_check_of_a_missing_file_is_a_chinese_error(tmp_path):
    result = run("check", str(tmp_path / "none.txt"))
    assert result.returncode == 2
    assert "不存在" in result.stderr and "Traceback" not in result.stderr


def test_a_summary_and_plan_draft_gets_one_year_finding_and_keeps_its_comparisons(tmp_path):
    source = ROOT / "tests" / "data" / "drafts" / "summary_and_plan.txt"
    out = tmp_path / "fixed.txt"

    checked = run("check", str(source), "--kinds", "year,numbering,punctuation", "--json")
    fixed = run("fix", str(source), "--out", str(out))

    issues = json.loads(checked.stdout)["issues"]
    assert [(i["kind"], i["fix"]) for i in issues] == [("year", "2025")]
    text = out.read_text(encoding="utf-8")
    assert fixed.returncode == 0 and "比2024年增加3个" in text and "1.项目储备不足，大项目、好项目偏少。" in text
    assert "2022" not in text
