"""Before Qt loads: a missing or stale display, or a missing system library, is one
sentence and the text start, never Qt's abort (issue 16)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
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


def _plugin_needing_a_library(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for Qt's xcb plugin (``platforms/libqxcb.so``) that needs
    ``libqb-missing-test.so.0``, and the folder holding that library."""
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
    return plugins, stub


@pytest.fixture
def plugin_missing_a_library(tmp_path: Path) -> Path:
    """A stand-in for Qt's xcb plugin that needs libxcb-cursor.so.0 from a folder that is
    then removed: what ldd sees on a machine without libxcb-cursor0."""
    plugins, stub = _plugin_needing_a_library(tmp_path)
    shutil.rmtree(stub)
    return plugins


@pytest.fixture
def broken_library_on_ld_library_path(tmp_path: Path) -> tuple[Path, Path]:
    """The plugin stand-in, and a folder for ``LD_LIBRARY_PATH`` holding a file of the
    library's name that is not a library (an empty or truncated copy): the system has the
    library, but the loader takes the broken one first, and Qt aborts."""
    plugins, stub = _plugin_needing_a_library(tmp_path)
    broken = tmp_path / "broken-libs"
    broken.mkdir()
    (broken / "libqb-missing-test.so.0").write_text("not a library\n")
    return plugins, broken


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


def test_ldd_output_names_a_library_that_cannot_be_loaded() -> None:
    output = (
        "/x/platforms/libqxcb.so: error while loading shared libraries: "
        "/opt/libs/libxcb-cursor.so.0: file too short\n"
    )
    assert display_check.unloadable_library(output) == (
        "/opt/libs/libxcb-cursor.so.0",
        "file too short",
    )
    assert display_check.unloadable_library("\tlibxcb-cursor.so.0 => not found\n") is None
    assert display_check.unloadable_sentence(
        "/opt/libs/libxcb-cursor.so.0", "file too short", {"LD_LIBRARY_PATH": "/opt/libs"}
    ) == (
        "the library /opt/libs/libxcb-cursor.so.0 that Qt needs for X11 windows cannot be "
        "loaded (file too short; it is found through LD_LIBRARY_PATH: take /opt/libs out of "
        "LD_LIBRARY_PATH or replace the file)"
    )
    assert display_check.unloadable_sentence(
        "/lib/x86_64-linux-gnu/libxcb-cursor.so.0", "invalid ELF header", {}
    ) == (
        "the library /lib/x86_64-linux-gnu/libxcb-cursor.so.0 that Qt needs for X11 windows "
        "cannot be loaded (invalid ELF header; reinstall it (on Debian or Ubuntu: apt-get "
        "install --reinstall libxcb-cursor0))"
    )


def test_a_broken_library_on_ld_library_path_is_named(
    broken_library_on_ld_library_path: tuple[Path, Path], monkeypatch
) -> None:
    """A file of a library's name that is not a library, in a folder LD_LIBRARY_PATH names:
    ldd ran without LD_LIBRARY_PATH, found the system's good copy and said nothing, and Qt
    (which does see LD_LIBRARY_PATH) aborted the start with its paragraph about plugins."""
    plugins, broken = broken_library_on_ld_library_path
    env = {
        "DISPLAY": ":0",
        "QT_QPA_PLATFORM": "xcb",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins),
        "PATH": os.environ["PATH"],
        "LD_LIBRARY_PATH": str(broken),
    }
    monkeypatch.setattr(display_check, "_x_display_answers", lambda display: True)
    problem = display_problem(env, "linux", start_library_check(env, "linux"))
    assert problem is not None
    assert problem.startswith(
        f"the library {broken / 'libqb-missing-test.so.0'} that Qt needs for X11 windows "
        "cannot be loaded ("
    )
    assert problem.endswith(
        f"; it is found through LD_LIBRARY_PATH: take {broken} out of LD_LIBRARY_PATH or "
        "replace the file)"
    )


def test_a_library_found_through_ld_library_path_is_not_missing(
    tmp_path: Path, monkeypatch
) -> None:
    """A library installed outside the system folders and found through LD_LIBRARY_PATH
    (as Qt finds it): ldd ran without LD_LIBRARY_PATH, called it not installed, and the
    window was refused although Qt would have opened it."""
    plugins, stub = _plugin_needing_a_library(tmp_path)
    env = {
        "DISPLAY": ":0",
        "QT_QPA_PLATFORM": "xcb",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins),
        "PATH": os.environ["PATH"],
        "LD_LIBRARY_PATH": str(stub),
    }
    monkeypatch.setattr(display_check, "_x_display_answers", lambda display: True)
    monkeypatch.setattr(display_check, "_x_server_problem", lambda display: None)
    assert display_problem(env, "linux", start_library_check(env, "linux")) is None


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


def test_app_with_a_broken_library_on_ld_library_path_falls_back_to_the_text_start(
    tmp_path: Path, broken_library_on_ld_library_path: tuple[Path, Path]
) -> None:
    """The whole start with LD_LIBRARY_PATH leading Qt's plugin to a broken copy of a
    library: Qt aborted (status 134, its paragraph about plugins) instead of one sentence
    and the text start."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    plugins, broken = broken_library_on_ld_library_path
    number = 700 + (os.getpid() + 3) % 200
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{number}")
        server.listen(4)
        env = {
            **_env_without_display(),
            "DISPLAY": f":{number}",
            "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins),
            "LD_LIBRARY_PATH": str(broken),
        }
        proc = _launcher(["gui", "--db", str(tmp_path / "q.db"), "--create"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(
        f"Quote Builder cannot open its window: the library {broken / 'libqb-missing-test.so.0'} "
        "that Qt needs for X11 windows cannot be loaded ("
    )
    assert lines[0].endswith(". Starting the text version instead.")
    assert f"Quote Builder: {tmp_path / 'q.db'}\n" in proc.stdout


AUTHORIZATION_REFUSED = b"Authorization required, but no authorization protocol specified\n"
REFUSED = (
    "the X server on the display {display} refused the connection (“Authorization required, "
    "but no authorization protocol specified”; most often because Quote Builder runs as "
    "another user than the desktop's, through sudo or su, or XAUTHORITY does not name the "
    "desktop session's cookie)"
)


def _refusal_reply() -> bytes:
    """The setup reply "Failed" with a real server's reason for a client without its cookie."""
    reason = AUTHORIZATION_REFUSED
    padded = reason + b"\0" * (-len(reason) % 4)
    header = bytes([0, len(reason)]) + (11).to_bytes(2, "little")
    return header + (0).to_bytes(2, "little") + (len(padded) // 4).to_bytes(2, "little") + padded


def _one_screen_reply() -> bytes:
    """The setup reply "Success" of a server with one screen (little-endian, no pixmap
    formats, the screen without depths: what libxcb needs to count the screens)."""
    vendor = b"qb-test\0"
    fixed = b"".join(
        [
            (0).to_bytes(4, "little"),  # release
            (0x200000).to_bytes(4, "little"),  # resource id base
            (0x1FFFFF).to_bytes(4, "little"),  # resource id mask
            (0).to_bytes(4, "little"),  # motion buffer size
            len(vendor).to_bytes(2, "little"),
            (65535).to_bytes(2, "little"),  # maximum request length
            bytes([1, 0, 0, 0, 32, 32, 8, 255]),  # 1 screen, 0 formats, orders, units, keycodes
            b"\0" * 4,
        ]
    )
    screen = b"".join(
        [
            (0x100).to_bytes(4, "little"),  # root window
            (0x20).to_bytes(4, "little"),  # default colormap
            (0xFFFFFF).to_bytes(4, "little"),  # white
            (0).to_bytes(4, "little"),  # black
            (0).to_bytes(4, "little"),  # input masks
            (1366).to_bytes(2, "little") + (768).to_bytes(2, "little"),
            (361).to_bytes(2, "little") + (203).to_bytes(2, "little"),
            (1).to_bytes(2, "little") + (1).to_bytes(2, "little"),  # colormaps
            (0x21).to_bytes(4, "little"),  # root visual
            bytes([0, 0, 24, 0]),  # backing stores, save unders, depth 24, no depths listed
        ]
    )
    rest = fixed + vendor + screen
    return (
        bytes([1, 0])
        + (11).to_bytes(2, "little")
        + (0).to_bytes(2, "little")
        + (len(rest) // 4).to_bytes(2, "little")
        + rest
    )


def _fake_x_server(reply: bytes, offset: int) -> Iterator[str]:
    """An X server on an abstract socket that answers every connection's setup request
    with ``reply``. Yields the display name."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    number = 700 + (os.getpid() + offset) % 200
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(f"\0/tmp/.X11-unix/X{number}")
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with client:
                client.settimeout(2)
                try:
                    if not client.recv(4096):  # the setup request (byte order, version, auth)
                        continue  # the display check's bare connect: nothing is sent
                    client.sendall(reply)
                except OSError:
                    continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f":{number}"
    finally:
        stop.set()
        thread.join(5)
        server.close()


@pytest.fixture
def refusing_x_server() -> Iterator[str]:
    """An X server that refuses every connection, as a real one does to a client without
    its cookie (the app started with sudo, or an XAUTHORITY without the session's cookie)."""
    yield from _fake_x_server(_refusal_reply(), 4)


@pytest.fixture
def one_screen_x_server() -> Iterator[str]:
    """An X server that admits every connection and has one screen."""
    yield from _fake_x_server(_one_screen_reply(), 5)


def test_a_display_naming_a_screen_the_server_lacks_is_named(one_screen_x_server: str) -> None:
    """DISPLAY=:0.1 on a server with one screen: the socket answers, and Qt aborted the
    start (status 134: "could not connect to display", then its paragraph about plugins)."""
    env = {"DISPLAY": f"{one_screen_x_server}.1", "PATH": os.environ["PATH"]}
    assert display_problem(env, "linux") == (
        f"the display {one_screen_x_server}.1 names screen 1, which its X server does not "
        "have (check DISPLAY: most displays have only screen 0, as in :0 or :0.0)"
    )
    for display in (one_screen_x_server, f"{one_screen_x_server}.0"):
        assert display_problem({"DISPLAY": display, "PATH": os.environ["PATH"]}, "linux") is None


def test_an_x_server_that_refuses_the_connection_is_named(refusing_x_server: str) -> None:
    """The socket answers but the server refuses this process (no authorization): the
    check passed it, and Qt aborted the start (status 134) with its paragraph about
    plugins, which even advises installing libxcb-cursor0."""
    assert display_check._x_display_answers(refusing_x_server)
    env = {"DISPLAY": refusing_x_server, "PATH": os.environ["PATH"]}
    assert display_problem(env, "linux") == REFUSED.format(display=refusing_x_server)
    assert display_check.refusal_sentence(":5", "") == (
        "the X server on the display :5 refused the connection (most often because Quote "
        "Builder runs as another user than the desktop's, through sudo or su, or XAUTHORITY "
        "does not name the desktop session's cookie)"
    )


def test_app_refused_by_the_x_server_falls_back_to_the_text_start(
    tmp_path: Path, refusing_x_server: str
) -> None:
    env = {**_env_without_display(), "DISPLAY": refusing_x_server}
    proc = _launcher(["--db", str(tmp_path / "q.db"), "--create"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    # one sentence: libxcb's own line with the server's reason is not printed beside it
    assert proc.stderr.strip() == (
        "Quote Builder cannot open its window: "
        + REFUSED.format(display=refusing_x_server)
        + ". Starting the text version instead."
    )
    assert f"Quote Builder: {tmp_path / 'q.db'}\n" in proc.stdout


def test_the_check_needs_no_standard_error(tmp_path: Path, refusing_x_server: str) -> None:
    """A desktop launcher may start the app with standard error closed: catching libxcb's
    line (os.dup(2)) failed there, and the start ended with status 1 before any window or
    text start."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "quote_builder.launcher",
            "--db",
            str(tmp_path / "q.db"),
            "--create",
        ],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=120,
        env={
            **_env_without_display(),
            "DISPLAY": refusing_x_server,
            "QUOTE_BUILDER_DATA_DIR": str(tmp_path / "data"),
        },
        preexec_fn=lambda: os.close(2),
    )
    assert proc.returncode == 0
    assert f"Quote Builder: {tmp_path / 'q.db'}\n" in proc.stdout  # the text start ran


def test_a_platform_plugin_qt_cannot_start_is_the_text_start_not_an_abort(
    tmp_path: Path, one_screen_x_server: str
) -> None:
    """What the checks cannot foresee (here QT_QPA_PLATFORM naming a platform that is not
    installed, a typo of xcb; also a library of the plugin that is there but lacks the
    functions Qt needs): Qt's fatal "no Qt platform plugin could be initialized" aborted
    the start (status 134, its paragraph about plugins). Now one sentence, with Qt's
    reason, and the text start on the same database."""
    env = {
        **_env_without_display(),
        "DISPLAY": one_screen_x_server,
        "QT_QPA_PLATFORM": "qb-no-such-platform",
    }
    proc = _launcher(["gui", "--db", str(tmp_path / "q.db"), "--create"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == (
        "Quote Builder cannot open its window: Qt could not start its window system plugin "
        '(Could not find the Qt platform plugin "qb-no-such-platform" in ""). Starting the '
        "text version instead."
    )
    assert f"Quote Builder: {tmp_path / 'q.db'}\n" in proc.stdout  # created, then shown
    logs = tmp_path / "data" / "logs"
    assert (logs / "quote-builder.log").exists()  # the window's start ran this far
    assert not list(logs.glob("faults-*.log"))  # and left no fault log to report later


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
