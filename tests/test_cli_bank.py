"""`bank list` and `bank remove` as a user's script runs them."""

from __future__ import annotations

import json
import shutil

from tests.helpers import run_main


def test_bank_list_prints_every_document_and_json_gives_the_fields(tmp_path, bundled_bank):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    listed = run_main("bank", "list", "--db", db)
    assert listed.returncode == 0
    assert listed.stdout.strip().endswith("共 23 篇文档")
    documents = json.loads(run_main("bank", "list", "--db", db, "--json").stdout)
    assert len(documents) == 23
    assert set(documents[0]) == {"id", "title", "year", "kind", "source_file", "passages", "imported_at"}
    assert sum(d["passages"] for d in documents) == bundled_bank[0].passages


def test_bank_remove_by_id_and_by_file_then_reports_what_is_left(tmp_path, bundled_bank):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    documents = json.loads(run_main("bank", "list", "--db", db, "--json").stdout)
    by_file: dict[str, list[int]] = {}
    for d in documents:
        by_file.setdefault(d["source_file"], []).append(d["id"])
    compilation = max(by_file, key=lambda f: len(by_file[f]))
    # Parse workers finish in any order, so which file's documents come first varies: take one of another file.
    single = next(d for d in documents if d["source_file"] != compilation)
    removed = run_main("bank", "remove", str(single["id"]), compilation, "--db", db)
    assert removed.returncode == 0, removed.stderr
    assert f"共删除 {1 + len(by_file[compilation])} 篇文档" in removed.stdout
    left = json.loads(run_main("bank", "list", "--db", db, "--json").stdout)
    assert len(left) == 23 - 1 - len(by_file[compilation])
    assert compilation not in {d["source_file"] for d in left}


def test_bank_remove_of_something_not_in_the_bank_says_so(tmp_path, bundled_bank):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    result = run_main("bank", "remove", str(tmp_path / "没有这个文件.txt"), "--db", db)
    assert result.returncode == 2
    assert "素材库里没有" in result.stderr and "没有这个文件.txt" in result.stderr
    assert len(json.loads(run_main("bank", "list", "--db", db, "--json").stdout)) == 23
