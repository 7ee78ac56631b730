"""Before Qt loads: a missing or stale display, or a missing system library, is one
sentence and the text start, never Qt's abort (issue 16)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from quote_builder import display_check
from quote_builder.display_check import display_problem, missing_libraries, start_library_check

FREE_DISPLAY = ":99"


def _no_server_on(display: str) -> bool:
    number = display.lstrip(":")
    return not Path(f"/tmp/.X11-unix/X{number}").exists()


def test_no_display_at_all() -> None:
    problem = display_problem({}, "linux")
    assert problem is not None and "no display" in problem and "DISPLAY" in problem


@pytest.mark.skipif(not _no_server_on(FREE_DISPLAY), reason="an X server runs on :99 here")
def test_stale_display_names_the_display() -> None:
    problem = display_problem({"DISPLAY": FREE_DISPLAY}, "linux")
    assert problem == (
        "no X server answers on the display :99 (DISPLAY is stale or its server has stopped)"
    )


def test_a_listening_x_socket_counts_as_a_display(tmp_path: Path, monkeypatch) -> None:
    """A display whose socket answers passes (an abstract socket stands in for a server)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("abstract sockets are Linux's")
    number = 700 + os.getpid() % 200
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{number}")
        server.listen(1)
        assert display_problem({"DISPLAY": f":{number}"}, "linux") is None
    assert display_problem({"DISPLAY": f":{number}"}, "linux") is not None


def test_platforms_without_a_display_and_other_systems_pass() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None
    assert display_problem({}, "win32") is None


def test_wayland_socket_is_checked(tmp_path: Path) -> None:
    env = {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert "Wayland display wayland-9 does not answer" in str(display_problem(env, "linux"))
    (tmp_path / "wayland-9").touch()
    assert display_problem(env, "linux") is None


def test_ldd_output_names_the_missing_libraries() -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x00007f)\n"
        "\tlibxcb-cursor.so.0 => not found\n"
        "\tlibxkbcommon-x11.so.0 => not found\n"
    )
    assert missing_libraries(output) == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    assert display_check.library_sentence(missing_libraries(output)) == (
        "the system libraries libxcb-cursor.so.0, libxkbcommon-x11.so.0 that Qt needs for X11 "
        "windows are not installed (on Debian or Ubuntu: apt-get install libxcb-cursor0 "
        "libxkbcommon-x11-0)"
    )
    assert display_check.library_sentence(["libxcb-cursor.so.0"]) == (
        "the system library libxcb-cursor.so.0 that Qt needs for X11 windows is not installed "
        "(on Debian or Ubuntu: apt-get install libxcb-cursor0)"
    )
    assert display_check.library_sentence([]) is None


def test_a_library_two_qt_libraries_need_is_named_once() -> None:
    """ldd prints a missing library once for each library that needs it: the real xcb
    plugin and libQt6XcbQpa both need libxcb-cursor.so.0, and the sentence named it twice
    ("the system libraries libxcb-cursor.so.0, libxcb-cursor.so.0 ... are")."""
    output = (
        "\tlibQt6XcbQpa.so.6 => /x/libQt6XcbQpa.so.6 (0x00007f)\n"
        "\tlibxcb-cursor.so.0 => not found\n"
        "\tlibQt6Gui.so.6 => /x/libQt6Gui.so.6 (0x00007f)\n"
        "\tlibxcb-cursor.so.0 => not found\n"
    )
    assert missing_libraries(output) == ["libxcb-cursor.so.0"]
    assert display_check.library_sentence(missing_libraries(output)) == (
        "the system library libxcb-cursor.so.0 that Qt needs for X11 windows is not installed "
        "(on Debian or Ubuntu: apt-get install libxcb-cursor0)"
    )


def test_qt_libraries_that_cannot_load_are_one_sentence() -> None:
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert display_check.qt_load_problem(error) == (
        "the system library libEGL.so.1 that Qt needs is not installed "
        "(on Debian or Ubuntu: apt-get install libegl1)"
    )
    odd = ImportError("libqb-odd.so.3: cannot open shared object file: No such file or directory")
    assert display_check.qt_load_problem(odd) == (
        "the system library libqb-odd.so.3 that Qt needs is not installed"
    )
    assert display_check.qt_load_problem(ImportError("No module named 'PySide6'")) == (
        "Qt's libraries cannot be loaded (No module named 'PySide6')"
    )


@pytest.fixture
def plugin_missing_a_library(tmp_path: Path) -> Path:
    """A stand-in for Qt's xcb plugin that needs libxcb-cursor.so.0 from a folder that is
    then removed: what ldd sees on a machine without libxcb-cursor0."""
    if shutil.which("gcc") is None or shutil.which("ldd") is None:
        pytest.skip("needs gcc and ldd")
    stub = tmp_path / "stub"
    stub.mkdir()
    (tmp_path / "empty.c").write_text("void qb_plugin_stub(void) {}\n")
    subprocess.run(
        [
            "gcc",
            "-shared",
            "-fPIC",
            "-Wl,-soname,libqb-missing-test.so.0",
            "-o",
            str(stub / "libqb-missing-test.so.0"),
            str(tmp_path / "empty.c"),
        ],
        check=True,
    )
    plugins = tmp_path / "platforms"
    plugins.mkdir()
    subprocess.run(
        [
            "gcc",
            "-shared",
            "-fPIC",
            "-Wl,--no-as-needed",
            "-o",
            str(plugins / "libqxcb.so"),
            str(tmp_path / "empty.c"),
            str(stub / "libqb-missing-test.so.0"),
        ],
        check=True,
    )
    shutil.rmtree(stub)
    return plugins


def test_missing_library_is_named(plugin_missing_a_library: Path, monkeypatch) -> None:
    env = {
        "DISPLAY": ":0",
        "QT_QPA_PLATFORM": "xcb",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugin_missing_a_library),
        "PATH": os.environ["PATH"],
    }
    assert display_check.xcb_plugin(env) == plugin_missing_a_library / "libqxcb.so"
    monkeypatch.setattr(display_check, "_x_display_answers", lambda display: True)
    problem = display_problem(env, "linux", start_library_check(env, "linux"))
    assert problem == (
        "the system library libqb-missing-test.so.0 that Qt needs for X11 windows is not installed"
    )


def test_the_real_plugin_finds_its_libraries_here() -> None:
    env = {"DISPLAY": ":0", "PATH": os.environ["PATH"]}
    check = start_library_check(env, "linux")
    if check is None:
        pytest.skip("no ldd or no xcb plugin")
    assert display_check._library_problem(check) is None


def _launcher(
    args: list[str], env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quote_builder.launcher", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "QUOTE_BUILDER_DATA_DIR": str(tmp_path / "data")},
        stdin=subprocess.DEVNULL,
    )


def _env_without_display() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "QT_QPA_PLATFORM_PLUGIN_PATH"):
        env.pop(name, None)
    return env


@pytest.mark.skipif(not _no_server_on(FREE_DISPLAY), reason="an X server runs on :99 here")
def test_app_with_a_stale_display_falls_back_to_the_text_start(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    proc = _launcher(
        ["--db", str(db), "--create"], {**_env_without_display(), "DISPLAY": FREE_DISPLAY}, tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == (
        "Quote Builder cannot open its window: no X server answers on the display :99 "
        "(DISPLAY is stale or its server has stopped). Starting the text version instead."
    )
    assert f"Quote Builder: {db}\n" in proc.stdout  # the text start ran
    assert "Traceback" not in proc.stderr and "qt.qpa" not in proc.stderr


def test_app_with_a_missing_library_falls_back_to_the_text_start(
    tmp_path: Path, plugin_missing_a_library: Path
) -> None:
    """The whole start with Qt's plugin needing a library that is not there: the sentence
    and the text start, not Qt's abort. The display must answer for the library check to
    matter: an abstract socket stands in for the X server."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    number = 700 + (os.getpid() + 1) % 200
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{number}")
        server.listen(4)
        env = {
            **_env_without_display(),
            "DISPLAY": f":{number}",
            "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugin_missing_a_library),
        }
        proc = _launcher(["gui", "--db", str(tmp_path / "q.db"), "--create"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == (
        "Quote Builder cannot open its window: the system library libqb-missing-test.so.0 "
        "that Qt needs for X11 windows is not installed. Starting the text version instead."
    )
    assert f"Quote Builder: {tmp_path / 'q.db'}\n" in proc.stdout


def test_no_display_at_all_is_the_text_start_without_a_complaint(tmp_path: Path) -> None:
    proc = _launcher(["--db", str(tmp_path / "q.db"), "--create"], _env_without_display(), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert f"Quote Builder: {tmp_path / 'q.db'}\n" in proc.stdout


@pytest.fixture
def qt_missing_a_system_library(tmp_path: Path) -> Path:
    """A PySide6 whose QtGui cannot load because a system library it links against is not
    installed, as on a minimal system without libegl1: what ``import PySide6.QtGui``
    raises there."""
    package = tmp_path / "stub-qt" / "PySide6"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "QtCore.py").write_text("")
    (package / "QtGui.py").write_text(
        "raise ImportError('libEGL.so.1: cannot open shared object file: No such file or "
        "directory')\n"
    )
    return package.parent


def test_app_whose_qt_cannot_load_a_system_library_falls_back_to_the_text_start(
    tmp_path: Path, qt_missing_a_system_library: Path
) -> None:
    """Qt's own libraries (not only the xcb plugin) may need a system library that is not
    installed: the start printed a traceback and stopped instead of one sentence and the
    text start."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    number = 700 + (os.getpid() + 2) % 200
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{number}")
        server.listen(4)
        env = {
            **_env_without_display(),
            "DISPLAY": f":{number}",
            "PYTHONPATH": os.pathsep.join(
                [str(qt_missing_a_system_library), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        proc = _launcher(["--db", str(tmp_path / "q.db"), "--create"], env, tmp_path)
        gui = _launcher(["gui", "--db", str(tmp_path / "q.db")], env, tmp_path)
    sentence = (
        "Quote Builder cannot open its window: the system library libEGL.so.1 that Qt needs is "
        "not installed (on Debian or Ubuntu: apt-get install libegl1). Starting the text "
        "version instead."
    )
    for run in (proc, gui):
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip() == sentence
        assert "Traceback" not in run.stderr
        assert f"Quote Builder: {tmp_path / 'q.db'}\n" in run.stdout  # the text start ran
