"""Bank flows of the main window: first-run build, 导入素材 with progress and cancel, 素材库统计."""

from __future__ import annotations

from pathlib import Path

from gui.import_dialog import ImportDialog


class BankFlows:
    """Mixed into MainWindow: starts bank builds in the background and reports them in the window."""

    def build_bank(self, paths: list[str | Path], first_run: bool = False) -> bool:
        """Import paths into the bank in the background; False when a build is already running."""
        if not self.builder.start(paths, self.db_path):
            return False
        self.build_label.setText("首次运行，正在建立素材库…" if first_run else "正在导入素材…")
        self.build_progress.setRange(0, 0)
        if first_run:
            self.snippets.show_message("素材", "首次运行，正在用自带范文建立素材库，完成后这里会列出相关段落。")
        return True

    def _build_busy(self, busy: bool) -> None:
        for widget in (self.build_label, self.build_progress, self.build_cancel):
            widget.setVisible(busy)

    def _build_progress(self, done: int, total: int, path: str) -> None:
        self.build_progress.setRange(0, max(total, 1))
        self.build_progress.setValue(done)
        if self._import_dialog is not None and self._import_dialog.running():
            self._import_dialog.on_progress(done, total, path)

    def _build_finished(self, report: object) -> None:
        if report.changed:
            self.statusBar().showMessage(f"素材库已更新：{report.totals.get('entries', 0)} 条素材", 5000)
        if self._import_dialog is not None and self._import_dialog.running():
            self._import_dialog.on_finished(report)
        self.request_snippets(force=True)
        if self.check_panel.isVisible():
            self.start_check()

    def _build_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"素材库建立失败：{message}", 8000)
        if self._import_dialog is not None and self._import_dialog.running():
            self._import_dialog.on_failed(message)
        self.request_snippets(force=True)

    def _build_cancelled(self) -> None:
        self.statusBar().showMessage("已取消导入，素材库保持原样", 5000)
        if self._import_dialog is not None and self._import_dialog.running():
            self._import_dialog.on_cancelled()
        self.request_snippets(force=True)

    def import_material(self) -> ImportDialog:
        """Open the 导入素材 dialog (not modal: writing can go on during an import)."""
        if self._import_dialog is None:
            dialog = ImportDialog(self)
            dialog.importRequested.connect(self._import_requested)
            dialog.cancelRequested.connect(self.builder.cancel)
            self._import_dialog = dialog
        self._import_dialog.show()
        self._import_dialog.raise_()
        return self._import_dialog

    def _import_requested(self, paths: list[str]) -> None:
        if not self.build_bank(paths) and self._import_dialog is not None:
            self._import_dialog.on_failed("素材库正在建立，请等它完成后再导入。")

    def show_bank_stats(self) -> None:
        """Count what the bank holds (in a worker) and show it."""
        from core import bank

        db = self.db_path
        if not db.exists():
            self.show_info("素材库统计", "还没有素材库。请用“素材 › 导入素材”导入往年的材料。")
            return
        self.queries.submit("stats", lambda: bank.stats(db), plain=True)

    def _show_stats(self, counts: dict[str, int]) -> None:
        self.show_info(
            "素材库统计",
            f"文件 {counts['files']} 个，文档 {counts['documents']} 篇，标题 {counts['sections']} 个；\n"
            f"素材 {counts['passages']} 段（其中条目 {counts['items']} 段），去重后 {counts['entries']} 条，"
            f"多篇共用 {counts['shared_entries']} 条。\n\n素材库文件：{self.db_path}",
        )
