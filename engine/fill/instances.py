"""What filling produces: band instances holding element values with resolved styles and forward references."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any

from .charts import ChartRef

#: band types that are page furniture: yielded once, first, as templates the layout repeats per page
PAGE_BAND_TYPES: tuple[str, ...] = (
    "page_header",
    "column_header",
    "column_footer",
    "page_footer",
    "background",
)


@dataclass(frozen=True, slots=True)
class ResolvedStyle:
    """Every style key of an element after precedence (conditional, own keys, named style, theme)."""

    font: str
    size: float
    bold: bool
    italic: bool
    underline: bool
    color: str
    background: str | None
    align: str
    valign: str
    padding: float


_deferred_ids = count(1)


class DeferredText:
    """Text known only when the scope of the variables it reads closes (a forward reference).

    ``resolved`` turns True and ``text`` is set when the fill reaches the end of the last
    scope instance the element's expression depends on; before that ``text`` is None.
    """

    __slots__ = ("_evaluate", "id", "pending", "resolved", "text", "values")

    def __init__(
        self, values: dict[str, Any], pending: int, evaluate: Callable[[DeferredText], str]
    ):
        self.id = next(_deferred_ids)
        self.resolved = False
        self.text: str | None = None
        #: the variable values seen at print time, overwritten by scope totals as scopes close
        self.values = values
        self.pending = pending
        self._evaluate = evaluate

    def settle(self, totals: Mapping[str, Any]) -> None:
        """One scope this text waits for has closed with these variable totals."""
        self.values.update(totals)
        self.pending -= 1
        if self.pending <= 0 and not self.resolved:
            self.text = self._evaluate(self)
            self.resolved = True
            self._evaluate = _done

    def __repr__(self) -> str:
        return f"DeferredText(id={self.id}, resolved={self.resolved}, text={self.text!r})"


def _done(_: DeferredText) -> str:  # pragma: no cover - never called after resolution
    raise RuntimeError("already resolved")


class PageRef:
    """A value that depends on the real page (``reset: page`` variables, ``scope: page`` aggregates).

    ``keys`` maps each page key the expression needs (a variable name or
    ``elem:<band>.<element>``) to its calculation. The layout stage totals the
    ``page_values`` contributions of the band instances on a page per key (see
    ``engine.calc.Totals``) and calls ``render(totals)``; when ``running`` is True it renders
    with the totals up to and including the instance that holds this reference.
    """

    __slots__ = ("_render", "calculation", "format", "key", "keys", "running")

    def __init__(
        self,
        keys: Mapping[str, str],
        render: Callable[[Mapping[str, Any]], str],
        *,
        running: bool = False,
        format: Any = None,
    ) -> None:
        self.keys = dict(keys)
        self.key = next(iter(self.keys), "")
        self.calculation = self.keys.get(self.key, "")
        self.format = format
        self.running = running
        self._render = render

    def render(self, totals: Mapping[str, Any]) -> str:
        """The element's text given the page totals of ``keys``."""
        return self._render(totals)

    def __repr__(self) -> str:
        return f"PageRef(keys={self.keys!r}, running={self.running})"


class PageNumberText:
    """A page_number element: a template with ``{page}`` and ``{pages}`` the layout fills in."""

    __slots__ = ("template",)

    def __init__(self, template: str) -> None:
        self.template = template

    def render(self, page: int, pages: int) -> str:
        """The text on page ``page`` of ``pages``."""
        return self.template.replace("{page}", str(page)).replace("{pages}", str(pages))

    def __repr__(self) -> str:
        return f"PageNumberText({self.template!r})"


#: what an element prints: final text, a forward reference, a page value, raw bytes (image field),
#: a chart's data or nothing
ElementText = str | DeferredText | PageRef | PageNumberText | ChartRef | bytes | None


@dataclass(slots=True)
class ElementValue:
    """One printed element of a band instance: its index in the band, its text and its style."""

    element_index: int
    text: ElementText
    style: ResolvedStyle


@dataclass(slots=True)
class BandInstance:
    """One printing of a band.

    ``band_index`` indexes ``report.bands``; ``level`` is the 0-based index of the group in
    ``report.groups`` for group bands; ``row_number`` is the 1-based report row the band
    was printed with (None for title, summary, no_data and page furniture);
    ``group_keys`` the current group values, outermost first. ``page_values`` maps page
    keys to the contributions (non-null values, in row order) of the rows processed
    since the previous instance, which the layout adds to the page this instance lands on.
    """

    band_index: int
    band_type: str
    group: str | None
    level: int | None
    row_number: int | None
    group_keys: tuple[Any, ...]
    elements: list[ElementValue]
    page_values: dict[str, list[Any]]

    @property
    def resolved(self) -> bool:
        """True when no element still waits for a forward value."""
        return all(
            not isinstance(e.text, DeferredText | ChartRef) or e.text.resolved
            for e in self.elements
        )


def element_text(value: ElementValue) -> Any:
    """The text of an element value, following a resolved DeferredText (unresolved gives None)."""
    text = value.text
    if isinstance(text, DeferredText):
        return text.text
    return text
