"""Screenshots of the main screens for the README (offscreen; demo data).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py
(or under Xvfb: ``Xvfb :53 -screen 0 1366x768x24 &``, ``DISPLAY=:53 openbox &``,
``DISPLAY=:53 QT_QPA_PLATFORM=xcb .venv/bin/python docs/screenshots.py``; the windows are
then at most 768 pixels high).
Writes resources/guide/images/*.png (the user guide shipped with the app and the README show
them). Look at them: they are what a newcomer sees first.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "guide" / "images"


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from quote_builder.services.demo import seed_demo
    from quote_builder.services.quotes import list_quotes
    from quote_builder.services.workspace import open_workspace
    from quote_builder.ui.main_window import MainWindow
    from quote_builder.ui.palette import follow_system_scheme
    from quote_builder.ui.quote_editor import open_quote_editor
    from quote_builder.ui.wizard import GuidedQuote

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    follow_system_scheme(app)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        workspace = open_workspace(str(Path(tmp) / "demo.db"), user="alex")
        seed_demo(workspace.db, actor="alex")
        window = MainWindow(workspace)
        window.resize(1280, 800)
        window.show()
        OUT.mkdir(parents=True, exist_ok=True)
        for key in ("quotes", "customers", "catalog", "settings"):
            window.show_page(key)
            app.processEvents()
            window.grab().save(str(OUT / f"{key}.png"))
        row = list_quotes(workspace.db, "Fabrikam").rows[0]
        editor = open_quote_editor(window, row.id)
        editor.resize(1280, 800)
        app.processEvents()
        editor.grab().save(str(OUT / "quote-editor.png"))
        initech = list_quotes(workspace.db, "Initech").rows[0]
        usage_editor = open_quote_editor(window, initech.id)
        usage_editor.resize(1280, 900)
        usage_editor.editor.tabs.setCurrentWidget(usage_editor.editor.usage_panel)
        app.processEvents()
        usage_editor.grab().save(str(OUT / "quote-editor-usage.png"))
        usage_editor.close()
        wizard = GuidedQuote(window)
        wizard.resize(1000, 900)
        wizard.show()
        # The flow asks for a title before it goes on (issue 17).
        wizard.customer_page.title_.setText("Support automation for Northwind")
        wizard.next()
        wizard.next()
        panel = wizard.usage_log.panel
        panel.load_file(ROOT / "resources" / "demo" / "pilot-usage.csv")
        while panel.busy:
            app.processEvents()
            time.sleep(0.02)
        app.processEvents()
        wizard.grab().save(str(OUT / "guided-quote-usage.png"))
        wizard.next()
        app.processEvents()
        wizard.grab().save(str(OUT / "guided-quote-advisor.png"))
        wizard.discard()  # close without the "Discard this quote?" question
        editor.editor.undo_stack.setClean()
        editor.close()
        # The editor in German (README "Languages"): a window opened after the switch.
        from quote_builder.ui import i18n, locale_format

        i18n.use_language("de")
        locale_format.set_locale("de_DE")
        german = open_quote_editor(window, row.id)
        german.resize(1280, 800)
        app.processEvents()
        german.grab().save(str(OUT / "quote-editor-de.png"))
        german.editor.undo_stack.setClean()
        german.close()
        i18n.use_language("en")
        locale_format.set_locale(None)
        workspace.close()
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}")


if __name__ == "__main__":
    main()
