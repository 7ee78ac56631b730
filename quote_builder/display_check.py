"""Can Qt open a window here? Checked before Qt is loaded (no Qt import in this module).

When Qt cannot load its platform plugin it aborts the process with a paragraph about
plugins. The launcher asks :func:`display_problem` first and, when it names a problem,
prints that one sentence and starts the text version instead. What is checked (Linux and
the BSDs; macOS and Windows always have a window system):

- a display at all: ``DISPLAY`` or ``WAYLAND_DISPLAY`` (or ``QT_QPA_PLATFORM`` naming a
  platform that needs none, such as ``offscreen``);
- that the display answers: a stale ``DISPLAY`` (an X server that has gone, an SSH
  session's forwarding closed) is a socket nobody listens on;
- that the X server lets this process in: xcb's own handshake, authorization included (the
  app started with ``sudo`` or ``su`` as another user than the desktop's, or an
  ``XAUTHORITY`` that does not hold the session's cookie: the socket answers, the server
  refuses, and Qt aborts);
- for X11, that the system libraries Qt's xcb plugin needs are installed (``ldd`` of the
  plugin, which follows every dependency: ``libxcb-cursor.so.0 => not found``) and load: a
  damaged or empty file of that name, in a system folder or in a folder ``LD_LIBRARY_PATH``
  names (``error while loading shared libraries: ...: file too short``), makes Qt abort
  just the same. ``ldd`` is given the ``LD_LIBRARY_PATH`` the app runs with, so it finds
  the libraries Qt will load, neither more nor fewer.

:func:`start_library_check` starts ``ldd`` in the background so that it overlaps the rest
of the start (the check costs about 25 ms).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path

NO_DISPLAY_PLATFORMS = {
    "offscreen",
    "minimal",
    "minimalegl",
    "vnc",
    "linuxfb",
    "eglfs",
    "vkkhrdisplay",
}

PACKAGES = {
    # the Debian/Ubuntu package of a library Qt's xcb plugin commonly misses
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def xcb_plugin(env: Mapping[str, str] = os.environ) -> Path | None:
    """Qt's xcb platform plugin: in ``QT_QPA_PLATFORM_PLUGIN_PATH`` when set (Qt looks
    there too), else inside the installed PySide6."""
    override = env.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if override:
        candidate = Path(override) / "libqxcb.so"
        if candidate.exists():
            return candidate
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if candidate.exists():
            return candidate
    return None


def _wants_x11(env: Mapping[str, str], platform: str) -> bool:
    if platform in ("darwin", "win32", "cygwin"):
        return False
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested:
        return requested == "xcb"
    return not _wayland_socket(env)


def start_library_check(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> subprocess.Popen[str] | None:
    """``ldd`` of the xcb plugin, started in the background (None when not needed)."""
    if not _wants_x11(env, platform):
        return None
    plugin = xcb_plugin(env)
    if plugin is None:
        return None
    ldd_env = {"PATH": env.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    if env.get("LD_LIBRARY_PATH"):
        # the folders the app's own loader searches first: without them ldd would call a
        # library found only there missing, and miss a broken one there
        ldd_env["LD_LIBRARY_PATH"] = env["LD_LIBRARY_PATH"]
    try:
        return subprocess.Popen(
            ["ldd", str(plugin)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=ldd_env,
        )
    except OSError:
        return None  # no ldd (not glibc): Qt will say what it misses


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find, in its order, each once: ``ldd`` prints a
    missing library once for every library that needs it (``libxcb-cursor.so.0`` for the
    plugin and again for ``libQt6XcbQpa``)."""
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", ldd_output, flags=re.MULTILINE)
    return list(dict.fromkeys(found))


_LDD_LOAD_ERROR = re.compile(
    r"error while loading shared libraries: (?P<library>[^:\n]+): (?P<reason>[^\n]+)"
)


def unloadable_library(ldd_output: str) -> tuple[str, str] | None:
    """The library ``ldd`` found but could not load, and why (``file too short``, ``invalid
    ELF header``), else None. ``ldd`` stops at the first such library."""
    match = _LDD_LOAD_ERROR.search(ldd_output)
    if match is None:
        return None
    library = match.group("library").strip()
    reason = match.group("reason").strip()
    if reason.startswith("cannot open shared object file"):
        return None  # a missing library: ldd names it "not found" too
    return library, reason


def unloadable_sentence(library: str, reason: str, env: Mapping[str, str] = os.environ) -> str:
    """What to say about a library that is there but cannot be loaded: where it is, why,
    and what to do (take the folder out of ``LD_LIBRARY_PATH``, or reinstall)."""
    path = Path(library)
    folders = [Path(f) for f in env.get("LD_LIBRARY_PATH", "").split(":") if f]
    if path.parent in folders:
        advice = (
            f"it is found through LD_LIBRARY_PATH: take {path.parent} out of LD_LIBRARY_PATH "
            "or replace the file"
        )
    else:
        package = PACKAGES.get(path.name)
        advice = (
            f"reinstall it (on Debian or Ubuntu: apt-get install --reinstall {package})"
            if package
            else "reinstall the package that holds it"
        )
    return (
        f"the library {library} that Qt needs for X11 windows cannot be loaded ({reason}; {advice})"
    )


def _library_problem(
    check: subprocess.Popen[str] | None, env: Mapping[str, str] = os.environ
) -> str | None:
    if check is None:
        return None
    try:
        output, _ = check.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        check.kill()
        check.communicate()
        return None
    missing = library_sentence(missing_libraries(output))
    if missing is not None:
        return missing
    unloadable = unloadable_library(output)
    if unloadable is not None:
        return unloadable_sentence(*unloadable, env)
    return None


def library_sentence(missing: list[str]) -> str | None:
    """What to say about the libraries ``ldd`` did not find (None: nothing missing)."""
    if not missing:
        return None
    names = ", ".join(missing)
    packages = sorted({PACKAGES[m] for m in missing if m in PACKAGES})
    hint = f" (on Debian or Ubuntu: apt-get install {' '.join(packages)})" if packages else ""
    if len(missing) == 1:
        return f"the system library {names} that Qt needs for X11 windows is not installed{hint}"
    return f"the system libraries {names} that Qt needs for X11 windows are not installed{hint}"


_UNLOADABLE = re.compile(r"^(?P<library>[^\s:]+\.so(?:\.[\w.]+)?): cannot open shared object file")


def qt_load_problem(error: ImportError) -> str:
    """What to say when Qt's own libraries cannot be loaded (``import PySide6.QtGui``
    fails before any window is tried): a system library they link against is missing
    (``libEGL.so.1: cannot open shared object file``, on a minimal system without
    ``libegl1``), or Qt for Python itself is not installed."""
    message = str(error).strip()
    match = _UNLOADABLE.match(message)
    if match is not None:
        library = match.group("library")
        package = PACKAGES.get(library)
        hint = f" (on Debian or Ubuntu: apt-get install {package})" if package else ""
        return f"the system library {library} that Qt needs is not installed{hint}"
    return f"Qt's libraries cannot be loaded ({message or type(error).__name__})"


def _wayland_socket(env: Mapping[str, str]) -> Path | None:
    name = env.get("WAYLAND_DISPLAY")
    if not name:
        return None
    path = Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "")) / name
    return path if path.exists() else None


def _x_display_answers(display: str, timeout: float = 1.0) -> bool:
    """Whether an X server listens for ``display`` (``:0``, ``:99.0``, ``host:10.0``)."""
    match = re.fullmatch(
        r"(?:(?P<host>[^:]*)/)?(?P<host2>[^:]*):(?P<number>\d+)(?:\.\d+)?", display
    )
    if match is None:
        return os.path.exists(display)  # macOS launchd sockets: a path
    host = match.group("host2") or ""
    number = int(match.group("number"))
    if host in ("", "unix") or host.startswith("/"):
        path = f"/tmp/.X11-unix/X{number}"
        addresses: list[str] = [path]
        if sys.platform.startswith("linux"):
            addresses.insert(0, "\0" + path)  # the abstract socket most servers also open
        for address in addresses:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                try:
                    sock.connect(address)
                    return True
                except OSError:
                    continue
        if host == "unix":
            return False
        host = "localhost" if host == "" else host
        if host == "localhost":
            return False  # a local display without a socket: no server
    try:
        with socket.create_connection((host, 6000 + number), timeout=timeout):
            return True
    except OSError:
        return False


XCB_CONN_CLOSED_INVALID_SCREEN = 6
"""libxcb's error when the display names a screen the server does not have (``:0.5``)."""


def _x_server_problem(display: str, timeout: float = 5.0) -> str | None:
    """Whether the X server on ``display`` lets this process in: libxcb's connection
    handshake, the one Qt makes, with the authorization ``XAUTHORITY`` (or
    ``~/.Xauthority``) gives, and whether it has the screen ``display`` names (``:0.1``).
    None when all is well, or when that cannot be told (libxcb cannot be loaded: the
    library check names it; no answer within ``timeout``: Qt decides); else what is wrong.
    libxcb writes a refusal's reason to standard error itself: it is caught here, so the
    start says one sentence."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_get_setup.restype = ctypes.c_void_p
    xcb.xcb_get_setup.argtypes = [ctypes.c_void_p]
    xcb.xcb_setup_roots_length.restype = ctypes.c_int
    xcb.xcb_setup_roots_length.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # (xcb's error code, 0 when admitted; the screen asked for; the screens the server has)
    answer: list[tuple[int, int, int]] = []

    def handshake() -> None:
        screen = ctypes.c_int(0)
        connection = xcb.xcb_connect(display.encode(), ctypes.byref(screen))
        try:
            error = xcb.xcb_connection_has_error(connection)
            screens = 0 if error else xcb.xcb_setup_roots_length(xcb.xcb_get_setup(connection))
            answer.append((error, screen.value, screens))
        finally:
            xcb.xcb_disconnect(connection)

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()  # may be closed, or None under a desktop launcher
    try:
        saved: int | None = os.dup(2)
    except OSError:
        saved = None  # standard error is closed: libxcb's line goes nowhere anyway
    with tempfile.TemporaryFile() as said:
        if saved is not None:
            os.dup2(said.fileno(), 2)
        try:
            thread = threading.Thread(target=handshake, name="x-handshake", daemon=True)
            thread.start()
            thread.join(timeout)
        finally:
            if saved is not None:
                os.dup2(saved, 2)
                os.close(saved)
        said.seek(0)
        reason = " ".join(said.read(2000).decode("utf-8", "replace").split())
    if not answer:
        return None
    error, screen, screens = answer[0]
    if error == XCB_CONN_CLOSED_INVALID_SCREEN or (not error and screen >= screens):
        return (
            f"the display {display} names screen {screen}, which its X server does not have "
            "(check DISPLAY: most displays have only screen 0, as in :0 or :0.0)"
        )
    if error:
        return refusal_sentence(display, reason)
    return None


def refusal_sentence(display: str, reason: str) -> str:
    """What to say when the X server refused the connection (``reason``: its own words)."""
    said = f"“{reason.rstrip('.')}”; " if reason else ""
    return (
        f"the X server on the display {display} refused the connection ({said}most often "
        "because Quote Builder runs as another user than the desktop's, through sudo or su, "
        "or XAUTHORITY does not name the desktop session's cookie)"
    )


def display_problem(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    library_check: subprocess.Popen[str] | None = None,
) -> str | None:
    """None when Qt can open a window here, else what is missing, as a sentence fragment
    ("no display: ..."). ``library_check`` is the ``ldd`` started by
    :func:`start_library_check` (collected here)."""
    if platform in ("darwin", "win32", "cygwin"):
        return _library_problem(library_check, env)
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested in NO_DISPLAY_PLATFORMS:
        return None
    wayland_name = env.get("WAYLAND_DISPLAY")
    if requested.startswith("wayland") or (not requested and wayland_name):
        if _wayland_socket(env) is not None:
            return None
        if requested.startswith("wayland"):
            return f"the Wayland display {wayland_name or '(WAYLAND_DISPLAY is not set)'} does not answer"
    display = env.get("DISPLAY")
    if not display:
        if wayland_name:
            return f"the Wayland display {wayland_name} does not answer and DISPLAY is not set"
        return (
            "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set: no desktop session)"
        )
    if not _x_display_answers(display):
        return f"no X server answers on the display {display} (DISPLAY is stale or its server has stopped)"
    library = _library_problem(library_check, env)
    if library is not None:
        return library
    return _x_server_problem(display)


__all__ = [
    "display_problem",
    "missing_libraries",
    "qt_load_problem",
    "refusal_sentence",
    "start_library_check",
    "unloadable_library",
    "unloadable_sentence",
    "xcb_plugin",
]
