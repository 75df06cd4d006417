"""export_data: the one CSV/JSON writer — rows and events checked against SQL, a cancel writes nothing, and the CLI writes the same bytes."""

from __future__ import annotations

import csv
import io

import pytest

from engine import Cancelled, CancelToken, Progress, export_data, prepare_report

from .helpers import EXAMPLES, chinook_sql, run_main

CUSTOMERS = EXAMPLES / "customers_by_country_city.ashr"


def test_csv_rows_progress_and_the_cli_agree(tmp_path):
    events: list[Progress] = []
    target = tmp_path / "api.csv"
    done = export_data(prepare_report(CUSTOMERS), "csv", target, progress=events.append)
    ((customers,),) = chinook_sql("SELECT count(*) FROM Customer")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert done.rows_read == len(rows) == customers
    assert events[0].stage == "query" and events[-1].stage == "done"
    assert events[-1].rows_read == customers
    status, _, err = run_main("render", CUSTOMERS, "-o", tmp_path / "cli.csv")
    assert status == 0, err
    assert (tmp_path / "cli.csv").read_bytes() == target.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_cancelled_export_writes_nothing(tmp_path, fmt):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        export_data(prepare_report(CUSTOMERS), fmt, tmp_path / f"x.{fmt}", cancel=token)
    assert list(tmp_path.iterdir()) == []
