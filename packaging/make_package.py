"""`make package`: sources → dist/bundle/ashreports/ (PyInstaller), dist/*.tar.gz (portable) and dist/*.deb (Linux).

Usage: python packaging/make_package.py [bundle|tarball|deb|all] [--reuse]
`--reuse` keeps a bundle that is newer than every source file (benchmarks, tests).
"""

from __future__ import annotations

import argparse
import io
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "bundle" / "ashreports"
ICONS = ROOT / "build" / "icons"
#: what the bundle is built from: a change here makes a reused bundle stale
SOURCES = (
    "engine", "designer", "resources", "packaging/pyinstaller", "packaging/icons.py",
    "THIRD_PARTY_NOTICES.md", "LICENSE",
)  # fmt: skip


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def _log(message: str) -> None:
    sys.stderr.write(f"make_package: {message}\n")
    sys.stderr.flush()


def bundle_is_fresh(bundle: Path = BUNDLE) -> bool:
    """True if the bundle exists and is newer than every source file it is built from."""
    stamp = bundle / "ashr"
    if not stamp.exists():
        return False
    built = stamp.stat().st_mtime
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        if any(f.stat().st_mtime > built for f in files if "__pycache__" not in f.parts):
            return False
    return True


def build_bundle(reuse: bool = False) -> Path:
    """Render the icons and run PyInstaller on packaging/pyinstaller/ashreports.spec."""
    if reuse and bundle_is_fresh():
        _log(f"reusing {BUNDLE.relative_to(ROOT)} (newer than its sources)")
        return BUNDLE
    sys.path.insert(0, str(HERE))
    from icons import render_icons

    render_icons(ICONS)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(DIST / "bundle"), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(HERE / "pyinstaller" / "ashreports.spec")],
        cwd=ROOT, check=True,
    )  # fmt: skip
    if shutil.which("dpkg-query"):
        from deb import bundled_libraries

        (BUNDLE / "bundled-libraries.txt").write_text(bundled_libraries(BUNDLE))
    (BUNDLE / "ashr").touch()  # the freshness stamp
    _log(f"bundle built in {time.perf_counter() - started:.0f} s: {BUNDLE.relative_to(ROOT)}")
    return BUNDLE


def build_tarball(bundle: Path = BUNDLE) -> Path:
    """dist/ashreports-VERSION-linux-ARCH.tar.gz: the bundle with the licence files at its top."""
    name = f"ashreports-{version()}-{platform.system().lower()}-{platform.machine()}"
    target = DIST / f"{name}.tar.gz"
    readme = (
        "AshReports portable build\n\n"
        "Run ./ashr-designer (the designer) or ./ashr (the command line) from this folder.\n"
        "Examples: _internal/resources/examples/. Licence: LICENSE (AGPL-3.0-or-later);\n"
        "third-party components: THIRD_PARTY_NOTICES.md.\n"
    )
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name, filter=_normalised)
        for extra in ("LICENSE", "THIRD_PARTY_NOTICES.md"):
            tar.add(ROOT / extra, arcname=f"{name}/{extra}", filter=_normalised)
        info = _normalised(tarfile.TarInfo(f"{name}/README.txt"))
        info.size = len(readme.encode())
        tar.addfile(info, io.BytesIO(readme.encode()))
    _log(f"wrote {target.relative_to(ROOT)}")
    return target


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    if info.isfile() and not info.mode & 0o111:
        info.mode = 0o644
    return info


def build_deb(bundle: Path = BUNDLE) -> Path:
    sys.path.insert(0, str(HERE))
    from deb import build_deb as build

    target = build(bundle, ICONS, DIST, version())
    _log(f"wrote {target.relative_to(ROOT)}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make_package", description=__doc__.splitlines()[0])
    parser.add_argument(
        "step", nargs="?", default="all", choices=["bundle", "tarball", "deb", "all"]
    )
    parser.add_argument("--reuse", action="store_true", help="keep a bundle newer than its sources")
    args = parser.parse_args(argv)
    bundle = build_bundle(reuse=args.reuse or args.step in ("tarball", "deb"))
    if args.step in ("tarball", "all"):
        build_tarball(bundle)
    if args.step in ("deb", "all"):
        build_deb(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
