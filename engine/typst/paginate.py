"""Sized band instances → pages and columns: page breaks, keep-together groups, new-page groups, reprinted headers.

Pagination happens in Python, not in Typst: every band's height is known (see
`sizing`), so the pages Typst draws are exactly the pages planned here. That makes page
totals, "Page X of Y" and chunked compiles (issue: big reports) exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .sizing import Sized

#: slack against rounding when summing heights (points)
_SLACK = 0.01


@dataclass
class PageLayout:
    """One page: its number and the sized instances of each of its columns, top to bottom."""

    number: int
    columns: list[list[Sized]]
    title: Sized | None = None  # spans all columns (reports with several columns)

    @property
    def items(self) -> list[Sized]:
        """Every instance on the page in drawing order."""
        found = [self.title] if self.title is not None else []
        for column in self.columns:
            found.extend(column)
        return found


@dataclass
class _Group:
    level: int
    headers: list[Sized] = field(default_factory=list)
    header_placed: bool = False


class Paginator:
    """Places sized band instances on pages; `add` them in print order, then `finish`.

    Completed pages are appended to `pages`; the caller drains that list as it goes.
    """

    def __init__(
        self,
        report: Any,
        height: float,
        *,
        first_page_extra: float = 0.0,
        warn: Callable[[str], None] = lambda m: None,
    ) -> None:
        self.groups = list(report.groups)
        self.n_columns = report.page.columns
        self.height = height
        self.pages: list[PageLayout] = []
        self._warn = warn
        self._page = PageLayout(1, [[] for _ in range(self.n_columns)])
        self._column = 0
        self._limit = height + first_page_extra
        self._used = 0.0
        self._keys: tuple[Any, ...] | None = None
        self._open: list[_Group] = []
        self._held: list[Sized] = []
        self._keep: list[Sized] | None = None
        self._keep_level = -1

    # -- input ------------------------------------------------------------------------------

    def add(self, item: Sized) -> None:
        """Place one instance (title, group bands, details, summary, no_data, page-1 templates)."""
        kind = item.instance.band_type
        if kind == "title":
            self._title(item)
            return
        if kind in ("summary", "no_data"):
            self._close_groups(0)
            self._flush_held()
            self._place(item)
            return
        if (
            item.instance.group_keys
            and self.groups
            and kind in ("group_header", "detail", "group_footer")
        ):
            self._regroup(item.instance.group_keys)
        if kind == "group_header":
            level = item.instance.level if item.instance.level is not None else 0
            group = self._group(level)
            if group is not None and self.groups[level].reprint_header:
                group.headers.append(item)
            self._held.append(item)  # a header waits for the band after it (no orphaned headers)
            return
        self._emit([*self._held, item])
        self._held = []

    def finish(self) -> None:
        """Place what is still held and close the last page."""
        self._close_groups(0)
        self._flush_held()
        self.pages.append(self._page)

    # -- groups -----------------------------------------------------------------------------

    def _group(self, level: int) -> _Group | None:
        return next((g for g in self._open if g.level == level), None)

    def _regroup(self, keys: tuple[Any, ...]) -> None:
        old = self._keys
        if old is not None and keys == old:
            return
        first = (
            0
            if old is None
            else next(
                (i for i, (a, b) in enumerate(zip(keys, old, strict=False)) if a != b), len(keys)
            )
        )
        self._close_groups(first)
        self._keys = keys
        for level in range(first, len(self.groups)):
            group = self.groups[level]
            if group.start_new_page:
                self._flush_held()
                if self._page_has_content():
                    self._new_page()
            self._open.append(_Group(level))
            if group.keep_together and self._keep is None:
                self._keep, self._keep_level = [], level

    def _close_groups(self, level: int) -> None:
        if self._keep is not None and self._keep_level >= level:
            self._flush_held()
            kept, self._keep = self._keep, None
            self._place_together(kept)
        self._open = [g for g in self._open if g.level < level]
        if level == 0:
            self._keys = None

    # -- placing ----------------------------------------------------------------------------

    def _flush_held(self) -> None:
        if self._held:
            held, self._held = self._held, []
            self._emit(held)

    def _emit(self, items: list[Sized]) -> None:
        if self._keep is not None:
            self._keep.extend(items)
            if sum(i.height for i in self._keep) > self.height:
                # the group is taller than a page: it cannot be kept together, let it break
                kept, self._keep = self._keep, None
                self._place_together(kept[: -len(items)] or [])
                self._place_together(items)
            return
        self._place_together(items)

    def _place_together(self, items: list[Sized]) -> None:
        total = sum(i.height for i in items)
        if (
            total > self._limit - self._used + _SLACK
            and total <= self.height
            and self._column_has_content()
        ):
            self._next_column()
        for item in items:
            self._place(item)

    def _place(self, item: Sized) -> None:
        if item.height > self._limit - self._used + _SLACK and self._column_has_content():
            self._next_column()
        if item.height > self._limit + _SLACK:
            self._warn(
                f"bands[{item.instance.band_index}]: a {item.instance.band_type} band is taller than the page "
                f"({item.height:g} pt > {self._limit:g} pt); what does not fit is cut off"
            )
        if item.instance.band_type == "group_header" and not item.reprint:
            group = self._group(item.instance.level or 0)
            if group is not None:
                group.header_placed = True
        self._page.columns[self._column].append(item)
        self._used += item.height

    def _title(self, item: Sized) -> None:
        if self.n_columns > 1:
            self._page.title = item
            self._limit -= item.height
        else:
            self._place(item)

    def _page_has_content(self) -> bool:
        return any(self._page.columns) or self._page.title is not None

    def _column_has_content(self) -> bool:
        return bool(self._page.columns[self._column])

    def _next_column(self) -> None:
        if self._column + 1 < self.n_columns:
            self._column += 1
            self._used = 0.0
        else:
            self._new_page()
            return
        self._reprint()

    def _new_page(self) -> None:
        self.pages.append(self._page)
        self._page = PageLayout(self._page.number + 1, [[] for _ in range(self.n_columns)])
        self._column = 0
        self._used = 0.0
        self._limit = self.height
        self._reprint()

    def _reprint(self) -> None:
        """At the top of a new page or column, print again the headers of the open groups that ask for it."""
        for group in self._open:
            if group.header_placed and self.groups[group.level].reprint_header:
                for header in group.headers:
                    again = Sized(
                        header.instance,
                        header.height,
                        header.variant,
                        header.growth,
                        header.shift,
                        header.shrunk,
                        True,
                    )
                    self._page.columns[self._column].append(again)
                    self._used += again.height
