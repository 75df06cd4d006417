"""Where text lands on the page: keep_together, start_new_page, reprint_header, print_when, can_grow, page totals."""

from __future__ import annotations

import copy
import itertools
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from engine.model import load_report
from engine.render import render_report

from .helpers import page_lines, write_report

#: group sizes cycled until 300 rows; every group fits on one page, several exceed half a page
SMALL_GROUPS = [3, 17, 9, 20, 5, 14, 11, 19, 7, 15]
#: larger groups that run over several pages
BIG_GROUPS = [7, 61, 4, 90, 33, 105]

ROW = re.compile(r"R\d{3}")
LONG_TEXT = (
    "The quick brown fox jumps over the lazy dog while seven wizards quietly hex "
    "the jolly zebra, and the final words are zanzibar marmalade."
)


def group_sizes(pattern: list[int], total: int = 300) -> Iterator[int]:
    left = total
    for size in itertools.cycle(pattern):
        if left <= 0:
            return
        yield min(size, left)
        left -= size


def make_db(path: Path, pattern: list[int]) -> list[tuple[int, str, str, int]]:
    """A table `item(Id, Grp, Label, Amount)` of 300 rows in groups of the given sizes."""
    rows = []
    next_id = 1
    for g, size in enumerate(group_sizes(pattern), start=1):
        for _ in range(size):
            rows.append((next_id, f"G{g:02d}", f"R{next_id:03d}", next_id * 37 % 100 + 1))
            next_id += 1
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE item (Id INTEGER, Grp TEXT, Label TEXT, Amount INTEGER, Note TEXT)")
    con.executemany("INSERT INTO item VALUES (?, ?, ?, ?, ?)", [(*r, LONG_TEXT) for r in rows])
    con.commit()
    con.close()
    return rows


def text(x: float, y: float, width: float, height: float, **keys: Any) -> dict[str, Any]:
    element = {"x": x, "y": y, "width": width, "height": height}
    if "field" in keys:
        element["type"] = "field"
    elif "expression" in keys:
        element["type"] = "expression"
    else:
        element["type"] = "label"
    element.update(keys)
    return element


def base_report(group: dict[str, Any] | None = None) -> dict[str, Any]:
    """A 400 × 400 pt listing of `item`: group header/footer, one detail line per row, page footer."""
    bands: list[dict[str, Any]] = [
        {
            "type": "detail",
            "height": 14,
            "elements": [
                text(0, 0, 100, 14, field="Label"),
                text(200, 0, 60, 14, field="Amount", align="right"),
            ],
        },
        {
            "type": "page_footer",
            "height": 16,
            "elements": [text(0, 2, 200, 12, expression="'Page sum ' + str(vars.page_sum)")],
        },
    ]
    report: dict[str, Any] = {
        "format": "ashr",
        "version": 1,
        "name": "layout",
        "page": {
            "size": "custom",
            "width": 400,
            "height": 400,
            "margins": {"top": 20, "right": 20, "bottom": 20, "left": 20},
        },
        "data_source": {"kind": "sql", "url": "sqlite:///items.sqlite", "table": "item"},
        "sort": [{"expression": "Id"}],
        "variables": [
            {"name": "page_sum", "expression": "Amount", "calculation": "sum", "reset": "page"}
        ],
        "bands": bands,
    }
    if group is not None:
        report["groups"] = [{"name": "grp", "expression": "Grp", **group}]
        bands += [
            {
                "type": "group_header",
                "group": "grp",
                "height": 20,
                "elements": [text(0, 3, 200, 14, expression="'Group ' + Grp", bold=True)],
            },
            {
                "type": "group_footer",
                "group": "grp",
                "height": 16,
                "elements": [text(0, 1, 200, 14, expression="'End ' + Grp", italic=True)],
            },
        ]
    return report


def render(folder: Path, report: dict[str, Any], **options: Any) -> list[list[str]]:
    """Render a report dict (data in `folder/items.sqlite`) and return each page's text lines."""
    path = write_report(folder / f"{report['name']}.ashr", report)
    result = render_report(load_report(path), base_dir=folder, **options)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        return [page_lines(page) for page in doc]


def pages_of_rows(pages: list[list[str]]) -> dict[str, int]:
    return {line: n for n, page in enumerate(pages) for line in page if ROW.fullmatch(line)}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, list[tuple[int, str, str, int]]]:
    folder = tmp_path_factory.mktemp("small")
    return folder, make_db(folder / "items.sqlite", SMALL_GROUPS)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, list[tuple[int, str, str, int]]]:
    folder = tmp_path_factory.mktemp("big")
    return folder, make_db(folder / "items.sqlite", BIG_GROUPS)


def groups_of(rows: list[tuple[int, str, str, int]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for _id, grp, label, _amount in rows:
        out.setdefault(grp, []).append(label)
    return out


# -- keep_together ---------------------------------------------------------------------------


def split_groups(pages: list[list[str]], rows) -> list[str]:
    where = pages_of_rows(pages)
    assert len(where) == len(rows)  # every row printed exactly once
    return [g for g, labels in groups_of(rows).items() if len({where[r] for r in labels}) > 1]


def test_without_keep_together_groups_do_split(small):
    folder, rows = small
    pages = render(folder, base_report({}))
    assert split_groups(pages, rows)  # the data does break groups, so the next test means something


def test_keep_together_keeps_each_group_on_one_page(small):
    folder, rows = small
    pages = render(folder, base_report({"keep_together": True}))
    assert split_groups(pages, rows) == []
    for grp in groups_of(rows):
        (page,) = [n for n, lines in enumerate(pages) if f"Group {grp}" in lines]
        assert f"End {grp}" in pages[page]


# -- start_new_page --------------------------------------------------------------------------


def test_start_new_page_puts_each_group_header_first_on_its_page(small):
    folder, rows = small
    pages = render(folder, base_report({"start_new_page": True}))
    headers = [
        (n, i)
        for n, page in enumerate(pages)
        for i, line in enumerate(page)
        if line.startswith("Group ")
    ]
    assert len(headers) == len(groups_of(rows))
    assert all(i == 0 for _, i in headers), headers
    assert len({n for n, _ in headers}) == len(headers)  # one group start per page
    # nothing of the previous group follows a header on its page
    where = pages_of_rows(pages)
    for grp, labels in groups_of(rows).items():
        page = next(n for n, lines in enumerate(pages) if f"Group {grp}" in lines)
        assert where[labels[0]] == page


# -- reprint_header --------------------------------------------------------------------------


def test_reprint_header_tops_every_page_a_group_continues_on(big):
    folder, rows = big
    pages = render(folder, base_report({"reprint_header": True}))
    group_of = {label: grp for _id, grp, label, _a in rows}
    continued = 0
    for n, page in enumerate(pages):
        firsts = [line for line in page if ROW.fullmatch(line) or line.startswith("End ")]
        grp = group_of[firsts[0]] if ROW.fullmatch(firsts[0]) else firsts[0].removeprefix("End ")
        assert page[0] == f"Group {grp}", f"page {n + 1}"
        continued += (
            n > 0
            and f"End {grp}" not in pages[n - 1]
            and any(group_of.get(line) == grp for line in pages[n - 1])
        )
    assert continued >= 5


def test_without_reprint_header_continuing_pages_start_with_rows(big):
    folder, _rows = big
    pages = render(folder, base_report({}))
    assert sum(ROW.fullmatch(page[0]) is not None for page in pages) >= 5


# -- print_when on a band ---------------------------------------------------------------------


def test_band_print_when_false_takes_no_space(small, tmp_path):
    folder, rows = small
    report = base_report()
    report["bands"].insert(
        0,
        {
            "type": "detail",
            "height": 10,
            "print_when": "Amount > 80",
            "elements": [text(20, 0, 100, 10, expression="'BIG ' + Label", size=7)],
        },
    )
    path = write_report(folder / "print_when.ashr", report)
    result = render_report(load_report(path), base_dir=folder)
    amount = {label: a for _id, _g, label, a in rows}
    compared = 0
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        bigs = sum(line.startswith("BIG ") for page in doc for line in page_lines(page))
        assert bigs == sum(a > 80 for a in amount.values())
        for page in doc:
            tops = [
                (w[4], w[1])
                for w in page.get_text("words")
                if ROW.fullmatch(w[4]) and w[0] < 30  # the row label, not "BIG R005"
            ]
            for (_a, y1), (b, y2) in itertools.pairwise(tops):
                assert y2 - y1 == pytest.approx(14 + (10 if amount[b] > 80 else 0), abs=0.2), b
                compared += 1
    assert compared > 250


# -- can_grow ----------------------------------------------------------------------------------


def grow_report(can_grow: bool) -> dict[str, Any]:
    report = base_report()
    report["name"] = f"grow_{can_grow}".lower()
    report["sort"] = [{"expression": "Id"}]
    report["filter"] = "Id <= 3"
    report["bands"][0] = {
        "type": "detail",
        "height": 32,
        "can_grow": can_grow,
        "elements": [
            text(0, 0, 40, 14, field="Label"),
            text(50, 0, 150, 14, field="Note"),
            text(50, 16, 150, 14, expression="'below ' + Label"),
        ],
    }
    return report


def test_can_grow_wraps_text_and_pushes_elements_below_down(small):
    folder, _rows = small
    path = write_report(folder / "grow.ashr", grow_report(True))
    result = render_report(load_report(path), base_dir=folder)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        page = doc[0]
        text_ = page.get_text()
        assert text_.count("marmalade.") == 3  # the last words are printed
        words = page.get_text("words")
        first_row = next(w for w in words if w[4] == "R001")
        below = next(w for w in words if w[4] == "below" and abs(w[1] - first_row[1]) < 80)
        note = [w for w in words if 69 <= w[0] < 220 and first_row[1] - 1 <= w[1] < below[1]]
        lines = {round(w[1]) for w in note if w[4] not in ("below", "R001")}
        assert len(lines) >= 4  # wrapped over several lines
        last_note_bottom = max(w[3] for w in note if w[4] != "below")
        assert below[1] >= last_note_bottom  # moved down below the grown text
        assert below[1] - first_row[1] > 16 + 20  # much further down than its place at y=16
        # the second row starts below the first row's grown band
        second = next(w for w in words if w[4] == "R002")
        assert second[1] > below[3]


def test_without_can_grow_text_is_clipped_to_its_box(small):
    folder, _rows = small
    path = write_report(folder / "clip.ashr", grow_report(False))
    result = render_report(load_report(path), base_dir=folder)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        page = doc[0]
        # PyMuPDF's default text flags include TEXT_CLIP: glyphs outside the clip path are dropped
        visible = page.get_text()
        everything = page.get_text(flags=pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_CLIP)
        assert "zanzibar" not in visible
        assert "zanzibar" in everything  # it was drawn, but outside the clipped box
        assert "The quick brown" in visible  # the first line is shown
        words = page.get_text("words")
        first_row = next(w for w in words if w[4] == "R001")
        below = next(w for w in words if w[4] == "below")
        second = next(w for w in words if w[4] == "R002")
        assert below[1] - first_row[1] == pytest.approx(16, abs=0.5)  # stays at its place
        assert second[1] - first_row[1] == pytest.approx(32, abs=0.5)  # the band keeps 32 pt


# -- page totals ---------------------------------------------------------------------------------


def page_sums(pages: list[list[str]], amount: dict[str, int]) -> list[tuple[int, int]]:
    """(sum of the detail amounts printed on the page, the page footer's total) per page."""
    out = []
    for page in pages:
        printed = sum(amount[line] for line in page if ROW.fullmatch(line))
        footer = [line for line in page if line.startswith("Page sum ")]
        assert len(footer) == 1
        out.append((printed, int(footer[0].removeprefix("Page sum "))))
    return out


@pytest.fixture(scope="module")
def worker_pool():
    yield
    from engine.render import pool

    pool.shutdown_pool()


@pytest.mark.parametrize(
    "workers",
    [1, 2],
    ids=["one compile", "two compile workers"],
)
def test_page_total_sums_the_rows_on_its_page(small, workers, worker_pool):
    folder, rows = small
    pages = render(folder, base_report(), workers=workers)
    amount = {label: a for _id, _g, label, a in rows}
    assert len(pages) > 10
    for n, (printed, total) in enumerate(page_sums(pages, amount), start=1):
        assert total == printed, f"page {n}"
    assert sum(t for _, t in page_sums(pages, amount)) == sum(amount.values())


@pytest.mark.parametrize("group", [{}, {"keep_together": True}, {"reprint_header": True}])
def test_page_total_with_groups(small, group):
    folder, rows = small
    report = copy.deepcopy(base_report(group))
    report["name"] = "totals_" + "_".join(group) if group else "totals_plain"
    pages = render(folder, report)
    amount = {label: a for _id, _g, label, a in rows}
    for n, (printed, total) in enumerate(page_sums(pages, amount), start=1):
        assert total == printed, f"page {n}"
