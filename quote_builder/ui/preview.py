"""The live PDF preview of a quote's proposal and contract terms, and Export PDF.

PDFs render in pre-warmed worker processes (``services.render_worker``): the GUI thread
only hands over the quote as JSON and picks the finished PDF up from a pipe, woken by a
socket notifier (and a 30 ms timer as a fallback), so typing never waits for WeasyPrint.
While a preview renders, newer requests replace each other; only the newest is rendered
next (stale previews are replaced, not queued).

The pane keeps one worker per tab: the proposal renders in one process and the contract
in another, both after each change, so switching tabs shows the other PDF at once. When
a processor core is free (:func:`spare_core`) the tab not shown is handed over at the same
time as the one shown, and both PDFs are ready in about the time of the longer one;
when none is (a busy machine), it is handed over once the shown tab's PDF has arrived,
so it never slows the PDF the user is looking at or the window. The contract's worker
starts once the proposal's has warmed up, so the two never load WeasyPrint at the same
time as the window. A pane given one worker (tests, benchmarks) renders only the tab
shown, in that worker."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QSettings,
    QSocketNotifier,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from quote_builder.pricing import QuoteDocument
from quote_builder.safe_files import FileWriteError, write_atomic
from quote_builder.services.render_worker import (
    RenderKind,
    RenderMeta,
    RenderOutcome,
    RenderWorker,
)

from . import desktop_open
from .i18n import N_, _, error_message, ngettext

PreviewMeta = RenderMeta
"""What the PDF shows besides the document: seller and customer, quote number, version,
hash, status, final, locale (the services' ``RenderMeta``)."""

KINDS: tuple[tuple[RenderKind, str], ...] = (
    ("proposal", N_("Proposal")),
    ("contract", N_("Contract")),
)
POLL_MS = 30


def spare_core() -> bool:
    """Whether a processor core is free for a second render besides the window's: the
    load average of the last minute below the number of cores less one (True where the
    system gives no load average)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return True
    return load < (os.cpu_count() or 1) - 1


FileOpener = Callable[[Path], bool]
"""Opens an exported PDF; False when nothing could."""
SavePathAsker = Callable[[QWidget | None, str], Path | None]


class PreviewPane(QWidget):
    """Proposal / Contract tabs over a PDF view, a busy bar while a preview renders, the
    worker's error as text when there is no PDF, and Export PDF."""

    shown = Signal(object)
    """A PDF is on screen: the worker's ``RenderOutcome``."""
    failed = Signal(object)
    """The worker could not render: the ``RenderOutcome`` with its ``error``."""
    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        worker: RenderWorker | None = None,
        debounce_ms: int = 0,
        poll_ms: int = POLL_MS,
        open_file: FileOpener | None = None,
        ask_path: SavePathAsker | None = None,
    ) -> None:
        super().__init__(parent)
        self._owned: list[RenderWorker] = []
        if worker is None:
            self._owned = [RenderWorker(), RenderWorker()]
            self._workers = dict(zip((k for k, _t in KINDS), self._owned, strict=True))
        else:
            self._workers = {k: worker for k, _t in KINDS}
        self.worker = self._workers[KINDS[0][0]]
        """The proposal's worker (the only one when the pane was given a worker)."""
        self._every_kind = len(self._owned) > 1
        """One worker per kind: each change renders every kind, each in its own process."""
        self._second_started = not self._every_kind
        self.worker.start()  # warms up in its own process while the window comes up
        self._open_file = open_file
        self._ask_path = ask_path
        self._document: QuoteDocument | None = None
        self._meta = PreviewMeta()
        self._generation = 0
        self._jobs: dict[tuple[int, int], tuple[int, RenderKind]] = {}
        """(id of the worker, job id) -> (generation of the document it renders, kind)."""
        self._results: dict[RenderKind, tuple[int, RenderOutcome]] = {}
        self._requested: dict[RenderKind, int] = {}
        self._shown_outcome: RenderOutcome | None = None
        self._busy = False
        self._pdf_document: QPdfDocument | None = None
        self._notifiers: dict[int, tuple[int, QSocketNotifier]] = {}
        """id of a worker -> (its pipe's descriptor, the notifier on it)."""
        self._sent: tuple[str, str] | None = None
        """(file name, status line) while the file as sent is shown (``show_sent``)."""

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._request_current)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(poll_ms)
        self._poll_timer.timeout.connect(self._collect)

        self._tabs = QTabBar()
        self._tabs.setObjectName("previewKind")
        for _kind, title in KINDS:
            self._tabs.addTab(_(title))
        self._tabs.setToolTip(_("Preview the proposal or the contract terms"))
        self._tabs.currentChanged.connect(self._kind_changed)
        self._status = QLabel()
        self._status.setObjectName("previewStatus")
        self._progress = QProgressBar()
        self._progress.setObjectName("previewBusy")
        self._progress.setRange(0, 0)  # indeterminate
        self._progress.setTextVisible(False)
        self._progress.setFixedWidth(110)
        self._progress.setMaximumHeight(12)
        self._progress.setToolTip(_("The preview is being rendered"))
        policy = self._progress.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self._progress.setSizePolicy(policy)
        self._progress.hide()
        self.export_button = QPushButton(_("Export PDF…"))
        self.export_button.setToolTip(_("Save the PDF shown here and open its folder"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)

        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 4)
        header.addWidget(self._tabs)
        header.addStretch(1)
        header.addWidget(self._status)
        header.addWidget(self._progress)
        header.addWidget(self.export_button)

        self._placeholder = QLabel(_("The preview appears here."))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setEnabled(False)
        self.view = QPdfView()
        self.view.setObjectName("previewPdf")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.error_label = QLabel()
        self.error_label.setObjectName("previewError")
        self.error_label.setWordWrap(True)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setMargin(16)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.error_label)
        self._stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self._stack, 1)
        self._watch_pipe()
        if self._owned:
            workers_to_close = list(self._owned)

            def close_workers(*_: object) -> None:
                for worker_to_close in workers_to_close:
                    worker_to_close.close()

            self.destroyed.connect(close_workers)

    # --- what owners call --------------------------------------------------------------------

    @property
    def kind(self) -> RenderKind:
        return KINDS[max(self._tabs.currentIndex(), 0)][0]

    def set_kind(self, kind: RenderKind) -> None:
        self._tabs.setCurrentIndex([k for k, _t in KINDS].index(kind))

    def show_quote(self, document: QuoteDocument, meta: PreviewMeta | None = None) -> None:
        """Preview ``document`` (returns at once; the PDF appears when the worker is done).
        Calls in quick succession are coalesced: only the newest is rendered."""
        if self._sent is not None:
            self._sent = None
            self._tabs.setEnabled(True)
            self._tabs.setToolTip(_("Preview the proposal or the contract terms"))
            self._results.clear()
        self._document = document
        self._meta = meta if meta is not None else PreviewMeta()
        self._generation += 1
        self._debounce.start()
        self._set_busy(True)

    def show_sent(self, pdf: bytes, file_name: str, status: str, detail: str) -> None:
        """Show a sent version's file as it was sent (proposal and signed order form in one
        PDF, byte for byte from the database): a frozen version is never rendered again,
        so Export PDF saves this very file. ``status`` is the line above the view,
        ``detail`` its tooltip."""
        self._sent = (file_name, status)
        self._document = None
        self._generation += 1
        self._debounce.stop()
        self._results.clear()
        self._tabs.setEnabled(False)
        self._tabs.setToolTip(
            _("A sent quote is one signed file (proposal and order form): it is shown as sent")
        )
        self._display(RenderOutcome(job_id=-1, kind="both", pdf=pdf))
        self._set_busy(False)
        self._status.setText(status)
        self._status.setToolTip(detail)

    @property
    def showing_sent(self) -> bool:
        """The file as sent is on screen (not a render)."""
        return self._sent is not None

    def current_pdf(self) -> bytes | None:
        """The PDF on screen (None when none is)."""
        shown = self._shown_outcome
        return shown.pdf if shown is not None and self._stack.currentWidget() is self.view else None

    @property
    def busy(self) -> bool:
        return self._busy

    def page_count(self) -> int:
        return self._pdf_document.pageCount() if self._pdf_document is not None else 0

    def suggested_file_name(self) -> str:
        if self._sent is not None:
            return self._sent[0]
        number = self._meta.quote_number or (self._document.quote_number if self._document else "")
        names = {"proposal": N_("{number} proposal.pdf"), "contract": N_("{number} contract.pdf")}
        return _(names[self.kind]).format(number=number or _("Draft quote"))

    def export(self) -> Path | None:
        """Export the PDF on screen (Export PDF… button)."""
        pdf = self.current_pdf()
        if pdf is None:
            return None
        return export_pdf(
            self,
            pdf,
            self.suggested_file_name(),
            ask_path=self._ask_path,
            open_file=self._open_file,
        )

    def shutdown(self) -> None:
        """Stop the workers (those this pane started)."""
        self._poll_timer.stop()
        self._debounce.stop()
        self._drop_notifiers()
        for worker in self._owned:
            worker.close()

    def _distinct_workers(self) -> list[RenderWorker]:
        workers: list[RenderWorker] = []
        for worker in self._workers.values():
            if all(worker is not w for w in workers):
                workers.append(worker)
        return workers

    # --- requests and outcomes ---------------------------------------------------------------

    def _kind_changed(self, _index: int) -> None:
        if self._sent is not None:
            return
        kind = self.kind
        cached = self._results.get(kind)
        if cached is not None:
            self._display(cached[1])
        elif self._shown_outcome is not None:
            self._stack.setCurrentWidget(self._placeholder)
            self.export_button.setEnabled(False)
        if self._document is not None and (cached is None or cached[0] != self._generation):
            self._debounce.start()
            self._set_busy(True)

    def _request_current(self) -> None:
        if self._document is None:
            self._update_busy()
            return
        shown = self.kind
        kinds = [shown]
        if self._every_kind and spare_core():
            kinds += [k for k, _t in KINDS if k != shown]  # the others at once
        if self._ask(kinds):
            self._prune_jobs()
            self._watch_pipe()
            self._poll_timer.start()
        self._update_busy()

    def _ask(self, kinds: list[RenderKind]) -> bool:
        """Hand the current document over for each of ``kinds`` not yet asked for; whether
        any was."""
        assert self._document is not None
        asked = False
        for kind in kinds:
            if self._requested.get(kind) == self._generation:
                continue
            worker = self._workers[kind]
            job_id = worker.request(self._document, self._meta, kind)
            self._jobs[(id(worker), job_id)] = (self._generation, kind)
            self._requested[kind] = self._generation
            asked = True
        return asked

    def _collect(self) -> None:
        for _fd, notifier in self._notifiers.values():
            notifier.setEnabled(False)  # the pipe may close in poll() (dead worker)
        for worker in self._distinct_workers():
            for outcome in worker.poll():
                generation, kind = self._jobs.pop((id(worker), outcome.job_id), (-1, outcome.kind))
                if generation >= 0:
                    self._results[kind] = (generation, outcome)
                if kind == self.kind and self._sent is None:
                    self._display(outcome)
                if self._requested.get(kind) == generation and not outcome.ok:
                    # A failure (the worker crashed, say) may be retried by the next request.
                    self._requested.pop(kind, None)
        shown = self._results.get(self.kind)
        if (
            self._every_kind
            and self._document is not None
            and shown is not None
            and shown[0] == self._generation
        ):
            # The shown tab's PDF is here: now the other tabs' (if not asked for already).
            self._ask([k for k, _t in KINDS if k != self.kind])
        if not self._second_started and self.worker.ready is not None:
            # The proposal's worker has warmed up: now the contract's (one WeasyPrint
            # import at a time beside the window).
            self._second_started = True
            for worker in self._owned[1:]:
                worker.start()
        self._prune_jobs()
        self._watch_pipe()
        workers = self._distinct_workers()
        if not any(w.busy for w in workers) and all(
            w.ready is not None for w in workers if w.alive
        ):
            self._poll_timer.stop()
        self._update_busy()

    def _prune_jobs(self) -> None:
        """Forget the jobs a newer request replaced before the worker rendered them; a
        replaced request of the other kind is asked again when its tab is shown."""
        live = set()
        for worker in self._distinct_workers():
            live |= {(id(worker), worker.in_flight), (id(worker), worker.pending)}
        for key in [k for k in self._jobs if k not in live]:
            generation, kind = self._jobs.pop(key)
            if self._requested.get(kind) == generation:
                self._requested.pop(kind)

    def _watch_pipe(self) -> None:
        """A notifier on each worker's pipe: wakes the GUI thread as soon as a PDF arrives."""
        for worker in self._distinct_workers():
            key, fd = id(worker), worker.fileno()
            if sys.platform == "win32" or fd is None:
                self._drop_notifier(key)
                if not self._poll_timer.isActive() and (worker.busy or worker.alive):
                    self._poll_timer.start()
                continue
            if key not in self._notifiers or self._notifiers[key][0] != fd:
                self._drop_notifier(key)
                notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
                notifier.activated.connect(self._collect)
                self._notifiers[key] = (fd, notifier)
            self._notifiers[key][1].setEnabled(True)
            if worker.ready is None and worker.alive:
                self._poll_timer.start()

    def _drop_notifier(self, key: int) -> None:
        entry = self._notifiers.pop(key, None)
        if entry is not None:
            notifier = entry[1]
            notifier.setEnabled(False)
            notifier.activated.disconnect()
            notifier.deleteLater()

    def _drop_notifiers(self) -> None:
        for key in list(self._notifiers):
            self._drop_notifier(key)

    def _update_busy(self) -> None:
        # The file as sent is not rendered: a render still in flight is not shown for it.
        self._set_busy(
            self._sent is None and (self._debounce.isActive() or self._workers[self.kind].busy)
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            starting = self._workers[self.kind].ready is None
            self._status.setText(
                _("Starting the PDF renderer…") if starting else _("Rendering the preview…")
            )
        if busy == self._busy:
            return
        self._busy = busy
        self._progress.setVisible(busy)
        if not busy and self._sent is None:
            self._status.setText(self._outcome_text(self._shown_outcome))
            checks = self._shown_outcome.to_check if self._shown_outcome is not None else ()
            self._status.setToolTip("\n".join(f"• {c[0].upper()}{c[1:]}." for c in checks))
        self.busy_changed.emit(busy)

    @staticmethod
    def _outcome_text(outcome: RenderOutcome | None) -> str:
        if outcome is None:
            return ""
        if not outcome.ok:
            return _("Not rendered")
        # A duration, not money: Qt's locale (set to the interface's number locale at the
        # start) writes it without loading babel's data while the new pages are painted.
        text = _("Rendered in {seconds} s").format(
            seconds=QLocale().toString(float(outcome.seconds), "f", 2)
        )
        if outcome.to_check:
            count = len(outcome.to_check)
            text += " · " + ngettext(
                "{count} thing to check (hover)", "{count} things to check (hover)", count
            ).format(count=count)
        return text

    def _display(self, outcome: RenderOutcome) -> None:
        self._shown_outcome = outcome
        if outcome.pdf is None:
            self.error_label.setText(
                _("The preview could not be rendered.\n\n{error}").format(error=outcome.error)
            )
            self._stack.setCurrentWidget(self.error_label)
            self.export_button.setEnabled(False)
            self.failed.emit(outcome)
            return
        same_kind = self._stack.currentWidget() is self.view
        scroll = self.view.verticalScrollBar().value() if same_kind else 0
        document = QPdfDocument(self)
        buffer = QBuffer(document)  # lives as long as the document reading from it
        buffer.setData(QByteArray(outcome.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        if document.status() == QPdfDocument.Status.Error or document.pageCount() == 0:
            document.deleteLater()
            self.error_label.setText(_("The preview is not a readable PDF."))
            self._stack.setCurrentWidget(self.error_label)
            self.export_button.setEnabled(False)
            return
        old, self._pdf_document = self._pdf_document, document
        self.view.setDocument(document)
        if old is not None:
            old.deleteLater()
        self._stack.setCurrentWidget(self.view)
        if scroll:
            QTimer.singleShot(0, lambda: self.view.verticalScrollBar().setValue(scroll))
        self.export_button.setEnabled(True)
        if not self._busy and self._sent is None:
            self._status.setText(self._outcome_text(outcome))
        self.shown.emit(outcome)


# --- Export PDF -----------------------------------------------------------------------------


def export_pdf(
    parent: QWidget | None,
    rendered: bytes | RenderOutcome,
    suggested_name: str,
    *,
    ask_path: SavePathAsker | None = None,
    open_file: FileOpener | None = None,
) -> Path | None:
    """Ask where to save (native dialog), write the PDF, say where it went and offer to open
    it. Returns the file written, or None when the user cancelled or the file could not be
    written (said in a message box, never only on a terminal)."""
    pdf = rendered.pdf if isinstance(rendered, RenderOutcome) else rendered
    if pdf is None:
        raise ValueError("there is no PDF to export")
    path = (ask_path or ask_save_path)(parent, _safe_file_name(suggested_name))
    if path is None:
        return None
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        write_atomic(path, pdf, what="The PDF")
    except FileWriteError as exc:
        QMessageBox.critical(parent, _("PDF not exported"), error_message(exc))
        return None
    QSettings().setValue("export/folder", str(path.parent))
    answer = QMessageBox.question(
        parent,
        _("PDF exported"),
        _("Saved to {path}\n\nOpen it now?").format(path=path),
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
        QMessageBox.StandardButton.Open,
    )
    if answer == QMessageBox.StandardButton.Open and not (open_file or open_in_viewer)(path):
        desktop_open.warn_copyable(
            parent,
            _("PDF not opened"),
            _("No program opened {name}; the PDF is saved in {parent}.").format(
                name=path.name, parent=path.parent
            ),
        )
    return path


def open_in_viewer(path: Path) -> bool:
    """Open the file in the platform's PDF viewer; False when nothing could open it (on
    Linux the opener's exit status: ``QDesktopServices`` says True there regardless)."""
    return desktop_open.open_path(path)


def ask_save_path(parent: QWidget | None, suggested_name: str) -> Path | None:
    """The platform's Save dialog, starting in the last export folder (else Documents,
    else the home folder: ``desktop_open.save_folder``)."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Export PDF"),
        str(desktop_open.save_folder() / suggested_name),
        _("PDF documents (*.pdf)"),
    )
    return Path(chosen) if chosen else None


def open_containing_folder(folder: Path) -> bool:
    """Show the folder in the platform's file manager; False when nothing showed it."""
    return desktop_open.open_path(folder)


def _safe_file_name(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .")
    return cleaned or "quote.pdf"


__all__ = [
    "KINDS",
    "PreviewMeta",
    "PreviewPane",
    "ask_save_path",
    "export_pdf",
    "open_containing_folder",
    "open_in_viewer",
]
