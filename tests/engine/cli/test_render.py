"""`python -m engine render` options: default output name, --progress, --profile, --timestamp."""

from __future__ import annotations

import json

import pymupdf

from ..render.helpers import EXAMPLES, run_main, write_report

CUSTOMERS = EXAMPLES / "customers_by_country_city.ashr"

ONE_PAGE = {
    "format": "ashr",
    "version": 1,
    "name": "hello",
    "bands": [
        {
            "type": "title",
            "height": 30,
            "elements": [
                {"type": "label", "x": 0, "y": 0, "width": 300, "height": 20, "text": "Hello"}
            ],
        }
    ],
}


def test_default_output_is_name_dot_pdf_in_the_current_folder(tmp_path, monkeypatch):
    report = write_report(tmp_path / "some file.ashr", ONE_PAGE)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    status, _out, err = run_main("render", report)
    assert (status, err) == (0, "")
    assert sorted(p.name for p in work.iterdir()) == ["hello.pdf"]
    with pymupdf.open(work / "hello.pdf") as doc:
        assert doc[0].get_text().strip() == "Hello"


def test_format_without_output_names_the_file_by_format(tmp_path, monkeypatch):
    report = write_report(tmp_path / "r.ashr", ONE_PAGE)
    monkeypatch.chdir(tmp_path)
    status, _out, err = run_main("render", report, "--format", "json")
    assert (status, err) == (0, "")
    data = json.loads((tmp_path / "hello.json").read_text(encoding="utf-8"))
    assert data["bands"][0]["elements"][0]["text"] == "Hello"


def test_progress_goes_to_stderr(tmp_path):
    status, out, err = run_main("render", CUSTOMERS, "-o", tmp_path / "c.pdf", "--progress")
    assert (status, out) == (0, "")
    lines = err.splitlines()
    assert lines
    assert all(line.startswith("progress: ") for line in lines)
    assert "7" in lines[-1]  # the last line reports the written pages
    assert (tmp_path / "c.pdf").exists()


def test_profile_prints_a_table_of_stages(tmp_path):
    status, out, err = run_main("render", CUSTOMERS, "-o", tmp_path / "c.pdf", "--profile")
    assert (status, out) == (0, "")
    lines = err.splitlines()
    assert lines[0].split() == ["stage", "seconds", "peak", "MB"]
    stages = [line.split()[0] for line in lines[1:]]
    assert "load" in stages and "write" in stages and "total" in stages
    assert any("compile" in s for s in stages)
    total = float(next(line for line in lines if line.startswith("total")).split()[1])
    assert 0 < total < 60


def test_bad_timestamp_exits_2(tmp_path):
    report = write_report(tmp_path / "r.ashr", ONE_PAGE)
    status, _out, err = run_main(
        "render", report, "-o", tmp_path / "x.pdf", "--timestamp", "yesterday"
    )
    assert status == 2
    assert "--timestamp 'yesterday'" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()
