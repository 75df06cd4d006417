"""`python -m engine validate` and `schema`: output, exit status, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine.cli import main

ROOT = Path(__file__).parents[3]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.ashr"))

GOOD = {"format": "ashr", "version": 1, "name": "r", "bands": [{"type": "title", "height": 20}]}


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_validate_ok(tmp_path):
    path = tmp_path / "r.ashr"
    path.write_text(json.dumps(GOOD))
    proc = run("validate", str(path))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"{path}: ok\n", "")


def test_validate_examples():
    proc = run("validate", *map(str, EXAMPLES))
    assert proc.returncode == 0
    assert proc.stdout.count(": ok\n") == len(EXAMPLES)


def test_validate_reports_every_problem_with_file_and_path(tmp_path):
    bad = dict(
        GOOD,
        bands=[
            {
                "type": "title",
                "height": -1,
                "elements": [{"type": "label", "x": 0, "y": 0, "width": 0, "height": 5}],
            }
        ],
    )
    path = tmp_path / "bad.ashr"
    path.write_text(json.dumps(bad))
    proc = run("validate", str(path))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"{path}: bands[0].height: must be >= 0",
        f"{path}: bands[0].elements[0].width: must be > 0",
    ]
    assert "Traceback" not in proc.stderr


def test_validate_several_files_one_bad(tmp_path):
    good = tmp_path / "good.ashr"
    good.write_text(json.dumps(GOOD))
    bad = tmp_path / "bad.ashr"
    bad.write_text("{not json")
    out, err = _capture("validate", str(good), str(bad))
    assert out.status == 2
    assert out.text == f"{good}: ok\n"
    assert (
        err.text
        == f"{bad}: invalid JSON at line 1, column 2: Expecting property name enclosed in double quotes\n"
    )


def test_warnings_do_not_fail(tmp_path):
    data = dict(
        GOOD,
        bands=[
            {
                "type": "title",
                "height": 10,
                "elements": [{"type": "label", "x": 0, "y": 0, "width": 50, "height": 30}],
            }
        ],
    )
    path = tmp_path / "w.ashr"
    path.write_text(json.dumps(data))
    proc = run("validate", str(path))
    assert proc.returncode == 0
    assert proc.stderr.startswith(f"warning: {path}: bands[0].elements[0]: lies outside its band")


def test_unknown_command_is_exit_2():
    proc = run("frobnicate")
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_schema_is_json_schema():
    proc = run("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == {"format", "version", "name"}


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.status = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _capture(*argv: str) -> tuple[_Out, _Out]:
    out, err = _Out(), _Out()
    out.status = main(list(argv), stdout=out, stderr=err)  # type: ignore[arg-type]
    return out, err
