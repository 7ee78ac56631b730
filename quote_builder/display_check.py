"""Can Qt open a window here? Checked before Qt is loaded (no Qt import in this module).

When Qt cannot load its platform plugin it aborts the process with a paragraph about
plugins. The launcher asks :func:`display_problem` first and, when it names a problem,
prints that one sentence and starts the text version instead. What is checked (Linux and
the BSDs; macOS and Windows always have a window system):

- a display at all: ``DISPLAY`` or ``WAYLAND_DISPLAY`` (or ``QT_QPA_PLATFORM`` naming a
  platform that needs none, such as ``offscreen``);
- that the display answers: a stale ``DISPLAY`` (an X server that has gone, an SSH
  session's forwarding closed) is a socket nobody listens on;
- for X11, that the system libraries Qt's xcb plugin needs are installed (``ldd`` of the
  plugin, which follows every dependency: ``libxcb-cursor.so.0 => not found``).

:func:`start_library_check` starts ``ldd`` in the background so that it overlaps the rest
of the start (the check costs about 25 ms).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
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
    try:
        return subprocess.Popen(
            ["ldd", str(plugin)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={"PATH": env.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
        )
    except OSError:
        return None  # no ldd (not glibc): Qt will say what it misses


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find, in its order, each once: ``ldd`` prints a
    missing library once for every library that needs it (``libxcb-cursor.so.0`` for the
    plugin and again for ``libQt6XcbQpa``)."""
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", ldd_output, flags=re.MULTILINE)
    return list(dict.fromkeys(found))


def _library_problem(check: subprocess.Popen[str] | None) -> str | None:
    if check is None:
        return None
    try:
        output, _ = check.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        check.kill()
        check.communicate()
        return None
    return library_sentence(missing_libraries(output))


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


def display_problem(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    library_check: subprocess.Popen[str] | None = None,
) -> str | None:
    """None when Qt can open a window here, else what is missing, as a sentence fragment
    ("no display: ..."). ``library_check`` is the ``ldd`` started by
    :func:`start_library_check` (collected here)."""
    if platform in ("darwin", "win32", "cygwin"):
        return _library_problem(library_check)
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
    return _library_problem(library_check)


__all__ = [
    "display_problem",
    "missing_libraries",
    "qt_load_problem",
    "start_library_check",
    "xcb_plugin",
]
