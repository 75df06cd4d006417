"""check_picture: picture bytes in, their format or a PictureError out (no Typst involved)."""

from __future__ import annotations

import base64
import io
import urllib.parse

import pytest
from PIL import Image

from engine.access import raise_limits, reset_access
from engine.typst.images import PictureError, check_picture


def _picture(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (255, 0, 0)).save(out, fmt)
    return out.getvalue()


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'


def _svg(body: str) -> bytes:
    return f"{SVG_OPEN}{body}</svg>".encode()


def _data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "png"), ("JPEG", "jpeg"), ("GIF", "gif")])
def test_the_formats_typst_draws_pass(fmt, name):
    assert check_picture(_picture(fmt)) == name


def test_an_svg_with_a_bom_comment_and_an_embedded_picture_passes():
    body = f'<!-- logo --><image href="{_data_uri(_picture("PNG"))}" width="10" height="10"/>'
    assert check_picture(b"\xef\xbb\xbf\n" + _svg(body)) == "svg"


def test_a_percent_encoded_svg_inside_an_svg_is_checked_too():
    inner = _svg('<image href="other.png"/>').decode()
    link = "data:image/svg+xml," + urllib.parse.quote(inner)
    with pytest.raises(
        PictureError, match=r"holding a picture that is an SVG that loads 'other\.png'"
    ):
        check_picture(_svg(f'<image href="{link}"/>'))


def test_svgs_nest_at_most_two_deep():
    def around(inner: bytes) -> bytes:
        return _svg(f'<image href="{_data_uri(inner, "image/svg+xml")}"/>')

    assert check_picture(around(around(_picture("PNG")))) == "svg"  # an SVG in an SVG
    with pytest.raises(PictureError, match="nested too deep"):
        check_picture(around(around(around(_picture("PNG")))))


def test_a_link_a_reader_clicks_is_not_loaded_and_passes():
    assert check_picture(_svg('<a href="https://example.com"><rect width="5" height="5"/></a>'))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"<html><body>no svg</body></html>", "not a PNG, JPEG, GIF or SVG"),
        (b"<svg", "not a well-formed SVG"),
        (b'<?xml-stylesheet href="x.css"?>' + _svg(""), "links a style sheet"),
        (_svg("&nbsp;"), "not a well-formed SVG"),
        (_svg('<image href="data:image/png;base64,@@@"/>'), "not valid base64"),
        (_svg('<image href="data:image/png"/>'), "malformed data: URI"),
        (b"<?xml version='1.0'?><html><svg/></html>", "its root is <html>"),
    ],
    ids=["empty", "html", "truncated", "stylesheet", "entity", "base64", "no-comma", "root"],
)
def test_what_is_refused_says_why(data, message):
    with pytest.raises(PictureError, match=message):
        check_picture(data)


def test_the_byte_cap_follows_the_users_limit():
    picture = _picture("PNG", (1500, 1500)) + b"\x00" * (65 * 1024 * 1024)
    try:
        with pytest.raises(PictureError, match="over the 64 MB limit for images"):
            check_picture(picture)
        raise_limits(100)
        assert check_picture(picture) == "png"
    finally:
        reset_access()


def test_a_picture_at_the_pixel_cap_passes_and_one_row_more_does_not():
    header = Image.new("1", (5000, 10000))  # 50,000,000 pixels, one bit each: small to write
    out = io.BytesIO()
    header.save(out, "PNG")
    assert check_picture(out.getvalue()) == "png"
    out = io.BytesIO()
    Image.new("1", (5000, 10001)).save(out, "PNG")
    with pytest.raises(PictureError, match="5000 × 10001 pixels, over the limit of 50,000,000"):
        check_picture(out.getvalue())
