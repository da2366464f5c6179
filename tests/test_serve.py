"""`bigan serve` started on 127.0.0.1, searched in a browser's way and through the desktop's remote client, stopped."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bigan.core import office
from bigan.core.match import OFFICE, PERSONAL
from bigan.core.office_match import OfficeMatcher
from bigan.core.publish import publish
from bigan.core.remote import RemoteBank, RemoteUnavailable

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(published: Path) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "main.py", "serve", str(published), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}"
    client = RemoteBank(url, retry_after=0)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.info()
            return url, process
        except RemoteUnavailable:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(process.communicate()[1]) from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode is not None
    assert "Traceback" not in process.stderr.read()


@pytest.fixture(scope="module")
def published(seed_banks, tmp_path_factory) -> Path:
    """The curator's bank published to a share folder."""
    path = tmp_path_factory.mktemp("share") / "office.db"
    publish(seed_banks["c"], path, who="管理员")
    return path


@pytest.fixture(scope="module")
def server(published):
    """The published bank served on a free local port: (url, process)."""
    url, process = _start(published)
    yield url, process
    _stop(process)


def test_the_remote_client_gets_ranked_passages_with_their_sources(server, seed_banks):
    url, _ = server
    client = RemoteBank(url)
    info = client.info()
    assert info.version == 1 and info.published_by == "管理员" and info.documents == 9
    found = client.match("党风廉政建设", 5)
    assert len(found) == 5 and all(m.bank == OFFICE for m in found)
    assert all(m.source.title.startswith("2023年政府部门工作汇报") and m.source.year == 2023 for m in found)
    from bigan.core.match import Matcher

    local = Matcher(seed_banks["c"])
    try:
        assert [m.text for m in found] == [m.text for m in local.match("党风廉政建设", 5)]
    finally:
        local.close()


def test_the_search_page_shows_passages_with_source_and_a_copy_button(server):
    url, _ = server
    query = urllib.parse.quote("党风廉政建设")
    with urllib.request.urlopen(f"{url}/-/bigan?q={query}", timeout=5) as response:
        page = response.read().decode("utf-8")
    assert page.count('class="copy"') >= 5
    assert "出自《2023年政府部门工作汇报" in page and "第 1 版" in page
    with urllib.request.urlopen(f"{url}/", timeout=5) as response:
        assert "单位素材库" in response.read().decode("utf-8")


def test_the_desktop_uses_the_server_as_its_office_bank_and_shrugs_when_it_stops(
    published, seed_banks, tmp_path, monkeypatch
):
    url, process = _start(published)
    monkeypatch.setenv("BIGAN_HOME", str(tmp_path / "home"))
    office.attach(url)
    personal = tmp_path / "b.db"
    shutil.copy(seed_banks["b"], personal)
    matcher = OfficeMatcher(personal)
    try:
        found = matcher.match("党风廉政建设", 10)
        assert {m.bank for m in found} == {PERSONAL, OFFICE} and matcher.notices == []
        _stop(process)
        started = time.monotonic()
        found = matcher.match("党风廉政建设", 10)
        assert time.monotonic() - started < 5
        assert found and {m.bank for m in found} == {PERSONAL}
        assert "单位素材库暂时连不上" in matcher.notices[0]
    finally:
        matcher.close()
        _stop(process)


def test_serve_refuses_a_file_that_is_not_a_bank_and_a_taken_port(tmp_path, seed_banks):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 100)
    result = subprocess.run(
        [sys.executable, "main.py", "serve", str(junk)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode == 2 and "素材库" in result.stderr and "Traceback" not in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        from bigan.core.serve import serve

        assert serve(seed_banks["c"], "127.0.0.1", port) == 2
