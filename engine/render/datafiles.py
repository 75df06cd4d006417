"""The data files of export_data: band instances in, the filled report as JSON (or the detail rows as CSV) out.

CSV cells are safe to open in a spreadsheet: text starting like a formula gets a leading
``'`` and binary values are written as base64.

``write_json`` buffers instances from the first one holding an unresolved forward value
until it resolves (a title printing a report total therefore buffers the whole report);
without forward values it streams.
"""

from __future__ import annotations

import base64
import json
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from engine.errors import EvaluationError
from engine.expr import Env
from engine.expr.formatting import default_text
from engine.model import Report, to_json_value

from ..fill.instances import BandInstance, DeferredText, PageNumberText, PageRef


def _element_json(report: Report, instance: BandInstance, value: Any) -> dict[str, Any]:
    element = report.bands[instance.band_index].elements[value.element_index]
    text = value.text
    if isinstance(text, DeferredText):
        text = text.text
    elif isinstance(text, PageRef):
        text = {"page_ref": text.key}
    elif isinstance(text, PageNumberText):
        text = {"page_number": text.template}
    elif isinstance(text, dict):
        text = {k: to_json_value(v) for k, v in text.items()}
    elif text is not None and not isinstance(text, str):
        text = to_json_value(text)
    out: dict[str, Any] = {"name": element.name} if element.name else {"index": value.element_index}
    out["type"] = element.type
    out["text"] = text
    return out


def _band_json(report: Report, instance: BandInstance) -> dict[str, Any]:
    return {
        "type": instance.band_type,
        "group": instance.group,
        "row_number": instance.row_number,
        "elements": [_element_json(report, instance, v) for v in instance.elements],
    }


def write_json(
    report: Report,
    instances: Iterable[BandInstance],
    out: IO[str],
    params: Mapping[str, Any] | None = None,
) -> None:
    """Write the filled report as one JSON object, bands in print order, forward values resolved.

    ``{"report": name, "parameters": {...}, "bands": [{"type", "group", "row_number",
    "elements": [{"name" or "index", "type", "text"}]}]}``; a page value is written as
    ``{"page_ref": key}`` and a page number as ``{"page_number": template}``.
    """
    parameters = {k: to_json_value(v) for k, v in sorted((params or {}).items())}
    head = {"report": report.name, "parameters": parameters}
    out.write(json.dumps(head, ensure_ascii=False, sort_keys=False)[:-1] + ', "bands": [')
    waiting: deque[BandInstance] = deque()
    first = True

    def flush() -> None:
        nonlocal first
        while waiting and waiting[0].resolved:
            out.write(
                ("\n" if first else ",\n")
                + json.dumps(_band_json(report, waiting.popleft()), ensure_ascii=False)
            )
            first = False

    for instance in instances:
        waiting.append(instance)
        flush()
    flush()
    if waiting:  # pragma: no cover - the fill resolves every forward value by its end
        raise EvaluationError("a forward value was never resolved")
    out.write("\n]}\n")


#: what makes a spreadsheet read a text cell as a formula (OWASP's CSV injection list)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as CSV cell text: numbers and dates plainly, bytes as base64, and text that a
    spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``) behind a ``'``.

    A negative number is a number, not text, and stays ``-2``.
    """
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return default_text(value)


def _quoted(cell: str) -> str:
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _row_writer(out: IO[str]) -> Callable[[list[str]], None]:
    """A function writing one CSV row, RFC 4180 quoting with LF line ends.

    Python's csv writer quotes only the characters of its line terminator, so with LF a bare
    CR in a cell went out unquoted and ended the row early for every reader.
    """

    def write_row(cells: list[str]) -> None:
        if cells == [""]:
            out.write('""\n')  # a lone empty cell, not a blank line
        else:
            out.write(",".join(map(_quoted, cells)) + "\n")

    return write_row


def write_csv(
    report: Report,
    rows: Iterable[Mapping[str, Any]],
    out: IO[str],
    params: Mapping[str, Any] | None = None,
    *,
    field_names: list[str] | None = None,
) -> None:
    """Write the detail rows that pass the report's ``filter`` as CSV (values unformatted, see csv_cell).

    The header is ``field_names``, else the data source's declared fields, else the keys
    of the first row. Rows are written in the order given (sort them first).
    """
    from ..fill import compile_report

    compiled = compile_report(report)
    env = Env(params=dict(params or {}))
    write_row = _row_writer(out)
    names = field_names
    if names is None and report.data_source is not None and report.data_source.fields:
        names = [f.name for f in report.data_source.fields]
    if names is not None:
        write_row([csv_cell(name) for name in names])
    for row in rows:
        env.row = row
        if compiled.filter is not None:
            try:
                if not compiled.filter(env):
                    continue
            except EvaluationError as exc:
                raise EvaluationError(f"filter: {exc.message}") from exc
        if names is None:
            names = list(row.keys())
            write_row([csv_cell(name) for name in names])
        write_row([csv_cell(row.get(name)) for name in names])
