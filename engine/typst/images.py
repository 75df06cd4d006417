"""Picture bytes → their format (png, jpeg, gif, svg) once checked, or a PictureError saying why not.

Every picture is checked here before Typst sees it, whatever its source (a file, inline
`data`, a data field, a `data:` picture inside an SVG): Typst decodes a raster picture
into width × height pixels before drawing it, and a 100-byte PNG whose header claims
10⁶ × 10⁶ pixels aborts the whole process inside Typst (not an exception: SIGABRT).
Only the header is read here (Pillow's `Image.open` is lazy), never the pixels.

SVGs: Typst's SVG reader already refuses entities from outside, entity loops, absolute
paths, URLs and paths above the compile folder, and caps the node count; it still loads a
relative link from the compile folder and decodes a `data:` picture unchecked (the
bomb above, wrapped in an SVG, aborts it too). So an SVG here may hold no DOCTYPE
subset, and every link in it is a `#fragment` or a `data:` picture checked like any other.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import urllib.parse
import warnings

from ..access import MB, limit
from ..errors import ReportInputError

#: the most pixels a raster picture may have (a 48-megapixel phone photo passes; decoded
#: as RGBA it takes 200 MB, which Typst holds while it draws)
MAX_PICTURE_PIXELS = 50_000_000

#: how deep `data:` pictures may nest inside SVGs (an SVG in an SVG in an SVG is refused)
MAX_NESTING = 2

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)

#: formats Typst does not take (or we do not let it take), named in the refusal
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip-compressed (an .svgz?)"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\xff\x0a", "JPEG XL"),
)

_PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}
_URL_RE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


class PictureError(ReportInputError):
    """A picture is refused: an unknown format, too many pixels, too many bytes, or an SVG that
    would load something from outside itself. The message says what is wrong, without where."""


def check_picture(data: bytes, *, depth: int = 0) -> str:
    """The format of a picture Typst may draw: `png`, `jpeg`, `gif` or `svg`.

    Raises:
        PictureError: over the byte cap (`limit("image")`) or the pixel cap
            (MAX_PICTURE_PIXELS), not a PNG, JPEG, GIF or SVG, or an SVG that declares
            entities or links to anything but its own fragments and checked `data:` pictures.
    """
    cap = limit("image")
    if len(data) > cap:
        raise PictureError(
            f"is {len(data) / MB:.1f} MB, over the {cap / MB:.0f} MB limit for images; "
            "make it smaller, or raise the limit with --max-input-mb"
        )
    fmt = _sniff(data)
    if fmt == "svg":
        _check_svg(data, depth)
    else:
        _check_pixels(data, fmt)
    return fmt


def _sniff(data: bytes) -> str:
    for signature, fmt in _SIGNATURES:
        if data.startswith(signature):
            return fmt
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in head:
        return "svg"
    if not data:
        raise PictureError("is empty")
    other = next((name for sig, name in _OTHER_SIGNATURES if data.startswith(sig)), None)
    if other is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        other = "WebP"
    kind = f" ({other})" if other else ""
    raise PictureError(f"is not a PNG, JPEG, GIF or SVG picture{kind}; convert it to PNG or JPEG")


def _check_pixels(data: bytes, fmt: str) -> None:
    from PIL import Image  # only a report with a raster picture pays for the import

    try:
        with warnings.catch_warnings():
            # our own cap, below Pillow's, decides; Pillow's warning would only be noise
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[fmt]]) as picture:
                width, height = picture.size
    except Image.DecompressionBombError as exc:
        # Pillow refuses headers past twice its own cap before telling the size
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        raise PictureError(
            f"claims {pixels} in its header, over the limit of {MAX_PICTURE_PIXELS:,}; "
            "scale the picture down"
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's ways of saying "not readable"
        raise PictureError(f"is not a readable {fmt.upper()} picture ({exc})") from exc
    if width * height > MAX_PICTURE_PIXELS:
        raise PictureError(
            f"is {width} × {height} pixels, over the limit of {MAX_PICTURE_PIXELS:,} pixels; "
            "scale the picture down"
        )


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _check_svg(data: bytes, depth: int) -> None:
    import xml.etree.ElementTree as ElementTree  # only a report with an SVG pays for it

    # entities are how an SVG reads a file or grows a billion laughs; an SVG needs none,
    # and without them this parser sees exactly what Typst's parser sees
    if re.search(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", data):
        raise PictureError(
            "is an SVG that declares entities in its DOCTYPE; remove the DOCTYPE (an SVG needs none)"
        )
    if re.search(rb"<\?xml-stylesheet", data):
        raise PictureError("is an SVG that links a style sheet; put the styles inside the SVG")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise PictureError(f"is not a well-formed SVG ({exc})") from exc
    if _local(root.tag) != "svg":
        raise PictureError(f"is XML but not an SVG (its root is <{_local(root.tag)}>)")
    for node in root.iter():
        tag = _local(node.tag) if isinstance(node.tag, str) else ""
        for name, value in node.attrib.items():
            if _local(name) == "href" and tag != "a":  # a link a reader clicks is never loaded
                _check_href(value, depth)
            if "url(" in value.lower():
                _check_urls(value)
        if tag == "style" and node.text:
            if "@import" in node.text.lower():
                raise PictureError("is an SVG whose style imports another file; inline it")
            _check_urls(node.text)


def _check_href(value: str, depth: int) -> None:
    link = value.strip()
    if link.startswith("#"):
        return
    if link[:5].lower() == "data:":
        _check_data_uri(link, depth)
        return
    raise PictureError(
        f"is an SVG that loads '{link[:80]}' from outside itself; a picture inside an SVG "
        "must be embedded as a data: URI"
    )


def _check_urls(text: str) -> None:
    for target in _URL_RE.findall(text):
        if not target.startswith("#"):
            raise PictureError(
                f"is an SVG that refers to 'url({target[:80]})'; only url(#id) references "
                "inside the SVG are allowed"
            )


def _check_data_uri(link: str, depth: int) -> None:
    if depth + 1 > MAX_NESTING:
        raise PictureError("is an SVG with pictures nested too deep inside data: URIs")
    header, comma, payload = link[5:].partition(",")
    if not comma:
        raise PictureError("is an SVG with a malformed data: URI")
    try:
        if header.lower().endswith(";base64"):
            inner = base64.b64decode("".join(payload.split()), validate=True)
        else:
            inner = urllib.parse.unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as exc:
        raise PictureError("is an SVG with a data: URI that is not valid base64") from exc
    try:
        check_picture(inner, depth=depth + 1)
    except PictureError as exc:
        raise PictureError(f"is an SVG holding a picture that {exc.message}") from exc
