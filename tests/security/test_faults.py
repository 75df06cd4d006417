"""Faults leave nothing behind: signals, killed runs, limits, full or read-only disks, folders as
targets, and saving a report (a whole `.bak`, symlinks kept) — real subprocesses, real files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.errors import ReportInputError
from engine.model import load_report, save_report
from tests.engine.render.helpers import ROOT
from tests.security.conftest import engine

TIMEOUT = 60
PNG = b"\x89PNG\r\n\x1a\n"


def start(*argv: str | Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "engine", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    return line


def listing(folder: Path, rows: int, *, height: float = 14, name: str = "listing") -> Path:
    """A report of `rows` rows of its own SQLite table; `height` of the detail band."""
    con = sqlite3.connect(folder / f"{name}.sqlite")
    con.execute("CREATE TABLE items (id INTEGER, name TEXT)")
    con.executemany("INSERT INTO items VALUES (?, ?)", ((i, f"item {i}") for i in range(rows)))
    con.commit()
    con.close()
    report = {
        "format": "ashr", "version": 2, "name": name,
        "data_source": {"kind": "sql", "url": f"sqlite:///{name}.sqlite",
                        "query": "SELECT id, name FROM items ORDER BY id"},
        "bands": [{"type": "detail", "height": height, "elements": [
            {"type": "field", "x": 0, "y": 0, "width": 100, "height": 14, "field": "id"},
            {"type": "field", "x": 110, "y": 0, "width": 200, "height": 14, "field": "name"}]}],
    }  # fmt: skip
    path = folder / f"{name}.ashr"
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150,000 rows: about 2,800 pages, several seconds of fill and compile to interrupt."""
    return listing(tmp_path_factory.mktemp("big"), 150_000, name="big")


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 rows: outputs of some hundred kilobytes (more than a small disk holds)."""
    return listing(tmp_path_factory.mktemp("medium"), 3_000, name="medium")


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 rows, one per page (a 500 pt detail band fits once on an A4 page): 12 pages."""
    return listing(tmp_path_factory.mktemp("twelve"), 12, height=500, name="twelve")


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A one-page report without data."""
    path = tmp_path / "small.ashr"
    path.write_text(json.dumps({
        "format": "ashr", "version": 2, "name": "small",
        "bands": [{"type": "title", "height": 20, "elements": [
            {"type": "label", "x": 0, "y": 0, "width": 100, "height": 14, "text": "Hello"}]}],
    }), encoding="utf-8")  # fmt: skip
    return path


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """An empty target folder, an empty temporary folder and the environment that uses it."""
    out, temp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    temp.mkdir()
    return out, temp, {**os.environ, "TMPDIR": str(temp)}


def _mount(folder: Path, options: str) -> None:
    folder.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB file system."""
    folder = tmp_path / "disk"
    _mount(folder, "size=64k")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def full_disk(disk: Path) -> Path:
    """The 64 KB file system, filled to the last byte by `filler`."""
    fill(disk / "filler")
    return disk


def fill(path: Path) -> None:
    """Write `path` until its file system has no byte left."""
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"x" * 1024)
        except OSError:
            pass


def worker_pids(of: int) -> list[int]:
    """The live compile workers started by process `of` (they carry ASHR_WORKER_OF=pid)."""
    marker = f"ASHR_WORKER_OF={of}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_until_compiling(proc: subprocess.Popen[str], temp: Path) -> bool:
    """Wait until the run's work folder holds compiled chunks (True), or its fill has run a
    while (False: a machine with one core compiles in the process itself)."""
    deadline = time.monotonic() + TIMEOUT
    seen = None
    while time.monotonic() < deadline and proc.poll() is None:
        folders = list(temp.glob(f"ashr-{proc.pid}-*"))
        if folders and list(folders[0].glob("chunk-*.pdf")):
            return True
        if folders and seen is None:
            seen = time.monotonic()
        if seen is not None and time.monotonic() - seen > 8:
            return False
        time.sleep(0.05)
    raise AssertionError(f"the render ended before it could be interrupted: {proc.poll()}")


def wait_gone(pids: list[int], of: int, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while worker_pids(of) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert worker_pids(of) == [], f"compile workers of {of} still running"


# -- signals -------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_and_leaves_nothing(big, folders, sig, status):
    out, temp, env = folders
    proc = start("render", big, "-o", out / "big.pdf", env=env)
    try:
        chunked = wait_until_compiling(proc, temp)
        workers = worker_pids(proc.pid)
        assert workers or not chunked
        proc.send_signal(sig)
        _stdout, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"{big}: interrupted by {signal.Signals(sig).name}; nothing was written"
    )
    assert list(out.iterdir()) == []
    assert list(temp.iterdir()) == []
    wait_gone(workers, proc.pid)


SLOW_QUERY = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT max(x) AS m FROM c"
)


@pytest.fixture
def slow_query(tmp_path: Path) -> Path:
    """A report whose one query runs for minutes inside SQLite (no row comes back meanwhile)."""
    path = listing(tmp_path, 1, name="slowq")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["data_source"]["query"] = SLOW_QUERY
    data["bands"][0]["elements"] = [
        {"type": "field", "x": 0, "y": 0, "width": 100, "height": 14, "field": "m"}
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.slow
def test_sigterm_stops_a_query_that_is_still_running(slow_query, folders):
    out, temp, env = folders
    proc = start("render", slow_query, "-o", out / "q.pdf", env=env)
    try:
        time.sleep(1.5)  # started, and inside the query
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _stdout, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert time.monotonic() - started < 5
    assert proc.returncode == 143
    assert err.splitlines() == [f"{slow_query}: interrupted by SIGTERM; nothing was written"]
    assert list(out.iterdir()) == [] and list(temp.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "json", "csv"])
# 0.05: the limit passes before the query has even started (an interrupt then is retried)
@pytest.mark.parametrize("seconds", ["1", "0.05"])
def test_max_seconds_stops_a_query_that_is_still_running(slow_query, folders, fmt, seconds):
    out, temp, env = folders
    started = time.monotonic()
    done = engine("render", slow_query, "-o", out / f"q.{fmt}", "--max-seconds", seconds, env=env)
    assert time.monotonic() - started < 10
    assert done.returncode == 1
    assert f"longer than --max-seconds {seconds}; nothing was written" in one_line(done)
    assert list(out.iterdir()) == [] and list(temp.iterdir()) == []


@pytest.mark.slow
def test_a_killed_run_leaves_no_workers_and_the_next_run_cleans_its_folder(big, small, folders):
    out, temp, env = folders
    proc = start("render", big, "-o", out / "big.pdf", env=env)
    try:
        wait_until_compiling(proc, temp)
    finally:
        proc.kill()  # SIGKILL: no clean-up can run
        proc.communicate(timeout=30)
    wait_gone(worker_pids(proc.pid), proc.pid)  # the workers notice their parent is gone
    assert list(temp.glob(f"ashr-{proc.pid}-*"))  # left behind, as -9 must
    done = engine("render", small, "-o", out / "small.pdf", env=env)
    assert done.returncode == 0, done.stderr
    assert list(temp.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["small.pdf"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_run_removes_only_the_leftovers_of_dead_runs(small, folders):
    out, temp, env = folders
    dead, alive = _dead_pid(), os.getpid()
    stale_part = out / f".small.pdf.{dead}.k3j4_5g6.part"
    stale_work = temp / f"ashr-{dead}-abc_123"
    kept = [
        out / f".small.pdf.{alive}.abcdefgh.part",  # a running process's
        out / "notes.part",  # not our pattern
        out / ".x.part",
        temp / f"ashr-{alive}-keepme",
        temp / "ashr-notes",
    ]
    stale_part.write_bytes(b"half a PDF")
    stale_work.mkdir()
    (stale_work / "chunk-00000.typ").write_text("= chunk", encoding="utf-8")
    for path in kept:
        if path.parent == temp:
            path.mkdir()
        else:
            path.write_bytes(b"keep")
    done = engine("render", small, "-o", out / "small.pdf", env=env)
    assert done.returncode == 0, done.stderr
    assert not stale_part.exists() and not stale_work.exists()
    assert all(path.exists() for path in kept)
    assert (out / "small.pdf").read_bytes().startswith(b"%PDF")


# -- limits --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_max_seconds_stops_the_run_and_writes_nothing(big, folders, fmt):
    out, temp, env = folders
    started = time.monotonic()
    done = engine("render", big, "-o", out / f"big.{fmt}", "--max-seconds", "1", env=env)
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    assert one_line(done) == (
        f"{big}: the run took longer than --max-seconds 1; nothing was written "
        "(raise the limit if the report is meant to take that long)"
    )
    assert list(out.iterdir()) == []
    assert list(temp.iterdir()) == []


def test_max_pages_stops_after_pagination_and_writes_nothing(twelve, folders):
    out, temp, env = folders
    done = engine("render", twelve, "-o", out / "twelve.pdf", "--max-pages", "5", env=env)
    assert done.returncode == 1
    assert one_line(done) == (
        f"{twelve}: the report has 12 pages, more than --max-pages 5; nothing was written "
        "(raise the limit, or narrow the data with parameters)"
    )
    assert list(out.iterdir()) == []
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf", "many"])
@pytest.mark.parametrize("option", ["--max-pages", "--max-seconds"])
def test_a_limit_that_means_nothing_is_bad_input(small, tmp_path, option, value):
    done = engine("render", small, "-o", tmp_path / "x.pdf", option, value)
    assert done.returncode == 2
    assert f"argument {option}:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()


# -- outputs -------------------------------------------------------------------------------------


def test_png_pages_are_numbered_with_as_many_digits_as_the_last_needs(twelve, folders):
    out, _temp, env = folders
    done = engine("render", twelve, "-o", out / "p.png", "--ppi", "10", env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"p-{i:02d}.png" for i in range(1, 13)]
    assert all(p.read_bytes().startswith(PNG) for p in out.iterdir())


@pytest.mark.parametrize("fmt", ["pdf", "json", "csv"])
def test_an_output_naming_a_folder_is_bad_input(small, tmp_path, fmt):
    folder = tmp_path / f"out.{fmt}"
    folder.mkdir()
    done = engine("render", small, "-o", folder, "--format", fmt)
    assert done.returncode == 2
    assert one_line(done) == (
        f"{small}: -o {folder} is a folder; name the output file, e.g. {folder}/report.pdf"
    )
    assert list(folder.iterdir()) == []


def test_an_output_in_a_missing_folder_is_bad_input(small, tmp_path):
    target = tmp_path / "nope" / "x.pdf"
    done = engine("render", small, "-o", target)
    assert done.returncode == 2
    assert one_line(done) == (
        f"{small}: -o {target}: the folder {target.parent} does not exist; create it first"
    )


@pytest.mark.parametrize("fmt", ["pdf", "json", "csv", "typ"])
def test_a_full_disk_is_exit_1_naming_the_file_and_leaves_nothing(medium, full_disk, fmt):
    target = full_disk / f"medium.{fmt}"
    done = engine("render", medium, "-o", target)
    assert done.returncode == 1
    assert one_line(done) == (
        f"{medium}: no space left writing {target}; free some space or write elsewhere with -o"
    )
    assert [p.name for p in full_disk.iterdir()] == ["filler"]


def test_a_multi_page_png_that_fills_the_disk_leaves_no_page(twelve, disk, tmp_path):
    roomy = tmp_path / "roomy"
    roomy.mkdir()
    done = engine("render", twelve, "-o", roomy / "p.png")
    assert done.returncode == 0, done.stderr
    sizes = [p.stat().st_size for p in sorted(roomy.iterdir())]
    # the premise: the first page fits on the 64 KB disk, all twelve do not
    assert sizes[0] < 16 * 1024 and sum(sizes) > 64 * 1024, sizes
    old = disk / "p-01.png"
    old.write_bytes(b"the previous first page")
    done = engine("render", twelve, "-o", disk / "p.png")
    assert done.returncode == 1
    line = one_line(done)
    assert line.startswith(f"{twelve}: no space left writing {disk}/p-")
    assert [p.name for p in disk.iterdir()] == ["p-01.png"]
    assert old.read_bytes() == b"the previous first page"


def test_a_read_only_target_is_exit_1_naming_the_file(small, tmp_path):
    folder = tmp_path / "ro"
    _mount(folder, "ro,size=64k")
    try:
        done = engine("render", small, "-o", folder / "small.pdf")
        assert done.returncode == 1
        assert one_line(done) == (
            f"{small}: read-only file system writing {folder}/small.pdf; write elsewhere with -o"
        )
    finally:
        subprocess.run(["umount", str(folder)], check=False)


# -- saving a report -------------------------------------------------------------------------------


def _report(pad: int, title: str = "T") -> object:
    text = json.dumps({"format": "ashr", "version": 2, "name": "r", "title": title,
                       "x_pad": "p" * pad})  # fmt: skip
    return load_report(text.encode())


def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    save_report(_report(10, "Old"), real / "r.ashr")
    old = (real / "r.ashr").read_bytes()
    link = tmp_path / "link.ashr"
    link.symlink_to(real / "r.ashr")
    save_report(_report(10, "New"), link)
    assert link.is_symlink() and os.readlink(link) == str(real / "r.ashr")
    assert load_report(real / "r.ashr").title == "New"
    assert (real / "r.ashr.bak").read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ashr", "real"]
    assert sorted(p.name for p in real.iterdir()) == ["r.ashr", "r.ashr.bak"]


def test_a_save_that_fills_the_disk_keeps_the_file_and_its_bak_whole(disk):
    path = disk / "r.ashr"
    save_report(_report(8000, "First"), path)
    first = path.read_bytes()
    save_report(_report(8000, "Second"), path)
    second = path.read_bytes()
    assert (disk / "r.ashr.bak").read_bytes() == first
    fill(disk / "filler")
    with pytest.raises(ReportInputError) as caught:
        save_report(_report(20_000, "Third"), path)
    assert caught.value.message == (f"no space left saving {path}; the previous file is unchanged")
    assert path.read_bytes() == second
    assert (disk / "r.ashr.bak").read_bytes() == first
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "r.ashr", "r.ashr.bak"]
