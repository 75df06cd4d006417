"""One designer per user session: a second launch hands its file paths to the running one over a local socket.

The running designer listens on a QLocalServer named per user; a new launch with files
connects, sends the absolute paths as one JSON line and waits for `ok`. If nobody
answers (none running, or a crashed one left its socket), the new launch starts
normally and becomes the listener.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

#: overrides the server name (tests and side-by-side installations use their own)
NAME_ENV = "ASHR_DESIGNER_INSTANCE"
#: how long a new launch waits for the running designer before starting on its own
TIMEOUT_MS = 3000
_ACK = b"ok\n"


def server_name() -> str:
    """The local socket name of this user's designer."""
    return os.environ.get(NAME_ENV) or f"ashreports-designer-{getpass.getuser()}"


def send_paths(
    paths: Sequence[Path], name: str | None = None, timeout_ms: int = TIMEOUT_MS
) -> bool:
    """Hand `paths` to a running designer; True once it has confirmed, False if none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    payload = json.dumps([str(Path(p).resolve()) for p in paths]) + "\n"
    socket.write(payload.encode("utf-8"))
    socket.waitForBytesWritten(timeout_ms)
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer == _ACK


class InstanceServer(QObject):
    """Listens for later launches and emits the paths each one hands over."""

    paths_received = Signal(list)  # list[Path]

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening unless another designer answers; a socket left by a crash is replaced.

        Qt replaces an existing socket file when listening with UserAccessOption, so the
        live check must come first.
        """
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(500):
            probe.disconnectFromServer()
            return False  # another designer is listening: this one runs on its own
        QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning("cannot listen for other launches: %s", self.server.errorString())
        return False

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        self._buffers[socket] = data
        if not data.endswith(b"\n"):
            return
        try:
            paths = [Path(p) for p in json.loads(data.decode("utf-8"))]
        except (ValueError, TypeError) as exc:
            log.warning("ignored a malformed hand-over: %s", exc)
            socket.disconnectFromServer()
            return
        socket.write(_ACK)
        socket.flush()
        self.paths_received.emit(paths)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
