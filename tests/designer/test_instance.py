"""Single instance: a second `ashr-designer FILE` hands the file to the running designer, which opens it in a window."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication

from designer import app as app_module
from designer.app import open_in_window
from designer.instance import NAME_ENV, InstanceServer, send_paths

from .conftest import INVOICES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(qapp, monkeypatch):
    name = f"ashr-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(NAME_ENV, name)
    server = InstanceServer()
    assert server.listen()
    yield server
    server.close()


def _launch(*args: str) -> subprocess.Popen[str]:
    """A second designer launch in its own process (it talks to this test's server)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "designer", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_second_launch_hands_its_file_to_the_running_designer(server, qtbot):
    received: list[list[Path]] = []
    server.paths_received.connect(received.append)
    proc = _launch(str(INVOICES.relative_to(ROOT)))
    qtbot.waitUntil(lambda: proc.poll() is not None and bool(received), timeout=30000)
    assert proc.returncode == 0, proc.stderr.read()
    assert received == [[INVOICES.resolve()]]
    proc.stdout.close()
    proc.stderr.close()


def test_handed_over_file_opens_in_a_new_window_beside_the_edited_one(make_window, qtbot):
    first = make_window()  # the invoices report is open: it must stay as it is
    window = open_in_window(INVOICES)
    assert window is not first
    assert window.isVisible()
    assert window.document.path == INVOICES.resolve()
    assert first.document.path == INVOICES.resolve()
    assert window in app_module._WINDOWS  # kept alive while open
    window.close()  # deleted on close, and forgotten
    qtbot.waitUntil(lambda: window not in app_module._WINDOWS)


def test_handed_over_file_reuses_an_empty_untouched_window(make_window, qtbot):
    empty = make_window(path=None)
    assert open_in_window(INVOICES) is empty
    assert empty.document.path == INVOICES.resolve()


def test_no_running_designer_means_no_hand_over(qapp, monkeypatch):
    monkeypatch.setenv(NAME_ENV, f"ashr-test-{uuid.uuid4().hex[:12]}")
    assert send_paths([INVOICES], timeout_ms=500) is False


def test_a_live_designer_keeps_its_socket(server):
    second = InstanceServer()  # same name as the live server
    assert second.listen() is False
    assert server.server.isListening()


def test_a_socket_left_by_a_crashed_designer_is_replaced(qapp, monkeypatch):
    name = f"ashr-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(NAME_ENV, name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(Path(QDir.tempPath()) / name))  # bound, never listening: what a crash leaves
    stale.close()
    server = InstanceServer()
    assert server.listen() is True
    server.close()


def test_new_instance_flag_skips_the_hand_over(server, qtbot):
    received: list[list[Path]] = []
    server.paths_received.connect(received.append)
    proc = _launch("--check", "--new-instance", str(INVOICES))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.startswith(f"ok: {INVOICES}")
    QApplication.processEvents()
    assert received == []
