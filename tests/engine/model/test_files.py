"""Round trips and atomic saving of .ashr files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.errors import ReportInputError, ReportValidationError
from engine.model import dump_report, load_report, read_report, save_report

from .conftest import to_bytes

EXAMPLES = sorted((Path(__file__).parents[3] / "resources" / "examples").glob("*.ashr"))


def test_load_save_load_is_equal_and_byte_identical(valid_data, tmp_path):
    report = load_report(to_bytes(valid_data))
    path = tmp_path / "sales.ashr"
    save_report(report, path)
    first = path.read_bytes()
    again = load_report(path)
    assert again == report
    save_report(again, path)
    assert path.read_bytes() == first


def test_saved_text_is_stable_and_diffable(valid_data):
    text = dump_report(load_report(to_bytes(valid_data)))
    assert text.endswith("}\n")
    # keys in the spec's order, not alphabetical
    assert (
        text.index('"format"')
        < text.index('"version"')
        < text.index('"name"')
        < text.index('"bands"')
    )
    # floats written with at most 3 decimals, whole numbers without a point
    assert "123.457" in text and "123.4567" not in text
    assert '"top": 20.5' in text
    assert '"height": 40,' in text


def test_extension_keys_are_kept_untouched(valid_data):
    report = load_report(to_bytes(valid_data))
    assert report.extensions == {"x_designer": {"zoom": 1.5}}
    assert report.bands[0].elements[0].extensions == {"x_note": {"by": "test"}}
    text = dump_report(report)
    assert '"x_designer": {"zoom": 1.5}' in text
    assert '"x_note": {"by": "test"}' in text


def test_models_are_frozen(valid_data):
    report = load_report(to_bytes(valid_data))
    with pytest.raises(Exception, match="frozen"):
        report.name = "other"  # type: ignore[misc]
    assert isinstance(report.bands, tuple)


def test_save_keeps_previous_version_as_bak(valid_data, tmp_path):
    path = tmp_path / "r.ashr"
    report = load_report(to_bytes(valid_data))
    save_report(report, path)
    old = path.read_bytes()
    save_report(report.replace(title="Changed"), path)
    assert (tmp_path / "r.ashr.bak").read_bytes() == old
    assert load_report(path).title == "Changed"


def test_failed_write_keeps_old_file_and_leaves_no_temp(valid_data, tmp_path, monkeypatch):
    path = tmp_path / "r.ashr"
    report = load_report(to_bytes(valid_data))
    save_report(report, path)
    old = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ReportInputError, match="previous file is unchanged"):
        save_report(report.replace(title="New"), path)
    assert path.read_bytes() == old
    # no temporary file left; a .bak, if one was made, is the old file whole
    assert sorted(p.name for p in tmp_path.iterdir()) in (["r.ashr"], ["r.ashr", "r.ashr.bak"])


def test_save_into_missing_folder_is_a_clear_error(valid_data, tmp_path):
    report = load_report(to_bytes(valid_data))
    with pytest.raises(ReportInputError, match="cannot write in"):
        save_report(report, tmp_path / "nope" / "r.ashr")


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ReportValidationError) as info:
        load_report(tmp_path / "gone.ashr")
    assert info.value.lines() == [f"{tmp_path / 'gone.ashr'}: no such file"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load_without_problems_and_are_canonical(path):
    result = read_report(path)
    assert result.diagnostics == []
    assert dump_report(result.report) == path.read_text(encoding="utf-8")


def test_there_are_examples():
    assert len(EXAMPLES) >= 3


def test_save_keeps_permissions_of_the_old_file(valid_data, tmp_path):
    path = tmp_path / "r.ashr"
    report = load_report(to_bytes(valid_data))
    save_report(report, path)
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    path.chmod(0o640)
    save_report(report, path)
    assert path.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("width", 8.5e-193, id="a width that rounds to 0"),
        pytest.param("size", 0.0004, id="a font size that rounds to 0"),
    ],
)
def test_a_positive_number_that_rounds_to_zero_is_refused_on_load(valid_data, key, value):
    """Files hold 3 decimals: such a value would be saved as 0, and that file would not load again."""
    valid_data["bands"][0]["elements"][0][key] = value
    with pytest.raises(ReportValidationError) as info:
        load_report(to_bytes(valid_data))
    assert info.value.lines() == [f"bands[0].elements[0].{key}: must be > 0"]
    valid_data["bands"][0]["elements"][0][key] = 0.0005  # rounds to 0.001: kept
    assert getattr(load_report(to_bytes(valid_data)).bands[0].elements[0], key) == 0.001
