"""Old office formats (.doc, .wps, .rtf, .odt …) turned into .docx by LibreOffice running headless, in batches."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

OFFICE_SUFFIXES = {".doc", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".ott", ".docm", ".dotm"}
ENV_SOFFICE = "BIGAN_SOFFICE"
ENV_TIMEOUT = "BIGAN_CONVERT_TIMEOUT"
# Seconds LibreOffice may go without finishing a file (its own start included) before it counts as hung.
DEFAULT_TIMEOUT = 120.0
BATCH_SIZE = 100
POLL_SECONDS = 0.1

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXECUTABLES = ("soffice", "libreoffice")
_WORD_LIKE = {".doc", ".dot", ".wps", ".wpt"}
_ZIP_BASED = {".odt", ".ott", ".docm", ".dotm"}

UNREADABLE = "LibreOffice 无法打开这个文件（可能已损坏、加密或不是文档）"

Progress = Callable[[int, str], None]


@dataclass
class Conversion:
    """The outcome for one file: the .docx LibreOffice wrote, or the reason there is none."""

    source: str
    docx: Path | None = None
    reason: str = ""


def _install_folders() -> list[Path]:
    """Where LibreOffice puts soffice on Windows, Linux and macOS, most likely first."""
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        folders = []
        for root in dict.fromkeys(r for r in roots if r):
            folders += [Path(root) / "LibreOffice" / "program", *sorted(Path(root).glob("LibreOffice*/program"))]
        return folders
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS")]
    folders = [Path("/usr/lib/libreoffice/program"), Path("/usr/lib64/libreoffice/program")]
    folders += sorted(Path("/opt").glob("libreoffice*/program"), reverse=True)
    folders += [Path("/snap/bin"), Path("/usr/local/bin")]
    return folders


def _registry_soffice() -> str | None:
    """The install path Windows' registry records for LibreOffice, if any."""
    if sys.platform != "win32":
        return None
    import winreg

    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        for key in (r"SOFTWARE\LibreOffice\UNO\InstallPath", r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath"):
            try:
                with winreg.OpenKey(hive, key) as handle:
                    folder, _ = winreg.QueryValueEx(handle, "")
            except OSError:
                continue
            candidate = Path(folder) / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def find_soffice() -> str | None:
    """The LibreOffice program to run: BIGAN_SOFFICE if set, else PATH, the registry, the usual folders."""
    override = os.environ.get(ENV_SOFFICE)
    if override:
        # An explicit choice is kept even when wrong, so the user is told about it rather than surprised.
        return override if Path(override).is_file() else None
    for name in _EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    found = _registry_soffice()
    if found:
        return found
    exe = "soffice.exe" if sys.platform == "win32" else "soffice"
    for folder in _install_folders():
        if (folder / exe).is_file():
            return str(folder / exe)
    return None


def missing_reason(suffix: str) -> str:
    """Why a file of this kind cannot be imported on a machine without LibreOffice, and what to do."""
    kind = suffix.lower() or ".doc"
    override = os.environ.get(ENV_SOFFICE)
    where = f"（环境变量 {ENV_SOFFICE} 指定的“{override}”不存在）" if override else ""
    return (
        f"导入 {kind} 文件需要安装 LibreOffice{where}：可从 https://www.libreoffice.org 下载，免费，"
        "装好后重新导入即可；也可以在 Word 或 WPS 中把它另存为 .docx 再导入"
    )


def timeout_from_env() -> float:
    """The hang timeout: BIGAN_CONVERT_TIMEOUT seconds when set to a number, else the default."""
    try:
        value = float(os.environ.get(ENV_TIMEOUT, ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _looks_textual(head: bytes) -> bool:
    """Whether a file's first bytes could be HTML, MHT, XML or plain text saved under a Word name."""
    if not head:
        return False
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13, 27))
    if controls > len(head) // 50:
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            head.decode(codec)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the sample's end
                return True
    return False


def content_problem(path: str | Path, max_bytes: int | None = None) -> str | None:
    """A reason in Chinese when a file clearly is no document of its kind (so LibreOffice is spared it)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except IsADirectoryError:
        return "这是一个文件夹，不是文件"
    except PermissionError:
        return "没有读取权限"
    except FileNotFoundError:
        return "文件不存在"
    except OSError as exc:
        return f"读取失败：{exc.strerror or exc}"
    if max_bytes is not None and size > max_bytes:
        return f"文件过大（{size / 1048576:.0f} MB，上限 {max_bytes // 1048576} MB）"
    if not head.strip():
        return "文件为空"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == ".rtf":
        return None if stripped.startswith(b"{\\rtf") else "不是有效的 RTF 文件（内容已损坏，或扩展名与内容不符）"
    if suffix in _ZIP_BASED:
        if not head.startswith(b"PK"):
            return f"不是有效的 {suffix} 文件（内容已损坏，或扩展名与内容不符）"
        return _zip_problem(path)
    if head.startswith((_OLE_MAGIC, b"PK\x03\x04")) or stripped.startswith(b"{\\rtf") or _looks_textual(head):
        return None
    return f"不是有效的 Word/WPS 文件（{suffix} 内容已损坏，或扩展名与内容不符）"


def _zip_problem(path: Path) -> str | None:
    """Why a zip-based document (.odt, .docm) must not reach LibreOffice: damaged, or claiming to unpack too much."""
    import zipfile

    from bigan.core.docx_package import DocxError, check_limits

    try:
        with zipfile.ZipFile(path) as package:
            check_limits(package, kind="文档")
    except DocxError as exc:
        return str(exc)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "文档已损坏（压缩包不完整），无法打开"
    return None


def _kill_tree(proc: subprocess.Popen) -> None:
    """Stop LibreOffice and everything it started (it runs in its own process group)."""
    if sys.platform == "win32":
        if proc.poll() is None:
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


WORK_PREFIX = "bigan-convert-"


class Converter:
    """Runs LibreOffice on batches of files inside a private temporary folder that close() removes."""

    def __init__(
        self,
        soffice: str | None = None,
        timeout: float | None = None,
        batch_size: int = BATCH_SIZE,
        max_bytes: int | None = None,
    ) -> None:
        self.soffice = soffice if soffice is not None else find_soffice()
        self.timeout = timeout if timeout is not None else timeout_from_env()
        self.batch_size = max(1, batch_size)
        self.max_bytes = max_bytes
        self.starts = 0
        self._work: Path | None = None
        self._profiles = 0
        self._serial = 0

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove every file this converter wrote, its outputs included."""
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None

    def _folder(self) -> Path:
        if self._work is None:
            # The PID in the name lets a later build tell a dead build's folder from a running one's.
            self._work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))
            self._new_profile()
        return self._work

    def _new_profile(self) -> None:
        # A LibreOffice killed mid-run leaves its profile locked, so each kill moves on to a fresh one.
        self._profiles += 1

    def _profile_url(self) -> str:
        return (self._folder() / f"profile{self._profiles}").as_uri()

    def convert(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> dict[str, Conversion]:
        """Convert the files in as few LibreOffice runs as it allows; the result maps each given path."""
        results: dict[str, Conversion] = {}
        pending: list[str] = []
        for raw in paths:
            key = str(raw)
            problem = content_problem(key, self.max_bytes)
            if problem is not None:
                results[key] = Conversion(key, reason=problem)
            elif self.soffice is None:
                results[key] = Conversion(key, reason=missing_reason(Path(key).suffix))
            else:
                pending.append(key)
        batches = deque(pending[i : i + self.batch_size] for i in range(0, len(pending), self.batch_size))
        done = 0
        while batches:
            if cancelled is not None and cancelled():
                break
            batch = batches.popleft()
            finished, status = self._run(batch, progress, done, cancelled)
            done += len(finished)
            results.update(finished)
            rest = [p for p in batch if p not in finished]
            if status == "cancelled":
                break
            if status == "ok" or not rest:
                for path in rest:
                    results[path] = Conversion(path, reason=UNREADABLE)
            elif len(batch) == 1:
                results[batch[0]] = Conversion(batch[0], reason=self._failure(status))
            else:
                # LibreOffice works through its files in order, so the first one left is the likely culprit:
                # give it a run of its own, then go on with the others.
                if rest[1:]:
                    batches.appendleft(rest[1:])
                batches.appendleft(rest[:1])
        return results

    def _failure(self, status: str) -> str:
        if status == "hung":
            return f"LibreOffice 转换这个文件超过 {self.timeout:.0f} 秒没有完成，已停止（文件可能损坏或过于复杂）"
        return f"LibreOffice 转换这个文件时出错退出（{status}），文件可能已损坏"

    def _run(
        self,
        batch: Sequence[str],
        progress: Progress | None,
        done_before: int,
        cancelled: Callable[[], bool] | None,
    ) -> tuple[dict[str, Conversion], str]:
        """One LibreOffice run over a batch: the files converted and how the run ended."""
        assert self.soffice is not None
        work = self._folder()
        self._serial += 1
        inbox = work / f"in{self._serial}"
        outbox = work / f"out{self._serial}"
        inbox.mkdir()
        outbox.mkdir()
        staged: list[tuple[str, Path, Path]] = []
        finished: dict[str, Conversion] = {}
        for n, path in enumerate(batch):
            # Numbered copies: two "报告.doc" from different folders would otherwise write one "报告.docx".
            copy = inbox / f"f{n:04d}{Path(path).suffix.lower()}"
            try:
                shutil.copyfile(path, copy)
            except OSError as exc:
                finished[path] = Conversion(path, reason=f"读取失败：{exc.strerror or exc}")
                continue
            staged.append((path, copy, outbox / f"{copy.stem}.docx"))
        if not staged:
            return finished, "ok"
        command = [
            self.soffice,
            f"-env:UserInstallation={self._profile_url()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            "docx",
            "--outdir",
            str(outbox),
            *(str(copy) for _, copy, _ in staged),
        ]
        status = self._watch(command, staged, finished, progress, done_before, cancelled)
        for _, copy, _ in staged:
            with contextlib.suppress(OSError):
                copy.unlink()
        return finished, status

    def _watch(
        self,
        command: list[str],
        staged: list[tuple[str, Path, Path]],
        finished: dict[str, Conversion],
        progress: Progress | None,
        done_before: int,
        cancelled: Callable[[], bool] | None,
    ) -> str:
        """Start LibreOffice and follow its outputs until it exits, stalls past the timeout, or is cancelled."""
        options: dict[str, object] = {}
        if sys.platform == "win32":
            options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
        else:
            options["start_new_session"] = True
        self.starts += 1
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                **options,  # type: ignore[arg-type]
            )
        except OSError as exc:
            for path, _, _ in staged:
                finished[path] = Conversion(path, reason=f"无法启动 LibreOffice（{exc.strerror or exc}）")
            return "ok"
        status = "ok"
        seen = 0
        last_change = time.monotonic()
        try:
            while True:
                try:
                    proc.wait(timeout=POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    pass
                present = self._collect(staged, finished, progress, done_before, final=False)
                if present > seen:
                    seen, last_change = present, time.monotonic()
                if cancelled is not None and cancelled():
                    status = "cancelled"
                    break
                if time.monotonic() - last_change > self.timeout:
                    status = "hung"
                    break
        finally:
            killed = proc.poll() is None
            _kill_tree(proc)
            if killed:
                self._new_profile()
        self._collect(staged, finished, progress, done_before, final=True)
        if status == "ok" and proc.returncode not in (0, None) and len(finished) < len(staged):
            status = f"退出码 {proc.returncode}"
        return status

    def _collect(
        self,
        staged: list[tuple[str, Path, Path]],
        finished: dict[str, Conversion],
        progress: Progress | None,
        done_before: int,
        final: bool,
    ) -> int:
        """Take each output that is complete; return how many outputs exist so far."""
        present = [output.exists() for _, _, output in staged]
        for n, (path, _, output) in enumerate(staged):
            if path in finished or not present[n]:
                continue
            # While LibreOffice runs, an output is whole once a later file's output has appeared.
            if final or any(present[n + 1 :]):
                finished[path] = Conversion(path, docx=output)
                if progress is not None:
                    progress(done_before + len(finished), path)
        return sum(present)


def convert_one(path: str | Path, max_bytes: int | None = None) -> tuple[Conversion, bytes]:
    """Convert a single file; return its outcome and the .docx bytes (empty when it failed)."""
    with Converter(max_bytes=max_bytes) as converter:
        outcome = converter.convert([path])[str(path)]
        data = b""
        if outcome.docx is not None:
            try:
                data = outcome.docx.read_bytes()
            except OSError as exc:
                outcome = Conversion(str(path), reason=f"读取转换结果失败：{exc.strerror or exc}")
        return outcome, data
