"""CSV and JSON sources a report names: only its own folder tree (or one the user allows), only regular files, under a size cap."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from tests.security.conftest import engine, files_under

SECRET = "hunter2"
MB = 1024 * 1024


def listing(field: str = "Secret") -> list[dict[str, Any]]:
    """A detail band printing one field."""
    element = {"type": "field", "x": 0, "y": 0, "width": 400, "height": 14, "field": field}
    return [{"type": "detail", "height": 14, "elements": [element]}]


def csv_report(write_report: Any, path: str, kind: str = "csv") -> Path:
    return write_report(data_source={"kind": kind, "path": path}, bands=listing())


def assert_refused(done: subprocess.CompletedProcess[str], status: int, *parts: str) -> str:
    """One line on stderr holding every part, the given exit status, no traceback, no secret."""
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    for part in parts:
        assert part in line
    assert SECRET not in done.stdout + done.stderr
    return line


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "~/.secret.csv", "../outside/secret.csv", "sub/../../outside/secret.csv"],
)
def test_a_report_cannot_read_a_csv_file_outside_its_folder(write_report, victim, path):
    home = victim / "home"  # the engine keeps a cache there: compare the other folders
    home.mkdir()
    (home / ".secret.csv").write_text(f"Secret\n{SECRET}\n", encoding="utf-8")
    report = csv_report(write_report, path)
    before = files_under(victim / "reports"), files_under(victim / "outside")
    out = victim / "out.csv"
    done = engine("render", report, "-o", out, env={"HOME": str(home)})
    assert_refused(done, 2, f"CSV source '{path}'", "--allow-path")
    assert not out.exists()
    assert (files_under(victim / "reports"), files_under(victim / "outside")) == before


def test_an_absolute_path_and_a_symlink_to_outside_are_refused(write_report, victim):
    secret = victim / "outside" / "secret.csv"
    (victim / "reports" / "link.csv").symlink_to(secret)
    (victim / "reports" / "data").symlink_to(victim / "outside", target_is_directory=True)
    for path in (str(secret), "link.csv", "data/secret.csv"):
        report = csv_report(write_report, path)
        done = engine("render", report, "-o", victim / "out.csv")
        assert_refused(
            done, 2, f"CSV source '{path}' is outside the report's folder", "--allow-path DIR"
        )
        assert not (victim / "out.csv").exists()


def test_a_json_source_outside_the_folder_is_refused_by_fields_too(write_report, victim):
    (victim / "outside" / "secret.json").write_text(f'[{{"Secret": "{SECRET}"}}]', encoding="utf-8")
    report = csv_report(write_report, "../outside/secret.json", kind="json")
    done = engine("fields", report)
    assert_refused(done, 2, "JSON source '../outside/secret.json' is outside", "--allow-path")
    assert done.stdout == ""


def test_allow_path_lets_the_outside_file_in(write_report, victim):
    report = csv_report(write_report, "../outside/secret.csv")
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out, "--allow-path", victim / "outside")
    assert (done.returncode, done.stderr) == (0, "")
    with pymupdf.open(out) as pdf:
        assert SECRET in pdf[0].get_text()  # the user's choice: the file is read


def test_allow_path_of_a_missing_folder_is_an_input_error(write_report, victim):
    report = csv_report(write_report, "../outside/secret.csv")
    done = engine("render", report, "-o", victim / "out.csv", "--allow-path", victim / "nope")
    assert_refused(done, 2, f"--allow-path {victim / 'nope'}: no such folder")
    assert not (victim / "out.csv").exists()


def test_the_users_data_path_is_not_confined(write_report, victim):
    # --data is the user's own choice, like a file picked in a dialog
    report = csv_report(write_report, "missing.csv")
    out = victim / "out.csv"
    done = engine("render", report, "-o", out, "--data", victim / "outside" / "secret.csv")
    assert (done.returncode, done.stderr) == (0, "")
    assert out.read_text(encoding="utf-8").splitlines() == ["Secret", SECRET]


@pytest.mark.parametrize("where", ["report", "data"])
def test_a_fifo_is_refused_at_once(write_report, victim, where):
    fifo = victim / "reports" / "pipe.csv"
    os.mkfifo(fifo)  # nobody ever writes to it: a read would block forever
    report = csv_report(write_report, "pipe.csv")
    args = ["--data", str(fifo)] if where == "data" else []
    done = engine("render", report, "-o", victim / "out.csv", *args)
    assert_refused(done, 2, f"CSV source {fifo} is not a regular file")
    assert not (victim / "out.csv").exists()


def test_dev_zero_is_refused_at_once_even_when_its_folder_is_allowed(write_report, victim):
    report = csv_report(write_report, "/dev/zero")
    done = engine("render", report, "-o", victim / "out.csv", "--allow-path", "/dev")
    assert_refused(done, 2, "CSV source /dev/zero is not a regular file")
    done = engine("fields", report, "--data", "/dev/zero")
    assert_refused(done, 2, "/dev/zero is not a regular file")
    assert not (victim / "out.csv").exists()


def test_a_file_over_the_size_cap_needs_max_input_mb(write_report, victim):
    # sparse: 513 MB long, a few bytes on disk; line 2 is ragged, so a read stops there
    huge = victim / "reports" / "huge.csv"
    huge.write_bytes(b"Secret,Other\nx\n")
    os.truncate(huge, 513 * MB)
    report = csv_report(write_report, "huge.csv")
    done = engine("render", report, "-o", victim / "out.csv")
    assert_refused(
        done, 2, f"CSV source {huge} is 513.0 MB, over the 512 MB limit", "--max-input-mb"
    )
    done = engine("render", report, "-o", victim / "out.csv", "--max-input-mb", "600")
    assert_refused(done, 1, f"{huge} line 2: 1 values, but the header has 2 columns")
    assert not (victim / "out.csv").exists()


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf", "lots"])
def test_max_input_mb_must_be_a_positive_number(write_report, victim, value):
    report = csv_report(write_report, "x.csv")
    done = engine("render", report, "-o", victim / "out.csv", f"--max-input-mb={value}")
    assert done.returncode == 2 and "--max-input-mb" in done.stderr
    assert "Traceback" not in done.stderr


def test_json_nested_100000_deep_is_a_clear_error(write_report, victim):
    (victim / "reports" / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    report = csv_report(write_report, "deep.json", kind="json")
    done = engine("render", report, "-o", victim / "out.csv")
    assert_refused(done, 1, "deep.json: arrays or objects nested too deeply")
    assert not (victim / "out.csv").exists()
