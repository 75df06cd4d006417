"""Element values of band instances (text, forward refs, page refs, page numbers, images) → Typst expressions."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..fill import ChartRef, DeferredText, PageNumberText, PageRef
from .escape import typst_string
from .images import PictureError, check_picture


def page_number_code(template: str) -> str:
    """Typst code printing a `{page}`/`{pages}` template on the real page (`PAGES` holds the count)."""
    parts: list[str] = []
    rest = template
    while rest:
        cut = min((i for i in (rest.find("{page}"), rest.find("{pages}")) if i >= 0), default=-1)
        if cut < 0:
            parts.append(typst_string(rest))
            break
        if cut:
            parts.append(typst_string(rest[:cut]))
        if rest.startswith("{pages}", cut):
            parts.append("str(PAGES)")
            rest = rest[cut + 7 :]
        else:
            parts.append("str(here().page() + PAGE0)")
            rest = rest[cut + 6 :]
    text = " + ".join(parts) if parts else '""'
    if "{pages}" in template:  # an early chunk does not know the count yet: stamped later
        return f'context if PAGES == none {{ "" }} else {{ {text} }}'
    return "context " + text


class ValueWriter:
    """Turns instance values into Typst code, remembering forward and page references for the preamble."""

    def __init__(self, image_dir: Path | None) -> None:
        #: forward values by key: texts (table F) and charts (table C)
        self.deferred: dict[int, DeferredText | ChartRef] = {}
        self._charts: dict[int, str] = {}
        #: keys of the unresolved forward values read since the caller last reset it
        self.used: set[int] = set()
        self._deferred_keys: dict[int, int] = {}
        self.page_refs: list[PageRef] = []
        self._page_ref_ids: dict[int, int] = {}
        self._image_dir = image_dir
        self._images: dict[bytes, str] = {}

    def code(self, value: Any) -> str:
        """The Typst expression for one element's value."""
        if isinstance(value, str):
            return typst_string(value)
        if value is None:
            return "true"  # a printed element without text (line, box, placeholder)
        if isinstance(value, DeferredText):
            if value.resolved:
                return typst_string(value.text or "")
            return f'F.at("{self._key(value)}", default: "")'
        if isinstance(value, ChartRef):
            # drawn once into the table C (a chart printed on every row is stored once)
            return f'C.at("{self._key(value)}", default: none)'
        if isinstance(value, PageNumberText):
            return page_number_code(value.template)
        if isinstance(value, PageRef):
            ref = self._page_ref_ids.get(id(value))
            if ref is None:
                ref = self._page_ref_ids[id(value)] = len(self.page_refs)
                self.page_refs.append(value)
            return f'context PV("{ref}")'
        if isinstance(value, bytes | bytearray):
            return typst_string(self.image_path(bytes(value)))
        return typst_string(str(value))

    def _key(self, value: DeferredText | ChartRef) -> int:
        key = self._deferred_keys.get(id(value))
        if key is None:  # numbered per document, so the same report gives the same source
            key = self._deferred_keys[id(value)] = len(self._deferred_keys) + 1
            self.deferred[key] = value
        self.used.add(key)
        return key

    def image_code(self, value: Any, where: str) -> str:
        """The Typst value of a picture from a data field: its path, or `none` (null or empty).

        Raises:
            RenderError: the value is not a picture Typst may draw (see `check_picture`);
                the message starts with `where` (the element and the row).
        """
        if value is None or value == b"" or value == "":
            return "none"
        if isinstance(value, memoryview):
            value = value.tobytes()
        if not isinstance(value, bytes | bytearray):
            # a text would be read by Typst as a path inside the compile folder
            raise RenderError(
                f"{where}: the field holds {type(value).__name__} data, not a picture; "
                "an image's field must hold the picture's bytes (a BLOB)"
            )
        try:
            return typst_string(self.image_path(bytes(value)))
        except PictureError as exc:
            raise RenderError(f"{where}: the picture {exc.message}") from exc

    def image_path(self, data: bytes) -> str:
        """Store checked picture bytes in the compile folder (once per content) and return their Typst path.

        Raises:
            PictureError: Typst may not see these bytes (see `check_picture`).
        """
        path = self._images.get(data)
        if path is None:
            if self._image_dir is None:
                raise ValueError("images need a compile folder")
            check_picture(data)  # before Typst: it aborts the process on a decompression bomb
            name = hashlib.sha256(data).hexdigest()[:24]
            (self._image_dir / name).write_bytes(data)
            path = self._images[data] = f"/{name}"
        return path

    def deferred_table(self) -> str:
        """`#let F = (...)`: the texts of forward references, known once the fill has finished."""
        items = ", ".join(
            f'"{key}": {typst_string(d.text or "")}'
            for key, d in sorted(self.deferred.items())
            if isinstance(d, DeferredText)
        )
        return f"#let F = ({items or ':'})\n"

    def chart_table(self) -> str:
        """`#let C = (...)`: the drawn charts whose data is known (each drawn once per document)."""
        if not any(isinstance(ref, ChartRef) for ref in self.deferred.values()):
            return ""  # no chart printed: no table (documents without charts stay as they were)
        from ..charts import drawn_chart  # only a report with charts loads them
        from .charts import scene_code

        for key, ref in self.deferred.items():
            if isinstance(ref, ChartRef) and ref.resolved and key not in self._charts:
                self._charts[key] = drawn_chart(ref, scene_code)
        items = "".join(f'"{key}": {code},\n' for key, code in sorted(self._charts.items()))
        return f"#let C = (\n{items or ':'})\n"
