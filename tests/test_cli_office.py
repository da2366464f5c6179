"""Two writers and a curator, each in their own process, sharing one office bank through a shared folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bigan.core import cli
from tests.helpers import run_main


class Desk:
    """One person's machine: their own data dir (attachments, cached copies) and their own bank."""

    def __init__(self, root: Path, name: str, db: Path) -> None:
        self.home = root / f"{name}_home"
        self.db = db
        self.env = {**os.environ, "BIGAN_HOME": str(self.home)}

    def run(self, *args: str | Path, code: int = 0):  # type: ignore[no-untyped-def]
        result = run_main(*args, env=self.env)
        assert result.returncode == code, result.stdout + result.stderr
        return result

    def match(self, heading: str, *extra: str) -> list[dict]:
        out = self.run("match", "--db", self.db, "--json", "--limit", "10", *extra, heading).stdout
        return json.loads(out)[0]["results"]


@pytest.fixture
def office(seed_banks, tmp_path):
    """Writer A, writer B, the curator, and the share with an inbox for packages."""
    desks = {}
    for name, bank_name in (("a", "a"), ("b", "b"), ("curator", "c")):
        db = tmp_path / f"{name}.db"
        shutil.copy(seed_banks[bank_name], db)
        desks[name] = Desk(tmp_path, name, db)
    (tmp_path / "share" / "inbox").mkdir(parents=True)
    return desks, tmp_path / "share"


def _titles(results: list[dict], bank: str) -> set[str]:
    return {r["source"]["title"] for r in results if r["bank"] == bank}


def test_writers_share_through_a_published_office_bank(office, tmp_path):
    desks, share = office
    a, b, curator = desks["a"], desks["b"], desks["curator"]
    office_db = share / "office.db"

    listing = json.loads(a.run("bank", "documents", "--db", a.db, "--json").stdout)
    ids = {d["title"][:4]: d["id"] for d in listing}
    a.run("bank", "export-package", "--db", a.db, "--out", share / "inbox" / "a1.pkg", "--documents",
          str(ids["XX县2"]), "--who", "张三")  # fmt: skip
    merged = curator.run("bank", "merge", share / "inbox" / "a1.pkg", "--db", curator.db).stdout
    assert "已合并" in merged and "张三" in merged
    assert "第 1 版" in curator.run("bank", "publish", "--db", curator.db, "--out", office_db).stdout

    assert "第 1 版" in b.run("bank", "attach", office_db).stdout
    results = b.match("加快项目建设")
    assert _titles(results, "本人") == {"2024年上半年园区管委会主任工作总结"}
    assert "XX县2023年工作总结及2024年工作计划" in _titles(results, "单位")
    assert any(t.startswith("2023年政府部门工作汇报") for t in _titles(results, "单位"))
    text = b.run("match", "--db", b.db, "加快项目建设").stdout
    assert "〔单位〕" in text and "出自《XX县2023年工作总结及2024年工作计划》" in text
    assert "〔本人〕" in text  # among results from both banks, the writer's own say so too

    # A second contribution and a second version: picked up when B next looks.
    a.run("bank", "export-package", "--db", a.db, "--out", share / "inbox" / "a2.pkg", "--documents",
          str(ids["招商中心"]), "--who", "张三")  # fmt: skip
    curator.run("bank", "merge", share / "inbox" / "a2.pkg", "--db", curator.db)
    assert "第 2 版" in curator.run("bank", "publish", "--db", curator.db, "--out", office_db).stdout
    listed = b.run("bank", "attached").stdout
    assert "第 2 版" in listed and "已取回新版本" in listed
    assert "招商中心2023年工作总结和2024年工作安排" in _titles(b.match("创新招商方式"), "单位")

    # The share vanishes (laptop off the network): a quiet notice, and the copy from last time still answers.
    share.rename(tmp_path / "share_offline")
    gone = b.run("match", "--db", b.db, "--json", "创新招商方式")
    assert "单位素材库暂时连不上" in gone.stderr and "第 2 版" in gone.stderr
    results = json.loads(gone.stdout)[0]["results"]
    assert _titles(results, "本人") and _titles(results, "单位")
    (tmp_path / "share_offline").rename(share)

    # The shared file is damaged: a Chinese notice; a machine without a good copy gets its own results only.
    office_db.write_bytes(b"\x00garbage" * 4096)
    damaged = b.run("match", "--db", b.db, "--json", "创新招商方式")
    assert "单位素材库文件有问题" in damaged.stderr and "继续用本机保存的第 2 版" in damaged.stderr
    assert _titles(json.loads(damaged.stdout)[0]["results"], "单位")
    shutil.rmtree(b.home / "shared")
    fresh = b.run("match", "--db", b.db, "--json", "创新招商方式")
    assert "这次只查本人素材库" in fresh.stderr
    results = json.loads(fresh.stdout)[0]["results"]
    assert results and {r["bank"] for r in results} == {"本人"}


def test_attach_detach_and_bad_input_answer_in_chinese(office, tmp_path, monkeypatch, capsys):
    desks, share = office
    b = desks["b"]
    monkeypatch.setenv("BIGAN_HOME", str(b.home))

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, _, err = run("bank", "attach", share / "none.db")
    assert code == 2 and "暂时连不上" in err and "未挂上" in err
    assert "没有挂上单位素材库" in run("bank", "attached")[1]
    run("bank", "publish", "--db", b.db, "--out", share / "office.db")
    run("bank", "attach", share / "office.db")
    code, out, _ = run("match", "--db", b.db, "--json", "--personal-only", "党风廉政建设")
    assert code == 0 and {r["bank"] for r in json.loads(out)[0]["results"]} == {"本人"}
    assert "已取下单位素材库" in run("bank", "detach")[1]
    code, _, err = run("bank", "detach", share / "office.db")
    assert code == 2 and "没有挂上这个单位素材库" in err
    code, _, err = run("bank", "merge", b.db, "--db", tmp_path / "new.db")
    assert code == 1 and "不是笔杆的素材包" in err
    with pytest.raises(SystemExit, match="逗号分隔的数字编号"):
        cli.main(["bank", "export-package", "--db", str(b.db), "--out", str(share / "x.pkg"), "--documents", "一"])
