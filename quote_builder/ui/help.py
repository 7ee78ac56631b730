"""The Help menu's windows: About (version, database, log folder, licences), Keyboard
shortcuts (the table of ``shortcuts.py``, which every window binds its keys from) and the
user guide (``resources/guide/user-guide.md``, shipped with the app and shown in the app,
offline, from a checkout, an installed wheel and the standalone build alike).
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QResizeEvent,
    QShowEvent,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quote_builder import about, diagnostics
from quote_builder.app_dirs import log_dir
from quote_builder.paths import resources_dir

from . import shortcuts
from .i18n import SOURCE_LANGUAGE, _, language, ngettext

if TYPE_CHECKING:
    from .main_window import MainWindow


@dataclass(frozen=True)
class LicenceNotice:
    name: str
    version: str
    licence: str
    texts: tuple[str, ...]
    """The package's licence texts, if any."""


def licence_notices() -> list[LicenceNotice]:
    """Quote Builder first, then the whole third-party notices, then every package shipped
    with it (A-Z), then the notices' other sections (the fonts; in the standalone build the
    Python runtime and the native libraries it carries), as the notices that ship with the
    app list them (``resources/legal``, written from the lock file by
    ``scripts/notices.py``): the same list in a checkout, from a wheel and in the
    standalone build, which carries no package metadata to read."""
    own = LicenceNotice(
        about.DISTRIBUTION, about.version(), _("Proprietary (LICENSE)"), (about.license_text(),)
    )
    everything = LicenceNotice(
        _("Third-party notices (all)"),
        "",
        _("Every licence text, and how the LGPL components are used"),
        (about.third_party_notices(),),
    )
    texts = about.licence_texts()
    summary = about.third_party_summary()
    shipped = [
        LicenceNotice(name, version, licence, (texts[name],) if name in texts else ())
        for name, version, licence in summary
    ]
    packages = {f"{name} {version}" for name, version, _licence in summary}
    others = [
        LicenceNotice(
            heading,
            "",
            "OFL-1.1" if heading.startswith("fonts") else _("Several: see the text"),
            (text,),
        )
        for heading, text in about.notice_sections()
        if heading not in packages
    ]
    return [own, everything, *sorted(shipped, key=lambda n: n.name.lower()), *others]


PACKAGE_COLUMN_MOST = 260
"""The About box's package and version columns are at most this wide (pixels)."""


class AboutDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About Quote Builder"))
        workspace = window.workspace
        layout = QVBoxLayout(self)
        heading = QLabel(
            _(
                "<h2>Quote Builder {app_version}</h2><p>Prices AI-native SaaS deals: quotes, approvals, proposal and contract PDFs.</p>"
            ).format(app_version=diagnostics.app_version())
        )
        heading.setObjectName("about_heading")
        layout.addWidget(heading)
        facts = QLabel(
            "<table cellspacing=4>"
            + "".join(
                f"<tr><td><b>{name}</b></td><td>{value}</td></tr>"
                for name, value in (
                    (_("Database"), _escape(workspace.location)),
                    (_("User"), _escape(workspace.user)),
                    (_("Log folder"), _escape(str(log_dir()))),
                    ("Python", platform.python_version()),
                    ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
                    (_("System"), _escape(platform.platform(terse=True))),
                )
            )
            + "</table>"
        )
        facts.setObjectName("about_facts")
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.setWordWrap(True)
        layout.addWidget(facts)

        notices = licence_notices()
        self.licences = QTableWidget(len(notices), 3)
        self.licences.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.licences.setObjectName("about_licences")
        self.licences.setHorizontalHeaderLabels([_("Package"), _("Version"), _("Licence")])
        self.licences.verticalHeader().setVisible(False)
        self.licences.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.licences.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.licences.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.licences.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # A long name (the standalone build's "Python runtime and native libraries in the
        # standalone build (linux x86_64)") is cut short, never the licence column.
        header.setMaximumSectionSize(PACKAGE_COLUMN_MOST)
        for row, notice in enumerate(notices):
            for column, text in enumerate((notice.name, notice.version, notice.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.licences.setItem(row, column, item)
        self._notices = notices
        self.licence_text = QPlainTextEdit()
        self.licence_text.setObjectName("about_licence_text")
        self.licence_text.setReadOnly(True)
        self.licence_text.setPlaceholderText(_("Choose a package to read its licence file."))
        self.licences.currentCellChanged.connect(lambda row, *_: self._show_licence(row))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.licences)
        split.addWidget(self.licence_text)
        split.setSizes([220, 120])
        layout.addWidget(QLabel(_("<b>Licences</b> (Quote Builder and the packages it runs on)")))
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(self._notices):
            notice = self._notices[row]
            self.licence_text.setPlainText(
                "\n\n".join(notice.texts)
                or _("{name} {version}: {licence} (no licence file shipped)").format(
                    name=notice.name, version=notice.version, licence=notice.licence
                )
            )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Keyboard shortcuts -------------------------------------------------------------------------


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(_("Keyboard shortcuts"))
        rows = shortcuts.rows()
        self.table = QTableWidget(len(rows), 3)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.table.setObjectName("shortcuts_table")
        self.table.setHorizontalHeaderLabels([_("Where"), _("What"), _("Keys")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        # As wide as the three columns' words need (German and French ones are longer), within
        # the screen; the description column takes what is left.
        wanted = header.length() + self.table.verticalScrollBar().sizeHint().width() + 48
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width = min(max(720, wanted), screen.width() - 40) if screen is not None else 720
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(width, 560)


# --- the user guide -----------------------------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def user_guide_path() -> Path:
    """``resources/guide/user-guide.md``: the user guide shipped with the app (in the
    wheel and the standalone build under ``quote_builder/resources/guide``), written from
    the README's user sections by ``scripts/user_guide.py``; its screenshots are in
    ``images/`` beside it."""
    return resources_dir() / "guide" / "user-guide.md"


def user_guide() -> tuple[str, Path | None]:
    """The user guide's Markdown and the folder its images are relative to. Never the
    README: that is the developers' front page (set-up, tests)."""
    try:
        path = user_guide_path()
        return path.read_text("utf-8"), path.parent
    except (OSError, UnicodeDecodeError):  # FileNotFoundError too (paths, or the file)
        return (
            _(
                "# Quote Builder\n\nThe user guide was not installed with this copy of the app "
                "(resources/guide/user-guide.md is missing): reinstall Quote Builder."
            ),
            None,
        )


def _without_missing_images(text: str, base: Path | None) -> str:
    def keep(match: re.Match[str]) -> str:
        target = match.group(1)
        if base is not None and "://" not in target and (base / target).is_file():
            return match.group(0)
        return ""

    return _IMAGE.sub(keep, text)


GUIDE_IMAGE_WIDTH = 760
"""Screenshots in the guide are shown at most this wide (they are full windows), and never
wider than the guide's window."""


def _fit_to_width(browser: QTextBrowser, base: Path, width: int, sizes: dict[str, QSize]) -> None:
    """Nothing in the guide is wider than ``width`` pixels: images are scaled down to it,
    keeping their proportions (``sizes``: each image's own size, read once), and code
    blocks wrap instead of running off to the side (the guide scrolled sideways).

    A scaled-down screenshot is scaled smoothly here and given to the document at the size
    it is shown (``_shown_image``): the text browser itself scales an image by dropping
    pixels, and a screenshot's thin letters lost columns ("Catalog" read "Cata og")."""
    document = browser.document()
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block = document.begin()
    while block.isValid():
        if block.blockFormat().nonBreakableLines():
            wrapping = block.blockFormat()
            wrapping.setNonBreakableLines(False)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(wrapping)
        # A screenshot in a list item starts at the item's indent.
        indent = block.blockFormat().leftMargin() + block.blockFormat().indent() * (
            document.indentWidth()
        )
        if block.textList() is not None:
            indent += block.textList().format().indent() * document.indentWidth()
        room = max(40, int(width - indent))
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            image_format = fragment.charFormat().toImageFormat()
            if fragment.isValid() and image_format.isValid():
                name = image_format.name()
                if name not in sizes:
                    sizes[name] = QImage(str(base / name)).size()
                size = sizes[name]
                shown = min(room, size.width())
                if size.width() > 0 and round(image_format.width()) != shown:
                    image_format.setWidth(shown)
                    image_format.setHeight(size.height() * shown / size.width())
                    document.addResource(
                        QTextDocument.ResourceType.ImageResource,
                        QUrl(name),
                        _shown_image(base / name, shown, browser.devicePixelRatioF()),
                    )
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(image_format)
            iterator += 1
        block = block.next()
    cursor.endEditBlock()


def _shown_image(path: Path, width: int, ratio: float) -> QImage:
    """The image at ``path`` as the guide shows it ``width`` pixels wide: scaled smoothly
    (for a screen of ``ratio`` device pixels per pixel), or as it is when it fits."""
    image = QImage(str(path))
    if image.isNull() or image.width() <= width:
        return image
    pixels = max(1, round(width * ratio))
    scaled = image.scaledToWidth(pixels, Qt.TransformationMode.SmoothTransformation)
    scaled.setDevicePixelRatio(pixels / width)
    return scaled


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("user_guide")
        self.setWindowTitle(_("Quote Builder user guide"))
        text, base = user_guide()
        self.browser = QTextBrowser()
        self.browser.setObjectName("user_guide_text")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        if base is not None:
            self.browser.setSearchPaths([str(base)])
        self.browser.setMarkdown(_without_missing_images(text, base))
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A word longer than the window (a path, a command in a table cell) breaks
        # rather than pushing the page sideways.
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.base = base
        self._image_sizes: dict[str, QSize] = {}
        self._fitted_to = 0
        layout = QVBoxLayout(self)
        if language() != SOURCE_LANGUAGE:
            # The guide is the README, written in English only.
            note = QLabel(_("The user guide is written in English."))
            note.setObjectName("user_guide_language")
            layout.addWidget(note)
        # Search: the guide is long (every section of the README a user reads).
        self.search = QLineEdit()
        self.search.setObjectName("user_guide_search")
        self.search.setPlaceholderText(_("Find in the guide (Ctrl+F); Enter finds the next"))
        self.search.setAccessibleName(_("Find in the guide"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.find_words(again=False))
        self.search.returnPressed.connect(self.find_next)
        self.search_status = QLabel()
        self.search_status.setObjectName("user_guide_search_status")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.search_status)
        layout.addLayout(search_row)
        shortcuts.shortcut(self, "guide.find", self.focus_search)
        shortcuts.shortcut(self, "guide.next", self.find_next)
        shortcuts.shortcut(self, "guide.previous", self.find_previous)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)  # Enter in the search box finds the next place, never
        close.setDefault(False)  # closes the guide (Escape and Close do)
        layout.addWidget(buttons)
        self.resize(860, 640)

    # --- search ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def find_next(self) -> bool:
        return self.find_words()

    def find_previous(self) -> bool:
        return self.find_words(backward=True)

    def find_words(self, *, backward: bool = False, again: bool = True) -> bool:
        """Select the next (or previous) place the search box's words are in the guide,
        from the end of the match selected now, going round to the start (or the end).
        ``again`` False: as the words are typed, the match stays where it is while it still
        matches. Says how many places match, or that none does."""
        words = self.search.text().strip()
        cursor = self.browser.textCursor()
        if not words:
            cursor.clearSelection()
            self.browser.setTextCursor(cursor)
            self.search_status.clear()
            return False
        if not again:
            cursor.setPosition(cursor.selectionStart())
            self.browser.setTextCursor(cursor)
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.browser.find(words, flags)
        if not found:
            start = QTextCursor(self.browser.document())
            start.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            self.browser.setTextCursor(start)
            found = self.browser.find(words, flags)
        count = self._count(words) if found else 0
        self.search_status.setText(
            ngettext("{count} place", "{count} places", count).format(count=count)
            if found
            else _("Not in the guide")
        )
        return found

    def _count(self, words: str) -> int:
        document = self.browser.document()
        count = 0
        cursor = document.find(words, 0)
        while not cursor.isNull():
            count += 1
            cursor = document.find(words, cursor)
        return count

    def fit_width(self) -> int:
        """The widest an image may be now: the guide's page, inside its margins."""
        margin = int(self.browser.document().documentMargin())
        return max(80, min(GUIDE_IMAGE_WIDTH, self.browser.viewport().width() - 2 * margin - 4))

    def _fit(self) -> None:
        width = self.fit_width()
        if self.base is not None and width != self._fitted_to:
            self._fitted_to = width
            _fit_to_width(self.browser, self.base, width, self._image_sizes)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        elif self.base is not None and url.isRelative():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.base / url.path())))


__all__ = [
    "AboutDialog",
    "LicenceNotice",
    "ShortcutsDialog",
    "UserGuideDialog",
    "licence_notices",
    "user_guide",
    "user_guide_path",
]
