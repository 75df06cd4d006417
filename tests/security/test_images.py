"""Pictures a report names: only files in its own folders, only regular files, no decompression bombs, no SVG that loads anything from outside."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import socket
import sqlite3
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PIL import Image

from tests.security.conftest import engine, files_under

SECRET = "hunter2"


def assert_refused(done: subprocess.CompletedProcess[str], status: int, *parts: str) -> str:
    """Exit `status` (never a signal: no abort), one line on stderr holding every part, no traceback."""
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "panicked" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    for part in parts:
        assert part in line, line
    assert SECRET not in done.stdout + done.stderr
    return line


# -- pictures, made here byte by byte (not by the code under test) ------------------------------


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height RGB pixels; its pixel data is a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    if width * height > 10_000:  # a bomb: the header is what counts, the data is a few bytes
        rows = zlib.compress(b"\x00" * 64)
    else:
        rows = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


RED = png(20, 20)
BOMB = png(1_000_000, 1_000_000)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real 16 × 16 JPEG whose frame header (SOF0) is patched to claim width × height."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 255, 0)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_claiming(width: int, height: int) -> bytes:
    """A real 4 × 4 GIF whose logical screen is patched to width × height."""
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def image_report(write_report: Any, source: dict[str, str], **keys: Any) -> Path:
    """A report whose title band holds a label and then an image (elements[1])."""
    elements = [
        {"type": "label", "x": 0, "y": 0, "width": 100, "height": 14, "text": "Logo"},
        {"type": "image", "x": 0, "y": 20, "width": 40, "height": 40, "source": source},
    ]
    return write_report(bands=[{"type": "title", "height": 80, "elements": elements}], **keys)


def svg(body: str, head: str = "") -> bytes:
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="40" height="40">{body}</svg>'
    ).encode()


def render(
    report: Path, victim: Path, fmt: str = "pdf"
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = victim / f"out.{fmt}"
    return engine("render", report, "-o", out), out


def image_count(pdf: Path) -> int:
    with pymupdf.open(pdf) as doc:
        return sum(len(page.get_images()) for page in doc)


# -- files: the report's folder tree only, regular files only ----------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../outside/logo.png",
        "{victim}/outside/logo.png",
        "~/logo.png",
        "img/../../outside/logo.png",
    ],
)
def test_an_image_outside_the_reports_folder_is_refused(victim, write_report, name):
    (victim / "outside" / "logo.png").write_bytes(RED)
    report = image_report(write_report, {"file": name.format(victim=victim)})
    before = files_under(victim)
    done, out = render(report, victim)
    line = assert_refused(done, 2, "bands[0].elements[1].source.file: ", "--allow-path")
    assert "outside the report's folder" in line or "home folder" in line
    assert not out.exists()
    assert files_under(victim) == before


def test_a_symlink_out_of_the_folder_is_refused(victim, write_report):
    (victim / "outside" / "logo.png").write_bytes(RED)
    (victim / "reports" / "logo.png").symlink_to(victim / "outside" / "logo.png")
    report = image_report(write_report, {"file": "logo.png"})
    done, out = render(report, victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "outside the report's folder")
    assert not out.exists()


def test_dev_zero_is_refused_at_once(victim, write_report):
    report = image_report(write_report, {"file": "/dev/zero"})
    done, out = render(report, victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "/dev/zero")
    assert not out.exists()


def test_a_fifo_in_the_folder_is_refused_without_blocking(victim, write_report):
    os.mkfifo(victim / "reports" / "logo.png")  # nobody ever writes to it: a read would block
    report = image_report(write_report, {"file": "logo.png"})
    done, out = render(report, victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "not a regular file")
    assert not out.exists()


def test_an_image_over_the_size_cap_is_refused_before_it_is_read(victim, write_report):
    big = victim / "reports" / "huge.png"
    with big.open("wb") as file:  # sparse: 65 MB on paper, nothing on disk
        file.truncate(65 * 1024 * 1024)
    report = image_report(write_report, {"file": "huge.png"})
    done, out = render(report, victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "64 MB limit", "--max-input-mb")
    assert not out.exists()


def test_images_in_the_folder_and_below_still_print(victim, write_report):
    (victim / "reports" / "img").mkdir()
    (victim / "reports" / "img" / "logo.png").write_bytes(RED)
    report = image_report(write_report, {"file": "img/logo.png"})
    done, out = render(report, victim)
    assert done.returncode == 0, done.stderr
    assert image_count(out) == 1


def test_the_user_may_allow_the_folder(victim, write_report):
    (victim / "outside" / "logo.png").write_bytes(RED)
    report = image_report(write_report, {"file": "../outside/logo.png"})
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out, "--allow-path", victim / "outside")
    assert done.returncode == 0, done.stderr
    assert image_count(out) == 1


# -- decompression bombs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "claims"),
    [
        ("bomb.png", BOMB, "1,000,000,000,000 pixels"),
        ("bomb.jpg", jpeg_claiming(60000, 60000), "3,600,000,000 pixels"),
        ("bomb.gif", gif_claiming(65535, 65535), "4,294,836,225 pixels"),
        ("big.png", png(8000, 7000), "8000 × 7000 pixels"),  # 56 MP: under Pillow's cap, over ours
    ],
    ids=["png", "jpeg", "gif", "56-megapixels"],
)
def test_a_picture_claiming_too_many_pixels_is_refused(victim, write_report, name, data, claims):
    (victim / "reports" / name).write_bytes(data)
    report = image_report(write_report, {"file": name})
    for fmt in ("pdf", "png"):
        done, out = render(report, victim, fmt)
        assert_refused(
            done,
            2,
            f"bands[0].elements[1].source.file: the picture '{name}' ",
            claims,
            "50,000,000",
        )
        assert not out.exists()


def test_an_inline_bomb_is_refused(victim, write_report):
    report = image_report(write_report, {"data": base64.b64encode(BOMB).decode()})
    done, out = render(report, victim)
    assert_refused(done, 2, "bands[0].elements[1].source.data: the picture ", "pixels")
    assert not out.exists()


def _pictures_db(path: Path, pictures: list[Any], kind: str = "BLOB") -> None:
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE pics (id INTEGER, picture {kind})")
    con.executemany("INSERT INTO pics VALUES (?, ?)", list(enumerate(pictures, start=1)))
    con.commit()
    con.close()


def field_report(write_report: Any) -> Path:
    image = {
        "type": "image",
        "x": 0,
        "y": 0,
        "width": 40,
        "height": 40,
        "source": {"field": "picture"},
    }
    return write_report(
        data_source={"kind": "sql", "url": "sqlite:///pics.sqlite", "table": "pics"},
        sort=[{"expression": "id"}],
        bands=[{"type": "detail", "height": 50, "elements": [image]}],
    )


def test_a_bomb_in_a_data_field_names_the_element_and_row(victim, write_report):
    _pictures_db(victim / "reports" / "pics.sqlite", [RED, BOMB, RED])
    done, out = render(field_report(write_report), victim)
    assert_refused(done, 1, "bands[0].elements[0].source.field (row 2): the picture ", "pixels")
    assert not out.exists()


def test_field_pictures_and_nulls_print(victim, write_report):
    _pictures_db(victim / "reports" / "pics.sqlite", [RED, None, RED])
    done, out = render(field_report(write_report), victim)
    assert done.returncode == 0, done.stderr
    with pymupdf.open(out) as doc:
        shown = [info for page in doc for info in page.get_image_info()]
    assert len(shown) == 2  # the null row prints nothing


def test_text_in_a_picture_field_is_not_read_as_a_path(victim, write_report):
    _pictures_db(victim / "reports" / "pics.sqlite", [None, "/main.typ"], kind="TEXT")
    done, out = render(field_report(write_report), victim)
    assert_refused(done, 1, "bands[0].elements[0].source.field (row 2): ", "not a picture")
    assert not out.exists()


def _bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "BMP")
    return out.getvalue()


def _tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "TIFF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (_bmp(), "(BMP)"),
        (_tiff(), "(TIFF)"),
        (b"RIFF\x1a\x00\x00\x00WEBPVP8 ", "(WebP)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "(PDF)"),
        (b"this is text", "picture;"),
        (gzip.compress(svg("")), "(gzip-compressed"),  # an .svgz
    ],
    ids=["bmp", "tiff", "webp", "pdf", "text", "svgz"],
)
def test_a_format_typst_may_not_draw_is_refused(victim, write_report, data, kind):
    (victim / "reports" / "logo.img").write_bytes(data)
    report = image_report(write_report, {"file": "logo.img"})
    done, out = render(report, victim)
    assert_refused(
        done, 2, "bands[0].elements[1].source.file: ", "not a PNG, JPEG, GIF or SVG", kind
    )
    assert not out.exists()


# -- SVG: nothing from outside, no entities ----------------------------------------------------


@pytest.fixture
def listener() -> Any:
    """A loopback port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return False
    return True


@pytest.mark.parametrize(
    "href",
    [
        "file://{victim}/outside/red.png",
        "{victim}/outside/red.png",
        "../outside/red.png",
        "red.png",  # beside the SVG: Typst would read it from its compile folder
        "http://127.0.0.1:{port}/red.png",
    ],
)
def test_an_svg_linking_a_picture_is_refused(victim, write_report, listener, href):
    (victim / "outside" / "red.png").write_bytes(RED)
    (victim / "reports" / "red.png").write_bytes(RED)
    link = href.format(victim=victim, port=listener.getsockname()[1])
    for attribute in ("href", "xlink:href"):
        body = f'<image {attribute}="{link}" width="40" height="40"/>'
        (victim / "reports" / "logo.svg").write_bytes(svg(body))
        report = image_report(write_report, {"file": "logo.svg"})
        done, out = render(report, victim)
        assert_refused(done, 2, "bands[0].elements[1].source.file: ", "data: URI", link[:40])
        assert not out.exists()
    assert not _connected(listener)


@pytest.mark.parametrize(
    "body",
    [
        '<rect width="40" height="40" style="fill: url(http://127.0.0.1:9/x.svg#p)"/>',
        '<style>@import url("../outside/x.css");</style>',
        '<filter id="f"><feImage href="../outside/red.png"/></filter>',
    ],
)
def test_an_svg_referring_to_other_files_by_style_or_filter_is_refused(victim, write_report, body):
    (victim / "reports" / "logo.svg").write_bytes(svg(body))
    done, out = render(image_report(write_report, {"file": "logo.svg"}), victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: the picture 'logo.svg' is an SVG")
    assert not out.exists()


def test_an_svg_with_an_external_entity_is_refused(victim, write_report):
    (victim / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    head = f'<!DOCTYPE svg [<!ENTITY e SYSTEM "file://{victim}/outside/secret.txt">]>'
    (victim / "reports" / "logo.svg").write_bytes(svg('<text y="20">&e;</text>', head))
    done, out = render(image_report(write_report, {"file": "logo.svg"}), victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "entities", "remove the DOCTYPE")
    assert not out.exists()


def test_billion_laughs_is_refused_at_once(victim, write_report):
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    head = f"<!DOCTYPE svg [{entities}]>"
    (victim / "reports" / "logo.svg").write_bytes(svg('<text y="20">&j;</text>', head))
    done, out = render(image_report(write_report, {"file": "logo.svg"}), victim)
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "entities")
    assert not out.exists()


def test_a_bomb_inside_an_svg_is_refused(victim, write_report):
    inner = base64.b64encode(BOMB).decode()
    body = f'<image href="data:image/png;base64,{inner}" width="40" height="40"/>'
    (victim / "reports" / "logo.svg").write_bytes(svg(body))
    report = image_report(write_report, {"file": "logo.svg"})
    done, out = render(report, victim, "png")
    assert_refused(done, 2, "bands[0].elements[1].source.file: ", "holding a picture", "pixels")
    assert not out.exists()


def test_an_svg_with_its_own_references_and_an_embedded_picture_prints(victim, write_report):
    inner = base64.b64encode(RED).decode()
    body = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#00f"/></linearGradient>'
        '<rect id="r" width="20" height="40"/></defs>'
        '<use xlink:href="#r" style="fill: url(#g)"/>'
        f'<image x="20" href="data:image/png;base64,{inner}" width="20" height="40"/>'
    )
    (victim / "reports" / "logo.svg").write_bytes(
        svg(
            body,
            '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n',
        )
    )
    done, out = render(image_report(write_report, {"file": "logo.svg"}), victim)
    assert done.returncode == 0, done.stderr
    with pymupdf.open(out) as doc:
        pix = doc[0].get_pixmap(dpi=72)
        # the image element sits at (36, 36 + 20): left half blue, right half red
        assert pix.pixel(36 + 10, 56 + 20)[2] > 200
        assert pix.pixel(36 + 30, 56 + 20)[0] > 200


def test_the_pictures_of_one_compile_have_a_pixel_budget(tmp_path, monkeypatch):
    """Typst keeps every distinct picture decoded while it compiles: many pictures at the
    per-picture cap would take gigabytes, so a compile's pictures share one budget."""
    from engine.errors import RenderError
    from engine.model import load_report
    from engine.render import compiler, render_report

    elements = []
    for i, color in enumerate(["red", "green", "blue"]):
        Image.new("RGB", (1200, 1000), color).save(tmp_path / f"p{i}.png")
        elements.append({"type": "image", "x": 60 * i, "y": 0, "width": 50, "height": 40,
                         "source": {"file": f"p{i}.png"}})  # fmt: skip
    path = tmp_path / "pictures.ashr"
    path.write_text(json.dumps({"format": "ashr", "version": 2, "name": "pictures",
        "bands": [{"type": "title", "height": 50, "elements": elements}]}), encoding="utf-8")  # fmt: skip
    report = load_report(path)
    monkeypatch.setattr(compiler, "MAX_COMPILE_PIXELS", 3_500_000)  # three pictures: 3.6 MP
    with pytest.raises(RenderError, match=r"3 different pictures of 4 megapixels in all"):
        render_report(report, base_dir=tmp_path)
    monkeypatch.setattr(compiler, "MAX_COMPILE_PIXELS", 3_600_000)
    assert render_report(report, base_dir=tmp_path).pages[0].startswith(b"%PDF")
