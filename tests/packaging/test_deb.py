"""The .deb: its files, Depends, lintian, and an install into a throw-away root where `.ashr` resolves to our MIME type and desktop entry."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from .conftest import frozen_env, need_tool

pytestmark = pytest.mark.slow

APP_ID = "io.github.ashreports.AshReports"
MIME = "application/x-ashr+json"


def _out(*args: str, **kwargs) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    assert proc.returncode == 0, f"{args[0]}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
    return proc.stdout


def test_deb_lists_the_programs_desktop_files_icons_and_copyright(deb):
    listing = _out("dpkg-deb", "-c", str(deb))
    entries = {line.split()[5].lstrip("."): line for line in listing.splitlines()}
    for path in (
        "/opt/ashreports/ashr", "/opt/ashreports/ashr-designer",
        "/opt/ashreports/_internal/resources/examples/chinook.sqlite",
        f"/usr/share/applications/{APP_ID}.desktop", "/usr/share/mime/packages/ashreports.xml",
        f"/usr/share/metainfo/{APP_ID}.metainfo.xml", "/usr/share/doc/ashreports/copyright",
        "/usr/share/doc/ashreports/THIRD_PARTY_NOTICES.md.gz", "/usr/share/man/man1/ashr.1.gz",
        f"/usr/share/icons/hicolor/48x48/apps/{APP_ID}.png",
        f"/usr/share/icons/hicolor/256x256/apps/{APP_ID}.png",
        f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
    ):  # fmt: skip
        assert path in entries, path
    assert "/usr/bin/ashr -> /opt/ashreports/ashr" in listing
    assert "/usr/bin/ashr-designer -> /opt/ashreports/ashr-designer" in listing
    assert entries["/opt/ashreports/ashr"].startswith("-rwxr-xr-x root/root")
    assert entries["/opt/ashreports/_internal/libpython3.11.so.1.0"].startswith(
        "-rw-r--r-- root/root"
    )


def test_deb_depends_on_the_system_libraries_qt_loads(deb):
    depends = _out("dpkg-deb", "-f", str(deb), "Depends")
    names = {d.strip().split()[0] for d in depends.split(",")}
    # GL/EGL (never bundled: they must match the system's driver), wayland and the X11
    # connection library, computed by dpkg-shlibdeps; the fonts configuration by hand
    required = {"libc6", "libgl1", "libegl1", "libwayland-client0", "libxcb1", "fontconfig-config"}
    assert required <= names
    assert any(d.strip().startswith("libc6 (>= 2.") for d in depends.split(","))
    # libraries the bundle carries itself are not dependencies
    assert not names & {"libx11-6", "libglib2.0-0", "libfontconfig1", "libstdc++6", "libsqlite3-0"}


def test_lintian_finds_no_errors(deb):
    lintian = need_tool("lintian")
    proc = subprocess.run(
        [lintian, "--fail-on", "error", "--no-tag-display-limit", str(deb)],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert not [line for line in proc.stdout.splitlines() if line.startswith("E:")]


def test_copyright_is_machine_readable_and_carries_the_licences(deb, tmp_path):
    _out("dpkg-deb", "-x", str(deb), str(tmp_path))
    text = (tmp_path / "usr/share/doc/ashreports/copyright").read_text()
    assert text.startswith(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    )
    for needle in ("License: AGPL-3.0+", "GNU AFFERO GENERAL PUBLIC LICENSE", "License: LGPL-3",
                   "License: OFL-1.1", "SIL OPEN FONT LICENSE", "Luis Rocha", "License: Apache-2.0"):  # fmt: skip
        assert needle in text, needle
    libraries = (tmp_path / "usr/share/doc/ashreports/bundled-libraries.txt").read_text()
    assert "libQt6" not in libraries  # Qt sits in PySide6/, not among the copied system libraries
    assert "libpython3.11.so.1.0:" in libraries


def _install_root(deb: Path, root: Path) -> Path:
    """`dpkg --root` into an empty root with its own dpkg database (dependencies not installed there)."""
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (root / folder).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    _out(
        "dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless",
        "--log=/dev/null", "--install", str(deb),
    )  # fmt: skip
    assert "ashreports" in _out("dpkg", f"--root={root}", "--list", "ashreports")
    return root


@pytest.fixture(scope="module")
def installed(deb, tmp_path_factory) -> Path:
    return _install_root(deb, tmp_path_factory.mktemp("root"))


def test_installed_ashr_runs_through_a_link_like_usr_bin(installed, tmp_path):
    assert os.readlink(installed / "usr/bin/ashr") == "/opt/ashreports/ashr"
    # the same link, pointing into the throw-away root: the program finds _internal/ through it
    link = tmp_path / "bin" / "ashr"
    link.parent.mkdir()
    link.symlink_to(installed / "opt/ashreports/ashr")
    example = installed / "opt/ashreports/_internal/resources/examples/invoices_by_country.ashr"
    proc = subprocess.run(
        [str(link), "validate", str(example)],
        env=frozen_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout


def test_ashr_files_resolve_to_our_mime_type_in_the_installed_root(installed, tmp_path):
    mime_dir = installed / "usr/share/mime"
    _out(need_tool("update-mime-database"), str(mime_dir))
    assert f"80:{MIME}:*.ashr" in (mime_dir / "globs2").read_text().splitlines()
    report = tmp_path / "sales.ashr"
    report.write_text("{}")
    # Qt's own shared-mime-info reader, over the installed root's database only
    code = (
        "import sys; from PySide6.QtCore import QMimeDatabase; "
        "print(QMimeDatabase().mimeTypeForFile(sys.argv[1]).name())"
    )
    env = {
        **os.environ,
        "XDG_DATA_DIRS": str(installed / "usr/share"),
        "XDG_DATA_HOME": str(tmp_path),
    }
    assert _out(sys.executable, "-c", code, str(report), env=env).strip() == MIME


def test_the_desktop_entry_opens_ashr_files(installed):
    applications = installed / "usr/share/applications"
    _out(need_tool("desktop-file-validate"), str(applications / f"{APP_ID}.desktop"))
    _out(need_tool("update-desktop-database"), str(applications))
    cache = (applications / "mimeinfo.cache").read_text()
    assert f"{MIME}={APP_ID}.desktop;" in cache.splitlines()


def test_metainfo_validates(installed):
    metainfo = installed / f"usr/share/metainfo/{APP_ID}.metainfo.xml"
    _out(need_tool("appstreamcli"), "validate", "--no-net", str(metainfo))


def test_tarball_holds_the_bundle_and_the_licences(tarball):
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
        top = tarball.name.removesuffix(".tar.gz")
        for name in ("ashr", "ashr-designer", "LICENSE", "THIRD_PARTY_NOTICES.md", "README.txt",
                     "_internal/resources/examples/chinook.sqlite"):  # fmt: skip
            assert f"{top}/{name}" in names, name
        assert tar.getmember(f"{top}/ashr").mode & 0o111
