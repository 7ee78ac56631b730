"""WCAG AA contrast in both palettes (issue 17, §4): every text colour of the palettes and
every colour the app's stylesheets and painters put text in, against the backgrounds it is
shown on, is at least 4.5:1."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.ui import approval_banner, colours
from quote_builder.ui.palette import palette_for

AA = 4.5
R = QPalette.ColorRole
TEXT_ON = [
    (R.WindowText, R.Window),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),
    (R.ToolTipText, R.ToolTipBase),
    (R.PlaceholderText, R.Base),
    (R.Link, R.Base),
    (R.Link, R.Window),
]


def test_contrast_ratio_is_wcags() -> None:
    # Black on white is 21:1; the same colour 1:1; #767676 on white is the AA edge (4.54).
    assert round(colours.contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert colours.contrast_ratio("#777777", "#777777") == 1.0
    assert round(colours.contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_every_text_meets_aa_in_both_palettes(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    failures = []
    for scheme in (Qt.ColorScheme.Light, Qt.ColorScheme.Dark):
        palette = palette_for(scheme)
        table = colours.DARK if colours.is_dark(palette) else colours.LIGHT
        assert colours.is_dark(palette) == (scheme == Qt.ColorScheme.Dark)
        for fg, bg in TEXT_ON:
            ratio = colours.contrast_ratio(palette.color(fg), palette.color(bg))
            if ratio < AA:
                failures.append(f"{scheme.name}: {fg.name} on {bg.name} is {ratio:.2f}")
        backgrounds = {
            "window": palette.color(R.Window),
            "base": palette.color(R.Base),
            "alternate": palette.color(R.AlternateBase),
        }
        for name in ("error", "warning", "ok", "muted"):
            for where, background in backgrounds.items():
                ratio = colours.contrast_ratio(table[name], background)
                if ratio < AA:
                    failures.append(f"{scheme.name}: {name} text on {where} is {ratio:.2f}")
        # An invalid field: its text on the invalid background.
        ratio = colours.contrast_ratio(palette.color(R.Text), table["invalid_background"])
        if ratio < AA:
            failures.append(f"{scheme.name}: text in an invalid field is {ratio:.2f}")
    for status, fill in colours.STATUS_CHIPS.items():
        ratio = colours.contrast_ratio("#ffffff", fill)
        if ratio < AA:
            failures.append(f"status chip {status}: white on {fill} is {ratio:.2f}")
    for state, (background, foreground) in approval_banner.COLOURS.items():
        ratio = colours.contrast_ratio(foreground, background)
        if ratio < AA:
            failures.append(f"approval banner {state}: {ratio:.2f}")
    assert not failures, "\n".join(failures)


def test_the_app_uses_the_colours_of_the_palette_in_use(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        app.setPalette(palette_for(Qt.ColorScheme.Dark))
        assert colours.colour("error") == colours.DARK["error"]
        app.setPalette(palette_for(Qt.ColorScheme.Light))
        assert colours.colour("error") == colours.LIGHT["error"]
    finally:
        app.setPalette(before)
