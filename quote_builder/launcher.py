"""The `quote-builder` command: the desktop window, or the command line.

`quote-builder` alone opens the main window when a display is available (else the text
start of the command line); `quote-builder gui [--db URL] [--exit-after-startup]` always
opens the window; any other command is the command line. This module sits above both
`ui` and `cli`, so neither imports the other.
"""

from __future__ import annotations

import argparse
import os
import sys
import types
from collections.abc import Iterable, Sequence

PLUGINS_OFF = ("__all__", "1", "true")
"""The values of ``PYDANTIC_DISABLE_PLUGINS`` with which pydantic loads no plugin."""
PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_plugins() -> Iterable[object]:
    return ()


def switch_pydantic_plugins_off() -> None:
    """Pydantic looks for plugins in every installed package's metadata when the first
    model is built (20-30 ms of each cold command); Quote Builder uses none. Child
    processes (renderer, database) inherit the setting.

    Even with plugins switched off, the module that would look for them
    (``pydantic.plugin._loader``) imports ``importlib.metadata`` (and with it ``email``,
    ``zipfile``, ``csv``: about 20 ms of CPU, a tenth of a cold ``price``) before it reads
    the switch. Pydantic imports one name from it, ``get_plugins``, which then returns no
    plugin; it is given that answer directly. A test checks that pydantic still imports
    nothing else from that module and that its own ``get_plugins`` answers the same."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in PLUGINS_OFF:
        return
    if PYDANTIC_PLUGIN_LOADER in sys.modules:
        return  # pydantic has already built a model in this process
    loader = types.ModuleType(PYDANTIC_PLUGIN_LOADER, "pydantic's plugin loader, plugins off")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules[PYDANTIC_PLUGIN_LOADER] = loader


def has_display() -> bool:
    if os.environ.get("QUOTE_BUILDER_NO_GUI"):
        return False
    if sys.platform in ("darwin", "win32") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


GC_YOUNG_THRESHOLD = 20_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""


def collect_garbage_less_often() -> None:
    """A command's start makes tens of thousands of objects that live as long as the process
    (modules, pydantic's schemas and validators) and almost no garbage in cycles; with
    Python's default the cyclic collector runs about 50 times during a cold ``price`` and
    spends 7-10 ms (3-5 % of it) re-examining them. Collecting every 20,000 allocations
    instead keeps reference cycles bounded (reference counting frees everything else at
    once) and costs one collection. Only the command line: the window's process keeps
    Python's default."""
    import gc

    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def _gui_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The GUI's options when ``argv`` asks for the window, else None."""
    parser = argparse.ArgumentParser(prog="quote-builder", add_help=False)
    parser.add_argument("command", nargs="?")
    parser.add_argument("--db")
    parser.add_argument("--user")
    parser.add_argument("--create", action="store_true")
    parser.add_argument("--exit-after-startup", action="store_true")
    known, rest = parser.parse_known_args(argv)
    if rest or known.command not in (None, "gui"):
        return None
    if known.command is None and (known.exit_after_startup or not has_display()):
        return None
    return known


def _text_start_arguments(gui: argparse.Namespace) -> list[str]:
    """The command line's text start on the database the window was asked to open."""
    args: list[str] = []
    if gui.db:
        args += ["--db", gui.db]
    if gui.user:
        args += ["--user", gui.user]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    switch_pydantic_plugins_off()
    args = list(sys.argv[1:] if argv is None else argv)
    if "-h" not in args and "--help" not in args:
        gui = _gui_arguments(args)
        if gui is not None:
            from quote_builder.display_check import (
                display_problem,
                qt_load_problem,
                start_library_check,
            )

            library_check = start_library_check()  # ldd runs while Qt's libraries load
            from quote_builder.ui import app

            try:
                app.preload_qt()
            except ImportError as exc:
                # A system library Qt itself links against is missing (libEGL.so.1 on a
                # minimal system): the same sentence and text start as for the plugin's.
                if library_check is not None:
                    library_check.kill()
                    library_check.communicate()
                problem: str | None = qt_load_problem(exc)
            else:
                problem = display_problem(library_check=library_check)
            if problem is None:
                if gui.user:
                    os.environ["QUOTE_BUILDER_USER"] = gui.user
                return app.run(gui.db, create=gui.create, exit_after_startup=gui.exit_after_startup)
            if (
                gui.command == "gui"
                or os.environ.get("DISPLAY")
                or os.environ.get("WAYLAND_DISPLAY")
            ):
                print(
                    f"Quote Builder cannot open its window: {problem}. Starting the text version instead.",
                    file=sys.stderr,
                    flush=True,
                )
            if gui.exit_after_startup:
                return 1
            if gui.create:
                args = ["--create", *_text_start_arguments(gui)]
            else:
                args = _text_start_arguments(gui)
    collect_garbage_less_often()
    from quote_builder.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
