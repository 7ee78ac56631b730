"""One app per database: a second start on the same database brings the first one's
window to the front instead of opening a second window on it.

The app that has a database open listens on local sockets named after the database
(``db_location.identity_keys``: an existing file's device and inode, so a hard link or a
symbolic link is the same database, and the file's real path, which a database not created
yet has; or the URL without its password) and the user (QLocalServer: a Unix socket in the temporary folder, a named pipe on Windows). A
start first asks that socket: an answer means another app has the database, which raises
its window; no answer means it opens the database itself. Another database has another
name, so it opens normally.

No socket options are set on purpose: with them Qt creates the socket elsewhere and renames
it into place, silently replacing another app's socket; without them ``listen`` fails when
the name is taken (binding is atomic), so of two apps starting on the same database at the
same moment the second finds the name taken, asks, and gives way. Connecting to a Unix
socket needs write permission on it, which the usual umask gives the owner only. A socket
left by an app that was killed answers nobody: claiming it removes it and listens again.
"""

from __future__ import annotations

import getpass
import logging
import os
import time
from collections.abc import Sequence
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger("quote_builder.instance")

ACTIVATE = b"activate\n"
ANSWER = b"ok\n"


def server_name(key: str) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    safe_user = "".join(c if c.isalnum() else "_" for c in user)[:32]
    return f"quote-builder-{safe_user}-{key}"


def ask_running_instance(key: str, timeout_ms: int = 1500) -> bool:
    """Whether an app has the database of ``key`` open; if so it was asked to raise its
    window (True once it answered)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(key))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(ACTIVATE)
    socket.waitForBytesWritten(timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    answer = b""
    while ANSWER not in answer and time.monotonic() < deadline:
        if not socket.waitForReadyRead(max(1, int((deadline - time.monotonic()) * 1000))):
            break
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return ANSWER in answer


class InstanceServer(QObject):
    """Listens for later starts on this app's database; ``activated`` when one asks."""

    activated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key: str | None = None
        self._servers: list[QLocalServer] = []

    def claim(self, key: str | Sequence[str]) -> bool:
        """Listen for ``key`` (a database's keys, ``db_location.identity_keys``). False when
        another running app has it under any of them (it was asked to come to the front) and
        the earlier claim is kept; True when listening, and the earlier claim (the database
        open before) is given up."""
        keys = [key] if isinstance(key, str) else list(key)
        if any(ask_running_instance(k) for k in keys):
            return False
        servers: list[QLocalServer] = []
        for each in keys:
            server = self._listen(each)
            if server is False:
                for taken in servers:
                    taken.close()
                return False
            if server is not None:
                servers.append(server)
        for old in self._servers:
            old.close()
        self._servers, self.key = servers, keys[0]
        return True

    def also(self, key: str) -> None:
        """Listen under one more key of the database already claimed (its identity once the
        file exists: a database just created was claimed by its path)."""
        if self.key is None or any(s.serverName() == server_name(key) for s in self._servers):
            return
        server = self._listen(key)
        if isinstance(server, QLocalServer):
            self._servers.append(server)

    def _listen(self, key: str) -> QLocalServer | None | Literal[False]:
        """A server listening for ``key``; False when a running app has it; None when the
        name cannot be listened on (the rule is a convenience: never refuse to open over
        it)."""
        # Owned by Python, never deleteLater'd: a deferred delete of a server whose owner
        # was already collected deletes it twice (seen as a SIGBUS in the tests).
        server = QLocalServer()
        name = server_name(key)
        if not server.listen(name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                log.warning("cannot listen for other starts on %s: %s", name, server.errorString())
                return None
            if ask_running_instance(key):  # started at the same moment, and first
                return False
            QLocalServer.removeServer(name)  # left by an app that was killed
            if not server.listen(name):
                log.warning("cannot listen for other starts on %s: %s", name, server.errorString())
                return None
        server.newConnection.connect(lambda: self._accept(server))
        return server

    def release(self) -> None:
        for server in self._servers:
            server.close()
        self._servers, self.key = [], None

    def _accept(self, server: QLocalServer) -> None:
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        data = bytes(connection.readAll().data())
        if ACTIVATE in data:
            connection.write(ANSWER)
            connection.flush()
            log.info("another start on this database: bringing the window to the front")
            self.activated.emit()


__all__ = ["InstanceServer", "ask_running_instance", "server_name"]
