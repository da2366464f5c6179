"""The match and suggest commands as scripts use them."""

from __future__ import annotations

import json
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
    assert set(first) == {"text", "template", "kind", "score", "terms", "freq", "source"}
    assert set(first["source"]) == {"title", "heading", "file"}
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
