"""The personal bank refuses network file systems and mapped drives, on Linux and Windows alike."""

from __future__ import annotations

import pytest

from bigan.core import cli, netpath
from bigan.core.netpath import DRIVE_REMOTE, NetworkPathError, network_reason, refuse_network, windows_reason


@pytest.fixture
def mounts(monkeypatch, tmp_path):
    """A fake Linux mount table: the temp dir's share/ is an NFS mount, share/local/ a local disk inside it."""
    share = tmp_path / "share"
    (share / "local").mkdir(parents=True)
    table = [("/", "ext4"), (str(share), "nfs4"), (str(share / "local"), "ext4")]
    monkeypatch.setattr(netpath.sys, "platform", "linux")
    monkeypatch.setattr(netpath, "_mount_table", lambda: table)
    return share


def test_a_path_on_an_nfs_mount_is_refused_in_chinese_and_a_local_one_is_not(mounts):
    assert "nfs4" in network_reason(mounts / "bank.db")
    assert network_reason(mounts / "local" / "bank.db") is None
    assert network_reason(mounts.parent / "bank.db") is None
    with pytest.raises(NetworkPathError) as refused:
        refuse_network(mounts / "bank.db")
    assert "不能放在网络位置" in str(refused.value)
    assert "bank publish" in str(refused.value)


@pytest.mark.parametrize("kind", ["cifs", "smb3", "fuse.sshfs", "fuse.gvfsd-fuse", "9p", "ceph"])
def test_every_kind_of_network_file_system_is_recognised(monkeypatch, tmp_path, kind):
    monkeypatch.setattr(netpath.sys, "platform", "linux")
    monkeypatch.setattr(netpath, "_mount_table", lambda: [("/", "ext4"), (str(tmp_path), kind)])
    assert kind in network_reason(tmp_path / "new" / "bank.db")


def test_mount_points_with_spaces_are_read_from_the_escaped_table(monkeypatch, tmp_path):
    spaced = tmp_path / "office share"
    spaced.mkdir()
    line = f"//server/share {str(spaced).replace(' ', chr(92) + '040')} cifs rw 0 0\n"
    monkeypatch.setattr(netpath.sys, "platform", "linux")
    monkeypatch.setattr(netpath, "_mount_table", lambda: [("/", "ext4"), *_parse([line])])
    assert "cifs" in network_reason(spaced / "bank.db")


def _parse(lines: list[str]) -> list[tuple[str, str]]:
    return [(netpath._unescape(r[1]), r[2]) for r in (line.split() for line in lines)]


def test_the_real_mount_table_is_read_and_the_temp_dir_is_local(tmp_path):
    assert netpath._mount_table()
    assert network_reason(tmp_path / "bank.db") is None


def test_windows_unc_paths_and_mapped_drives_are_remote_local_drives_are_not():
    types = {"C:\\": 3, "Z:\\": DRIVE_REMOTE}
    assert "UNC" in windows_reason("\\\\server\\share\\bank.db", types.get)
    assert "UNC" in windows_reason("\\\\?\\UNC\\server\\share\\bank.db", types.get)
    assert "Z:" in windows_reason("Z:\\材料\\bank.db", types.get)
    assert windows_reason("C:\\Users\\张三\\bank.db", types.get) is None
    assert windows_reason("\\\\?\\C:\\Users\\bank.db", types.get) is None


def test_bank_build_on_a_network_path_exits_2_and_writes_nothing(mounts, capsys):
    target = mounts / "bank.db"
    assert cli.main(["bank", "build", "--db", str(target)]) == 2
    err = capsys.readouterr().err
    assert "不能放在网络位置" in err and "nfs4" in err
    assert not target.exists()


def test_merging_into_a_bank_on_a_network_path_is_refused(mounts, capsys):
    assert cli.main(["bank", "merge", str(mounts / "any.pkg"), "--db", str(mounts / "curator.db")]) == 2
    assert "不能放在网络位置" in capsys.readouterr().err


def test_the_build_itself_refuses_a_network_path_whoever_calls_it(mounts):
    from bigan.core import bank

    with pytest.raises(NetworkPathError, match="不能放在网络位置"):
        bank.build([], mounts / "bank.db")
    assert not (mounts / "bank.db").exists()
    assert not list(mounts.glob("*.db*"))
