"""The wheel as a user installs it: a fresh venv, `bigan` run from another folder, nothing read from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel built from this checkout, installed into a new venv; returns (wheel, the venv's bin folder)."""
    work = tmp_path_factory.mktemp("install")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work, ROOT],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = work.glob("bigan-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies come from this environment as plain folders; its .pth hooks (such as an editable
    # install of the checkout) are not run, so only the wheel can provide `bigan`.
    outer = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(target) / "outer-deps.pth").write_text("\n".join(sorted(outer)) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return wheel, bin_dir


def _bigan(bin_dir: Path, cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `bigan` command in cwd, with its own data folder and no display."""
    env = dict(os.environ, BIGAN_HOME=str(cwd / "home"), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [bin_dir / ("bigan.exe" if os.name == "nt" else "bigan"), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_wheel_carries_the_program_and_its_data_but_not_the_tests(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "bigan/main.py" in names
    assert "bigan/core/bank.py" in names and "bigan/gui/main_window.py" in names
    assert "bigan/resources/stopwords.txt" in names and "bigan/resources/thesaurus.json" in names
    assert len([n for n in names if n.startswith("bigan/resources/corpus/")]) == len(
        list((ROOT / "resources" / "corpus").iterdir())
    )
    assert not [n for n in names if n.startswith(("tests/", "bench/", "core/", "gui/", "bigan/tests", "bigan/bench"))]


def test_the_installed_command_builds_matches_exports_and_draws_the_window(installed, tmp_path):
    _, bin_dir = installed
    located = subprocess.run(
        [bin_dir / ("python.exe" if os.name == "nt" else "python"), "-c", "import bigan; print(bigan.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(located).resolve().is_relative_to(bin_dir.parent.resolve())

    corpus = tmp_path / "材料"
    corpus.mkdir()
    for seed in sorted((ROOT / "resources" / "corpus").iterdir())[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    built = _bigan(bin_dir, tmp_path, "bank", "build", corpus, "--db", "库.db")
    assert built.returncode == 0, built.stderr
    assert "导入完成：2 个文件" in built.stdout
    assert (tmp_path / "库.db").stat().st_size > 0

    found = _bigan(bin_dir, tmp_path, "match", "一、主要工作成效", "--db", "库.db", "--limit", "3")
    assert found.returncode == 0, found.stderr
    assert found.stdout.count("出自《") == 3

    draft = tmp_path / "稿.txt"
    draft.write_text("某局2025年工作总结\n一、主要工作\n今年以来，我局扎实推进各项工作。\n", encoding="utf-8")
    exported = _bigan(bin_dir, tmp_path, "export", draft, "--out", "稿.docx")
    assert exported.returncode == 0, exported.stderr
    assert zipfile.ZipFile(tmp_path / "稿.docx").read("word/document.xml").decode().count("扎实推进各项工作") == 1

    shot = _bigan(bin_dir, tmp_path, "screenshot", "窗口.png", "--db", "库.db", "--size", "1024x700")
    assert shot.returncode == 0, shot.stderr
    assert "编辑区每行 28 字" in shot.stdout
    assert (tmp_path / "窗口.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bigan_without_arguments_and_bigan_gui_open_the_window(installed, tmp_path):
    _, bin_dir = installed
    for command in ("bigan", "bigan-gui"):
        env_home = tmp_path / command
        env_home.mkdir()
        done = subprocess.run(
            [bin_dir / (f"{command}.exe" if os.name == "nt" else command)],
            cwd=env_home,
            env=dict(os.environ, BIGAN_HOME=str(env_home), BIGAN_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen"),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        assert any(line.startswith("shown ") for line in done.stdout.splitlines()), done.stdout
