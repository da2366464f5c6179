"""Old office files through LibreOffice: batches, files it cannot open, LibreOffice missing or hanging."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from bigan.core import bank, convert
from bigan.core.corpus import documents_from_source
from bigan.core.decode import SourceError, read_source
from bigan.core.textnorm import has_cjk
from tests.office import alive, fake_soffice, write_docx


def _outline(source) -> list[tuple[int, str, str]]:
    return [(s.level, s.number, s.heading) for d in documents_from_source(source) for s in d.sections]


@pytest.fixture(scope="session")
def batch(office_samples, tmp_path_factory):
    """One Converter run over a .doc, .rtf, .odt, a truncated .doc and random bytes named .doc."""
    folder = tmp_path_factory.mktemp("batch")
    good = [office_samples[k] for k in ("doc", "rtf", "odt")]
    cut = folder / "cut.doc"
    data = office_samples["doc"].read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    junk = folder / "x.doc"
    junk.write_bytes(random.Random(5).randbytes(6000))
    converter = convert.Converter()
    outcomes = converter.convert([*good, cut, junk])
    yield converter, outcomes, good, cut, junk
    converter.close()


def test_doc_rtf_and_odt_convert_in_one_libreoffice_run_and_keep_their_headings(batch, report_headings):
    converter, outcomes, good, _, _ = batch

    assert converter.starts == 1
    for path in good:
        outcome = outcomes[str(path)]
        assert outcome.docx is not None, outcome.reason
        source = read_source(path, outcome.docx)
        assert _outline(source) == report_headings
        # The bank keeps the original file as the document's identity.
        assert source.path == str(path)
        assert source.size == path.stat().st_size
        assert source.encoding == f"{path.suffix[1:]}→docx"


def test_a_doc_libreoffice_cannot_open_gets_a_chinese_reason(batch):
    _, outcomes, _, cut, _ = batch

    outcome = outcomes[str(cut)]
    assert outcome.docx is None
    assert "LibreOffice" in outcome.reason and "无法打开" in outcome.reason


def test_random_bytes_named_doc_are_refused_without_importing_garbage(batch):
    _, outcomes, _, _, junk = batch

    outcome = outcomes[str(junk)]
    assert outcome.docx is None
    assert has_cjk(outcome.reason) and ".doc" in outcome.reason


def test_the_temporary_folder_is_removed_on_close(office_samples):
    converter = convert.Converter()
    outcome = converter.convert([office_samples["rtf"]])[str(office_samples["rtf"])]
    assert outcome.docx is not None and outcome.docx.exists()
    work = outcome.docx.parent.parent

    converter.close()

    assert not work.exists()


def test_two_files_with_the_same_name_from_different_folders_both_convert(office_samples, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = shutil.copy(office_samples["rtf"], tmp_path / "a" / "总结.rtf")
    second = tmp_path / "b" / "总结.rtf"
    second.write_text(r"{\rtf1\ansi 2024 plan: second file}", encoding="ascii")

    with convert.Converter() as converter:
        outcomes = converter.convert([first, second])
        texts = [read_source(p, outcomes[str(p)].docx).blocks for p in (first, second)]

    joined = ["".join(b.text for b in blocks) for blocks in texts]
    assert "主要工作成效" in joined[0]
    assert "second file" in joined[1]


def test_without_libreoffice_each_file_is_named_with_what_to_install(tmp_path, monkeypatch, report_text):
    monkeypatch.setenv("BIGAN_SOFFICE", str(tmp_path / "nowhere" / "soffice"))
    monkeypatch.setenv("PATH", str(tmp_path))
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text, encoding="utf-8")
    write_docx(folder / "seed.docx", [(line, "Normal") for line in report_text.splitlines()[::-1]])
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (folder / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(700))

    report = bank.build([folder], tmp_path / "bank.db")

    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"old.doc", "old.wps"}
    for name, reason in reasons.items():
        assert "安装 LibreOffice" in reason and Path(name).suffix in reason
        assert "另存为 .docx" in reason
    assert {Path(p).name for p in report.imported} == {"good.txt", "seed.docx"}
    with pytest.raises(SourceError) as caught:
        read_source(folder / "old.doc")
    assert "LibreOffice" in str(caught.value)


def test_find_soffice_honours_the_environment_variable(tmp_path, monkeypatch):
    program = fake_soffice(tmp_path)
    monkeypatch.setenv("BIGAN_SOFFICE", str(program))

    assert convert.find_soffice() == str(program)


@pytest.fixture
def fake(tmp_path, monkeypatch, make_docx):
    """A hanging-capable fake soffice; yields (program, pid log)."""
    pids = tmp_path / "pids.txt"
    template = make_docx(tmp_path / "template.docx", [("一、工作成效", "Normal"), ("正文内容。", "Normal")])
    monkeypatch.setenv("FAKE_SOFFICE_PIDS", str(pids))
    monkeypatch.setenv("FAKE_SOFFICE_DOCX", str(template))
    return fake_soffice(tmp_path), pids


def _logged_pids(log: Path) -> list[int]:
    return [int(p) for line in log.read_text().splitlines() for p in line.split()]


def test_a_hanging_file_is_named_and_the_others_in_its_batch_still_convert(tmp_path, fake):
    program, pids = fake
    files = []
    for name, body in (("a.doc", "第一份材料"), ("hang.doc", "HANG"), ("c.doc", "第三份材料")):
        files.append(tmp_path / name)
        files[-1].write_text(body, encoding="utf-8")

    with convert.Converter(soffice=str(program), timeout=1.0) as converter:
        outcomes = converter.convert(files)
        work = converter._work

    assert outcomes[str(files[0])].docx is not None
    assert outcomes[str(files[2])].docx is not None
    hung = outcomes[str(files[1])]
    assert hung.docx is None and "超过" in hung.reason
    # The batch, the suspect alone, then the rest: three starts, every process of each one gone.
    assert converter.starts == 3
    assert not any(alive(pid) for pid in _logged_pids(pids))
    assert work is not None and not work.exists()


def test_libreoffice_hanging_during_a_build_skips_that_file_and_imports_the_rest(
    tmp_path, fake, monkeypatch, report_text
):
    program, pids = fake
    monkeypatch.setenv("BIGAN_SOFFICE", str(program))
    monkeypatch.setenv("BIGAN_CONVERT_TIMEOUT", "1")
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text, encoding="utf-8")
    (folder / "stuck.doc").write_text("HANG", encoding="utf-8")
    before = set(os.listdir(os.environ.get("TMPDIR", "/tmp")))

    report = bank.build([folder], tmp_path / "bank.db")

    assert [Path(p).name for p in report.imported] == ["good.txt"]
    assert [(Path(s.path).name, "超过" in s.reason) for s in report.skipped] == [("stuck.doc", True)]
    assert not any(alive(pid) for pid in _logged_pids(pids))
    leftovers = {n for n in set(os.listdir(os.environ.get("TMPDIR", "/tmp"))) - before if n.startswith("bigan-")}
    assert leftovers == set()


def test_an_odt_claiming_gigabytes_is_refused_before_libreoffice_sees_it(tmp_path):
    import struct
    import zipfile

    from bigan.core.convert import content_problem

    path = tmp_path / "炸弹.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>")
    assert content_problem(path) is None
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")
    while bytes(data[entry + 46 : entry + 57]) != b"content.xml":
        entry = data.find(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 0xF000_0000)  # the central directory now claims 3.75 GiB
    path.write_bytes(bytes(data))
    assert "文档解压后过大" in (content_problem(path) or "")
    (tmp_path / "断.odt").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    assert "已损坏" in (content_problem(tmp_path / "断.odt") or "")
