"""The match and suggest commands as scripts use them."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

from tests.helpers import run_main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run python main.py with arguments."""
    return run_main(*args, stdin=stdin)


def test_match_json_answers_each_heading_in_order(bundled_bank):
    _, db = bundled_bank
    result = run("match", "--db", str(db), "--limit", "3", "--json", "招商引资", "守牢安全底线")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["query"] for d in data] == ["招商引资", "守牢安全底线"]
    first = data[0]["results"][0]
    assert set(first) == {"text", "template", "kind", "score", "terms", "freq", "role", "bank", "entry_id", "source"}
    assert first["bank"] == "本人"
    assert set(first["source"]) == {"title", "heading", "file", "year"}
    assert all(len(d["results"]) == 3 for d in data)


def test_match_dash_reads_headings_from_stdin_in_one_process(bundled_bank):
    _, db = bundled_bank
    result = run("match", "--db", str(db), "--json", "-", stdin='乡村振兴\n"AND OR\n\n党风廉政建设\n')
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["query"] for d in data] == ["乡村振兴", '"AND OR', "", "党风廉政建设"]
    assert data[0]["results"] and data[3]["results"]
    assert "Traceback" not in result.stderr


def test_match_without_a_bank_says_so_in_chinese(tmp_path):
    result = run("match", "--db", str(tmp_path / "none.db"), "招商")
    assert result.returncode == 2
    assert "素材库不存在" in result.stderr
    assert "Traceback" not in result.stderr


def test_suggest_skeletons_and_next_headings(bundled_bank):
    _, db = bundled_bank
    skeletons = json.loads(run("suggest", "--db", str(db), "--json").stdout)
    assert skeletons[0]["documents"] >= skeletons[0]["following"] >= 1
    assert skeletons[0]["outline"][0]["level"] == 1
    after = run("suggest", "--db", str(db), "--json", "--after", "二、存在的问题")
    assert after.returncode == 0
    assert all({"level", "text", "documents", "examples"} <= set(h) for h in json.loads(after.stdout))


def test_match_text_output_is_in_chinese_best_first_with_year_role_and_source(bundled_bank):
    _, db = bundled_bank
    result = run("match", "--db", str(db), "--limit", "5", "--path", "三、2024年工作计划", "（一）抓好项目建设")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "【（一）抓好项目建设】"
    results = [line for line in lines if re.match(r"^\d+\. \[", line)]
    assert len(results) == 5
    scores = [float(re.search(r"· (-?[\d.]+)\]", line).group(1)) for line in results]
    assert scores == sorted(scores, reverse=True)
    assert all(re.match(r"^\d+\. \[(段落|条目) · \d+篇", line) for line in results)
    assert any("年 · " in line for line in results) and any("打算" in line for line in results)
    assert not [line for line in results if "[paragraph" in line or "[item" in line]
    sources = [line for line in lines if line.startswith("   出自《")]
    assert len(sources) == 5 and any("》 › " in line for line in sources)
    assert any(line.endswith("…") for line in results)


def test_match_shows_control_characters_in_a_heading_harmlessly(bundled_bank):
    _, db = bundled_bank
    result = run("match", "--db", str(db), "招商\x1b[31m引资")
    assert "\x1b" not in result.stdout
    assert result.stdout.startswith("【招商\ufffd[31m引资】")


def test_every_option_of_every_command_has_chinese_help():
    from bigan.core.cli import build_parser
    from bigan.core.textnorm import has_cjk

    def walk(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from walk(sub)

    missing = [
        f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"
        for parser in walk(build_parser())
        for action in parser._actions
        if not action.help or not has_cjk(action.help)
    ]
    assert missing == []
