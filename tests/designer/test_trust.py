"""The trust prompt: opening a report reads none of its data; the first action that needs data asks once per source; the answer is remembered."""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

import designer.workers.introspection as introspection
from designer.commands import SetReportKeyCommand
from designer.dialogs.trust import TrustDialog
from designer.fields import REFRESH_HINT
from designer.mainwindow import MainWindow
from designer.preview.controller import DEBOUNCE_MS
from designer.trust import TrustStore, describe_source, trust_request
from engine.model import CsvSource, Report

CSV_TEXT = "city,amount\nLisbon,12\nOslo,7\n"


def report_data(source, *, name="shared", fields=True):
    """A version 2 report printing `city` in its detail band, reading from `source`."""
    if fields:
        source = {**source, "fields": [{"name": "city", "type": "string"}]}
    return {
        "format": "ashr",
        "version": 2,
        "name": name,
        "data_source": source,
        "bands": [
            {
                "type": "detail",
                "height": 14,
                "elements": [
                    {"type": "field", "x": 0, "y": 0, "width": 200, "height": 12, "field": "city"}
                ],
            }
        ],
    }


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def listing(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


class Answers:
    """Answers every trust dialog that comes up (Trust / Don't Trust in order) and records what each showed.

    A dialog nobody planned for is answered Don't Trust and recorded, so a wrong prompt
    fails the test instead of hanging it.
    """

    def __init__(self) -> None:
        self.planned: list[str] = []
        self.shown: list[TrustDialog] = []
        self.texts: list[str] = []
        self.unexpected = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def plan(self, *answers: str) -> None:
        self.planned.extend(answers)

    def _look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, TrustDialog) or dialog in self.shown:
            return
        self.shown.append(dialog)
        self.texts.append(dialog_text(dialog))
        if self.planned:
            answer = self.planned.pop(0)
        else:
            answer = "distrust"
            self.unexpected += 1
        dialog.findChild(QPushButton, f"{answer}Button").click()

    @property
    def asked(self) -> int:
        return len(self.shown)


def dialog_text(dialog):
    """Everything the dialog says: its labels and buttons."""
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    return "\n".join(labels + [b.text() for b in dialog.findChildren(QPushButton)])


@pytest.fixture
def answers(qapp):
    found = Answers()
    yield found
    found.timer.stop()


@pytest.fixture(autouse=True)
def _forget_answers(qapp):
    TrustStore().forget_all()
    yield
    TrustStore().forget_all()


@pytest.fixture
def reads(monkeypatch):
    """Every data source the fields worker read (the real introspection runs)."""
    seen = []
    real = introspection.introspect_fields

    def spy(source, *args, **kwargs):
        seen.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(introspection, "introspect_fields", spy)
    return seen


@pytest.fixture
def window(qtbot, monkeypatch):
    """A factory of shown main windows (the real trust prompt; closing discards)."""
    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda self: QMessageBox.StandardButton.Discard
    )

    def make(path=None):
        made = MainWindow()
        qtbot.addWidget(made)
        if path is not None:
            assert made.open_file(path)
        made.show()
        return made

    return make


def wait_fields(qtbot, window):
    qtbot.waitUntil(lambda: not window.document.fields_loading, timeout=10_000)


# -- opening reads nothing -------------------------------------------------------------------


def test_opening_a_report_whose_query_attaches_a_database_creates_nothing(
    tmp_path, qtbot, window, reads, answers
):
    folder = tmp_path / "mail"
    folder.mkdir()
    with sqlite3.connect(folder / "data.db") as conn:
        conn.execute("CREATE TABLE t (city TEXT)")
    source = {"kind": "sql", "url": "sqlite:///data.db", "query": "ATTACH DATABASE 'x.db' AS x"}
    path = write(folder / "attack.ashr", report_data(source, fields=False))
    before = listing(tmp_path)

    opened = window(path)
    qtbot.wait(200)  # anything started on open has had time to run

    assert reads == [] and answers.asked == 0
    assert opened.fields.notes() == [REFRESH_HINT]
    assert listing(tmp_path) == before  # no x.db, no journal, nothing


def test_opening_shows_the_fields_the_file_declares(tmp_path, qtbot, window, reads, answers):
    (tmp_path / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    path = write(tmp_path / "csv.ashr", report_data({"kind": "csv", "path": "data.csv"}))

    opened = window(path)
    qtbot.wait(100)

    assert reads == [] and answers.asked == 0
    assert opened.fields.entries() == {"city": "string"}


# -- refresh fields: asked once, remembered ---------------------------------------------------


def test_refresh_fields_asks_once_and_dont_trust_reads_nothing(
    tmp_path, qtbot, window, reads, answers
):
    (tmp_path / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    path = write(
        tmp_path / "csv.ashr", report_data({"kind": "csv", "path": "data.csv"}, fields=False)
    )
    opened = window(path)

    answers.plan("distrust")
    assert opened.refresh_fields() is False
    assert answers.asked == 1 and reads == []
    note = opened.fields.notes()[0]
    assert "Not read: you did not trust" in note and str(tmp_path / "data.csv") in note
    assert "Refresh fields" in note  # how to be asked again

    answers.plan("trust")  # the action can be retried: asked again
    assert opened.refresh_fields() is True
    wait_fields(qtbot, opened)
    assert answers.asked == 2 and len(reads) == 1
    assert opened.fields.entries() == {"city": "string", "amount": "integer"}

    assert opened.refresh_fields() is True  # remembered: not asked again
    wait_fields(qtbot, opened)
    assert answers.asked == 2 and len(reads) == 2

    other = window(path)  # another window, same file: remembered in the settings
    assert other.refresh_fields() is True
    wait_fields(qtbot, other)
    assert answers.asked == 2 and len(reads) == 3


def test_the_same_source_in_another_folder_is_asked_about_again(
    tmp_path, qtbot, window, reads, answers
):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
        write(tmp_path / name / "r.ashr", report_data({"kind": "csv", "path": "data.csv"}))
    opened = window(tmp_path / "a" / "r.ashr")
    answers.plan("trust", "distrust")
    assert opened.refresh_fields() is True
    wait_fields(qtbot, opened)
    assert opened.open_file(tmp_path / "b" / "r.ashr")
    assert opened.refresh_fields() is False
    assert answers.asked == 2 and len(reads) == 1


def test_a_source_typed_in_the_data_source_dialog_is_read_without_asking(
    tmp_path, qtbot, window, reads, answers
):
    (tmp_path / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    data = report_data({"kind": "csv", "path": "data.csv"})
    del data["data_source"]
    opened = window(write(tmp_path / "empty.ashr", data))

    dialog = opened.report_actions.data_source()
    dialog.form.set_source(CsvSource(kind="csv", path="data.csv"))
    dialog.accept()
    wait_fields(qtbot, opened)

    assert answers.asked == 0 and len(reads) == 1
    assert opened.fields.entries() == {"city": "string", "amount": "integer"}


# -- what the prompt shows ---------------------------------------------------------------------


def test_the_prompt_shows_host_database_and_user_never_the_password(tmp_path):
    url = "postgresql+psycopg://report_ro:hunter2@db.example.com:5433/sales?sslmode=require"
    report = Report.model_validate(
        report_data({"kind": "sql", "url": "sqlite:///x.db", "table": "t"}, fields=False)
    )
    report = report.replace(
        data_source=report.data_source.model_construct(
            kind="sql", url=url, query=None, table="t", connection=None, fields=None
        )
    )
    request = trust_request(report, tmp_path)
    details = dict(request.source.details)
    assert request.source.title == "PostgreSQL database"
    assert details["Host"] == "db.example.com:5433"
    assert details["Database"] == "sales" and details["User"] == "report_ro"
    assert details["Options"] == "sslmode=require"
    dialog = TrustDialog(request)
    shown = dialog_text(dialog)
    assert "db.example.com:5433" in shown and "report_ro" in shown
    assert "hunter2" not in shown and "hunter2" not in repr(request)
    dialog.deleteLater()


def test_the_prompt_lists_the_folders_outside_the_reports_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    report = Report.model_validate(
        report_data({"kind": "csv", "path": "../outside/data.csv"}, fields=False)
    )
    request = trust_request(report, tmp_path / "reports")
    assert request.folders == (outside,)
    assert dict(request.source.details)["File"] == str(outside / "data.csv")


# -- preview and export ---------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    import fitz

    with fitz.open(stream=pdf, filetype="pdf") as doc:
        return "".join(page.get_text() for page in doc)


@pytest.fixture
def closing(qtbot):
    """Windows whose preview threads are stopped after the test."""
    made = []
    yield made
    from designer.preview.service import stop_all

    for window in made:
        window.preview.controller.cancel()
        window.close()
    stop_all()


def test_dont_trust_leaves_the_preview_empty_then_trust_renders_the_data(
    tmp_path, qtbot, window, answers, closing
):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    path = write(
        tmp_path / "reports" / "r.ashr", report_data({"kind": "csv", "path": "../outside/data.csv"})
    )
    opened = window(path)
    closing.append(opened)
    controller = opened.preview.controller

    answers.plan("distrust")
    opened.preview.show_preview()  # showing the preview asks for the data
    qtbot.waitUntil(lambda: answers.asked == 1, timeout=5000)
    qtbot.wait(50)
    assert controller.last_job is None and controller.worker.pid is None  # nothing ran
    shown = opened.preview.pane.error_label.text()
    assert "Not read: you did not trust" in shown and str(outside / "data.csv") in shown
    assert "Refresh Data (F5)" in shown
    assert "Folders outside it:" in answers.texts[0] and str(outside) in answers.texts[0]

    # an edit re-renders after the debounce: a source declined this session is not asked again
    opened.document.push(SetReportKeyCommand(opened.document, "title", "Edited", "Title"))
    qtbot.wait(DEBOUNCE_MS + 200)
    assert answers.asked == 1 and controller.last_job is None
    assert "Not read" in opened.preview.pane.error_label.text()

    answers.plan("trust")
    with qtbot.waitSignal(controller.rendered, timeout=60_000):
        opened.preview.refresh_data()  # F5: asked again
    assert answers.asked == 2 and answers.unexpected == 0
    assert controller.last_job.allowed == (outside,)  # the render process may read it
    assert "Lisbon" in pdf_text(controller.last_result.pdf)


def test_an_export_of_an_untrusted_source_writes_nothing(tmp_path, qtbot, window, answers, closing):
    (tmp_path / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    path = write(tmp_path / "r.ashr", report_data({"kind": "csv", "path": "data.csv"}))
    opened = window(path)
    closing.append(opened)
    answers.plan("distrust")
    assert opened.preview.controller.export(tmp_path / "out.pdf", "pdf", ask=False) is False
    assert answers.asked == 1
    assert not (tmp_path / "out.pdf").exists()
    box = opened.findChild(QMessageBox, "exportRefusedBox")
    assert box is not None and "Export again" in box.informativeText()
    box.close()


def test_a_trusted_source_is_not_read_on_open_either(tmp_path, qtbot, window, reads, answers):
    (tmp_path / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    path = write(tmp_path / "r.ashr", report_data({"kind": "csv", "path": "data.csv"}))
    first = window(path)
    answers.plan("trust")
    assert first.refresh_fields() is True
    wait_fields(qtbot, first)
    assert len(reads) == 1

    again = window(path)
    qtbot.wait(100)
    assert len(reads) == 1 and answers.asked == 1
    assert again.fields.entries() == {"city": "string"}  # the declared fields, until a refresh


def test_forget_trusted_data_sources_asks_again(tmp_path, qtbot, window, reads, answers):
    (tmp_path / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    opened = window(write(tmp_path / "r.ashr", report_data({"kind": "csv", "path": "data.csv"})))
    answers.plan("trust", "distrust")
    assert opened.refresh_fields() is True
    wait_fields(qtbot, opened)
    opened.forget_trust_action.trigger()
    assert opened.refresh_fields() is False
    assert answers.asked == 2 and len(reads) == 1 and answers.unexpected == 0


def test_enter_and_escape_answer_dont_trust(tmp_path, qtbot):
    report = Report.model_validate(report_data({"kind": "csv", "path": "data.csv"}))
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        dialog = TrustDialog(trust_request(report, tmp_path))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.keyClick(dialog, key)
        assert not dialog.isVisible()  # answered
        assert dialog.result() == TrustDialog.DialogCode.Rejected


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["sql", "csv", "json"]),
    text=st.text(max_size=60),
    prefix=st.sampled_from(["", "sqlite:///", "postgresql://u:secretpw@", "mysql+pymysql://["]),
)
def test_any_source_text_is_described_without_an_exception_or_its_password(kind, text, prefix):
    from pathlib import Path

    source = SimpleNamespace(kind=kind, url=prefix + text, path=text or "x", connection=None)
    access = describe_source(source, Path("/tmp/reports"))
    assert access.title and access.key
    assert all("secretpw" not in value for _, value in access.details)


def test_a_render_job_reads_outside_its_folder_only_where_the_user_trusted_it(tmp_path):
    from designer.renderhost.job import RenderJob, run_job
    from engine.access import AccessError, reset_access
    from engine.render import CancelToken

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.csv").write_text(CSV_TEXT, encoding="utf-8")
    reports = tmp_path / "reports"
    report = Report.model_validate(report_data({"kind": "csv", "path": "../outside/data.csv"}))
    target = tmp_path / "rows.csv"
    try:
        trusted = RenderJob(report, base_dir=reports, fmt="csv", target=target, allowed=(outside,))
        run_job(trusted, CancelToken())
        assert "Lisbon" in target.read_text(encoding="utf-8")
        target.unlink()
        # the next job of the (long-lived) render process starts from the report's folder again
        with pytest.raises(AccessError, match="outside the report's folder"):
            run_job(RenderJob(report, base_dir=reports, fmt="csv", target=target), CancelToken())
        assert not target.exists()
    finally:
        reset_access()


def test_a_parquet_source_is_asked_about_with_its_full_path_then_its_fields_listed(
    tmp_path, qtbot, window, reads, answers
):
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "data").mkdir()
    table = pa.table({"city": ["Lisbon", "Oslo"], "amount": pa.array([12, 7], pa.int32())})
    pq.write_table(table, tmp_path / "data" / "sales.parquet")
    source = {"kind": "parquet", "path": "data/sales.parquet"}
    path = write(tmp_path / "pq.ashr", report_data(source, fields=False))
    request = trust_request(Report.model_validate(report_data(source)), tmp_path)
    assert request.source.title == "Parquet file"
    assert request.source.details == (("File", str(tmp_path / "data" / "sales.parquet")),)
    assert request.folders == ()

    opened = window(path)
    answers.plan("trust")
    assert opened.refresh_fields() is True
    wait_fields(qtbot, opened)
    assert answers.asked == 1 and len(reads) == 1
    assert "Parquet file" in answers.texts[0]
    assert str(tmp_path / "data" / "sales.parquet") in answers.texts[0]
    assert opened.fields.entries() == {"city": "string", "amount": "integer"}
