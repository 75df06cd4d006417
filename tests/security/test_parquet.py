"""Parquet sources a report names: confined like CSV, regular files only, and hostile files refused with one clear line, in bounded time and memory."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pymupdf
import pytest

from tests.security.conftest import engine, files_under
from tests.security.test_files import MB, SECRET, assert_refused, listing


def parquet_report(write_report: Any, path: str, field: str = "Secret") -> Path:
    return write_report(data_source={"kind": "parquet", "path": path}, bands=listing(field))


def secret_table() -> pa.Table:
    return pa.table({"Secret": [SECRET, "beta", "gamma"]})


# -- the footer rewritten as an outsider would: Thrift compact fields, the length fixed up -------


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _i64(number: int) -> bytes:
    """A Thrift compact i64 field one after the field before it: header, then the zigzag varint."""
    return b"\x16" + _varint((number << 1) ^ (number >> 63))


def rewrite_footer(path: Path, target: Path, old: bytes, new: bytes) -> Path:
    """`path` with `old` replaced by `new` once in its footer (FileMetaData), the footer length fixed."""
    data = path.read_bytes()
    size = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - size : -8]
    assert footer.count(old) == 1
    footer = footer.replace(old, new)
    target.write_bytes(data[: -8 - size] + footer + struct.pack("<I", len(footer)) + b"PAR1")
    return target


# -- where a report may read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["../outside/secret.parquet", "/tmp/../etc/x.parquet", "link.parquet"]
)
def test_a_parquet_file_outside_the_report_folder_is_refused(write_report, victim, path):
    pq.write_table(secret_table(), victim / "outside" / "secret.parquet")
    (victim / "reports" / "link.parquet").symlink_to(victim / "outside" / "secret.parquet")
    report = parquet_report(write_report, path)
    before = files_under(victim / "outside")
    for args in (["render", report, "-o", victim / "out.pdf"], ["fields", report]):
        done = engine(*args)
        assert_refused(
            done, 2, f"Parquet source '{path}' is outside the report's folder", "--allow-path"
        )
        assert done.stdout == ""
    assert not (victim / "out.pdf").exists() and files_under(victim / "outside") == before


def test_allow_path_and_the_users_data_path_read_it(write_report, victim):
    secret = victim / "outside" / "secret.parquet"
    pq.write_table(secret_table(), secret)
    report = parquet_report(write_report, "../outside/secret.parquet")
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out, "--allow-path", victim / "outside")
    assert (done.returncode, done.stderr) == (0, "")
    with pymupdf.open(out) as pdf:
        assert SECRET in pdf[0].get_text()
    other = parquet_report(write_report, "missing.parquet")
    done = engine("render", other, "-o", victim / "rows.csv", "--data", secret)
    assert (done.returncode, done.stderr) == (0, "")
    assert (victim / "rows.csv").read_text(encoding="utf-8").split() == [
        "Secret",
        SECRET,
        "beta",
        "gamma",
    ]
    done = engine("fields", "--data", secret)
    assert (done.returncode, done.stdout.split()) == (0, ["Secret", "string"])


@pytest.mark.parametrize("where", ["report", "data"])
def test_a_fifo_or_a_device_is_refused_at_once(write_report, victim, where):
    fifo = victim / "reports" / "pipe.parquet"
    os.mkfifo(fifo)  # nobody writes to it: a read would block forever
    report = parquet_report(write_report, "pipe.parquet")
    args = ["--data", str(fifo)] if where == "data" else []
    done = engine("render", report, "-o", victim / "out.pdf", *args, timeout=30)
    assert_refused(done, 2, f"Parquet source {fifo} is not a regular file")
    done = engine("fields", "--data", fifo, timeout=30)
    assert_refused(done, 2, f"{fifo} is not a regular file")


# -- hostile files --------------------------------------------------------------------------------


def _valid(folder: Path) -> Path:
    path = folder / "valid.parquet"
    pq.write_table(secret_table(), path)
    return path


def _truncated(folder: Path) -> Path:
    data = _valid(folder).read_bytes()
    target = folder / "bad.parquet"
    target.write_bytes(data[: len(data) // 2])
    return target


def _csv_named_parquet(folder: Path) -> Path:
    target = folder / "bad.parquet"
    target.write_text(f"Secret\n{SECRET}\n", encoding="utf-8")
    return target


def _empty(folder: Path) -> Path:
    target = folder / "bad.parquet"
    target.write_bytes(b"")
    return target


def _huge_footer_length(folder: Path) -> Path:
    # "PAR1" at both ends, and a footer length of 4 GB in a 12-byte file
    target = folder / "bad.parquet"
    target.write_bytes(b"PAR1" + struct.pack("<I", 0xFFFFFFFF) + b"PAR1")
    return target


def _garbled_pages(folder: Path) -> Path:
    data = bytearray(_valid(folder).read_bytes())
    for index in range(4, 60):  # the column chunk's page header and values
        data[index] ^= 0x5A
    target = folder / "bad.parquet"
    target.write_bytes(bytes(data))
    return target


def _garbled_footer(folder: Path) -> Path:
    data = bytearray(_valid(folder).read_bytes())
    size = struct.unpack("<I", data[-8:-4])[0]
    for index in range(len(data) - 8 - size, len(data) - 8, 3):
        data[index] = 0xFF
    target = folder / "bad.parquet"
    target.write_bytes(bytes(data))
    return target


def _nested_200_deep(folder: Path) -> Path:
    kind = pa.int32()
    for _ in range(200):
        kind = pa.struct([("a", kind)])
    target = folder / "bad.parquet"
    pq.write_table(pa.table({"Secret": pa.array([None], kind), "id": [1]}), target)
    return target


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "truncated": _truncated,
    "not parquet": _csv_named_parquet,
    "empty": _empty,
    "huge footer length": _huge_footer_length,
    "garbled pages": _garbled_pages,
    "garbled footer": _garbled_footer,
    "schema nested 200 deep": _nested_200_deep,
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_file_is_one_clear_error(write_report, victim, make):
    bad = make(victim / "reports")
    report = parquet_report(write_report, "bad.parquet")
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out, timeout=60)
    line = assert_refused(done, 1, str(bad))
    assert "Parquet" in line or "row" in line, line
    assert not out.exists()


def test_a_row_count_that_lies_reads_the_rows_that_are_there(write_report, victim):
    # the row group says 2**50 rows, the pages hold 3: nothing is sized by the count
    path = _valid(victim / "reports")
    row_group = pq.ParquetFile(path).metadata.row_group(0)
    old = _i64(row_group.total_byte_size) + _i64(3)
    new = _i64(row_group.total_byte_size) + _i64(2**50)
    rewrite_footer(path, victim / "reports" / "lies.parquet", old, new)
    report = parquet_report(write_report, "lies.parquet")
    done = engine("render", report, "-o", victim / "rows.csv", timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert (victim / "rows.csv").read_text(encoding="utf-8").split() == [
        "Secret",
        SECRET,
        "beta",
        "gamma",
    ]


def test_a_row_group_declaring_a_terabyte_is_refused_before_reading(write_report, victim):
    path = _valid(victim / "reports")
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    old = _i64(chunk.total_uncompressed_size) + _i64(chunk.total_compressed_size)
    new = _i64(2**40) + _i64(chunk.total_compressed_size)
    bomb = rewrite_footer(path, victim / "reports" / "bomb.parquet", old, new)
    report = parquet_report(write_report, "bomb.parquet")
    done = engine("render", report, "-o", victim / "out.pdf", timeout=60)
    assert_refused(
        done, 1, f"{bomb}: row group 0 declares 1048576.0 MB", "limit of one Parquet row group",
        "--max-input-mb",
    )  # fmt: skip


def test_a_huge_string_is_bounded_by_the_row_group_cap(write_report, victim):
    # 1,100 values of 1 MB each: 1.1 GB declared for one row group, a few kB on disk (zstd)
    value = pa.array(["x" * MB], pa.large_string())
    table = pa.table({"Secret": pa.chunked_array([value] * 1100)})
    pq.write_table(
        table, victim / "reports" / "big.parquet", compression="zstd", use_dictionary=False,
        row_group_size=2000,
    )  # fmt: skip
    del table
    assert (victim / "reports" / "big.parquet").stat().st_size < 2 * MB
    report = parquet_report(write_report, "big.parquet")
    done = engine("render", report, "-o", victim / "out.pdf", timeout=60)
    assert_refused(done, 1, "row group 0 declares", "--max-input-mb")


def test_a_column_the_report_cannot_print_is_named(write_report, victim):
    table = pa.table({"Secret": pa.array([1, 2], pa.duration("s")), "id": [1, 2]})
    pq.write_table(table, victim / "reports" / "durations.parquet")
    report = parquet_report(write_report, "durations.parquet")
    done = engine("render", report, "-o", victim / "out.pdf")
    assert_refused(done, 1, "column 'Secret' holds duration[s] values, which a report cannot print")
    unused = parquet_report(write_report, "durations.parquet", field="id")
    done = engine("render", unused, "-o", victim / "ids.pdf")
    assert (done.returncode, done.stderr) == (0, "")  # only the columns a report reads matter


def test_lists_declaring_a_gigabyte_are_refused_before_reading(write_report, victim):
    # 1,400 rows each holding the same list of 100,000 numbers: 1.1 GB declared, zstd-small
    values = pa.array([list(range(100_000))], pa.list_(pa.int64()))
    table = pa.table({"Secret": pa.chunked_array([values] * 1400)})
    target = victim / "reports" / "lists.parquet"
    pq.write_table(table, target, compression="zstd", use_dictionary=False)
    del table
    report = parquet_report(write_report, "lists.parquet")
    done = engine("render", report, "-o", victim / "out.pdf", timeout=60)
    assert_refused(done, 1, "row group 0 declares", "--max-input-mb")
