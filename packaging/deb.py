"""The PyInstaller folder → `ashreports_VERSION_ARCH.deb`: files under /opt, /usr/bin links, desktop integration, Debian copyright, Depends from dpkg-shlibdeps."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGE = "ashreports"
APP_ID = "io.github.ashreports.AshReports"
MIME_TYPE = "application/x-ashr+json"
MAINTAINER = "AshReports developers <ashreports@users.noreply.github.com>"
PROGRAMS = ("ashr", "ashr-designer")
#: packages the bundle needs that no ELF file names: the bundled libfontconfig reads the
#: system's /etc/fonts configuration (without it Qt finds no fonts at all); Python's
#: webbrowser module runs sensible-browser
EXTRA_DEPENDS = ("fontconfig-config", "sensible-utils")
#: lintian tags that describe a PyInstaller bundle by design (see docs/packaging.md)
LINTIAN_OVERRIDES = (
    "dir-or-file-in-opt",
    "embedded-library",
    "unstripped-binary-or-object",
    "shared-library-lacks-prerequisites",
    "library-not-linked-against-libc",
    "custom-library-search-path",
    "hardening-no-fortify-functions",
    "hardening-no-bindnow",
    "hardening-no-pie",
    "duplicate-font-file",
    "spelling-error-in-binary",
    "extra-license-file",
)


def _run(args: list[str], **kwargs: object) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} … failed:\n{proc.stderr.strip()}")
    return str(proc.stdout)


def architecture() -> str:
    return _run(["dpkg", "--print-architecture"]).strip()


def elf_files(folder: Path) -> list[Path]:
    """Every ELF executable or shared object under `folder`."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def external_sonames(files: list[Path]) -> set[str]:
    """The shared libraries the ELF files load that the bundle does not carry."""
    bundled = {p.name for p in files} | {
        p.name for f in files for p in f.parent.iterdir() if p.is_symlink()
    }
    needed: set[str] = set()
    for chunk in range(0, len(files), 200):
        out = _run(["objdump", "-p", *map(str, files[chunk : chunk + 200])])
        needed.update(
            line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")
        )
    return needed - bundled


def _owner(soname: str) -> str | None:
    """The installed Debian package holding a library, by its soname."""
    found = subprocess.run(
        ["dpkg-query", "--search", f"*/{soname}"], capture_output=True, text=True, check=False
    ).stdout  # fmt: skip
    for line in found.splitlines():
        package, _, path = line.partition(": ")
        if Path(path).name == soname and not path.startswith("/usr/share"):
            return package.split(",")[0].split(":")[0].strip()
    return None


def shlib_depends(bundle: Path) -> str:
    """The Depends line: dpkg-shlibdeps over every ELF file, kept to the libraries not bundled.

    dpkg-shlibdeps also names the Debian packages of libraries PyInstaller copied into the
    bundle (it matches their sonames); those are dropped, since the bundled copy is loaded.
    """
    files = elf_files(bundle)
    lib_dirs = sorted({str(p.parent) for p in files})
    with tempfile.TemporaryDirectory(prefix="ashr-shlibdeps-") as work:
        debian = Path(work) / "debian"
        debian.mkdir()
        (debian / "control").write_text(
            f"Source: {PACKAGE}\nMaintainer: {MAINTAINER}\n\n"
            f"Package: {PACKAGE}\nArchitecture: any\n"
        )
        out = _run(
            ["dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=0"]
            + [f"-l{d}" for d in lib_dirs]
            + [f"-e{p}" for p in files],
            cwd=work,
        )
    line = next(x for x in out.splitlines() if x.startswith("shlibs:Depends="))
    computed = {
        d.strip().split()[0]: d.strip() for d in line.split("=", 1)[1].split(",") if d.strip()
    }
    wanted: dict[str, str] = {}
    for soname in sorted(external_sonames(files)):
        package = _owner(soname)
        if package is None:
            raise SystemExit(
                f"no installed package provides {soname}: install it to build the .deb"
            )
        wanted[package] = computed.get(package, package)
    return ", ".join([*sorted(wanted.values()), *EXTRA_DEPENDS])


def _doc_files(version: str, date: datetime) -> dict[str, bytes]:
    changelog = (
        f"{PACKAGE} ({version}) unstable; urgency=medium\n\n"
        f"  * Release {version}.\n\n"
        f" -- {MAINTAINER}  {date.strftime('%a, %d %b %Y %H:%M:%S +0000')}\n"
    )
    return {
        "copyright": copyright_text().encode(),
        "changelog.gz": gzip.compress(changelog.encode(), mtime=int(date.timestamp())),
        "THIRD_PARTY_NOTICES.md.gz": gzip.compress(
            (ROOT / "THIRD_PARTY_NOTICES.md").read_bytes(), mtime=int(date.timestamp())
        ),
    }


def _indented(text: str) -> str:
    """A licence text as a DEP-5 field continuation: one space in front, blank lines as " ."."""
    return "\n".join(
        f" {line.rstrip()}" if line.strip() else " ." for line in text.strip().splitlines()
    )


def copyright_text() -> str:
    """/usr/share/doc/ashreports/copyright in the machine-readable Debian format."""
    text = (HERE / "linux" / "copyright.in").read_text()
    fonts = (ROOT / "resources" / "fonts" / "LICENSE-Liberation.txt").read_text()
    text = text.replace("@FONT_LICENSE@", _indented(fonts))
    return text.replace("@AGPL@", _indented((ROOT / "LICENSE").read_text()))


def bundled_libraries(bundle: Path) -> str:
    """`library: Debian package (version)` for every system library PyInstaller copied in."""
    libs = sorted(p.name for p in (bundle / "_internal").glob("lib*.so*") if not p.is_symlink())
    found = subprocess.run(
        ["dpkg-query", "--search", *(f"*/{name}" for name in libs)],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    owners: dict[str, str] = {}
    for line in found.splitlines():
        package, _, path = line.partition(": ")
        owners.setdefault(Path(path).name, package.split(",")[0].strip())
    versions = dict(
        line.split("\t", 1)
        for line in _run(
            ["dpkg-query", "-W", "-f=${Package}:${Architecture}\t${Version}\n"]
        ).splitlines()
    )
    lines = []
    for name in libs:
        package = owners.get(name)
        if package is None:
            lines.append(
                f"{name}: not from a Debian package (the Python runtime or a wheel; see THIRD_PARTY_NOTICES.md)\n"
            )
            continue
        version = versions.get(package) or versions.get(f"{package}:{architecture()}", "?")
        lines.append(f"{name}: Debian package {package} {version}\n")
    return "".join(lines)


def _install(src: Path, dest: Path, mode: int = 0o644) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    dest.chmod(mode)


def stage(bundle: Path, root: Path, icons: Path, version: str, date: datetime) -> None:
    """Lay out the package's files under `root` (everything but DEBIAN/)."""
    opt = root / "opt" / PACKAGE
    shutil.copytree(bundle, opt, symlinks=True)
    for path in opt.rglob("*"):  # dpkg keeps the modes: no group/world write, data not executable
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o644)  # shared objects too: only the two programs are executable
    for program in PROGRAMS:
        (opt / program).chmod(0o755)
        link = root / "usr" / "bin" / program
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(
            f"/opt/{PACKAGE}/{program}"
        )  # Debian policy 10.5: absolute across top-level dirs
    share = root / "usr" / "share"
    linux = HERE / "linux"
    _install(linux / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    _install(linux / "ashreports-mime.xml", share / "mime" / "packages" / f"{PACKAGE}.xml")
    metainfo = (linux / f"{APP_ID}.metainfo.xml").read_text()
    metainfo = metainfo.replace("@VERSION@", version).replace("@DATE@", date.strftime("%Y-%m-%d"))
    target = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(metainfo)
    hicolor = share / "icons" / "hicolor"
    for png in sorted(icons.glob("ashreports-*.png")):
        size = png.stem.split("-")[1]
        _install(png, hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    svg = ROOT / "resources" / "icons" / "ashreports.svg"
    _install(svg, hicolor / "scalable" / "apps" / f"{APP_ID}.svg")
    _install(svg, hicolor / "scalable" / "mimetypes" / f"{MIME_TYPE.replace('/', '-')}.svg")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True, exist_ok=True)
    listed = bundle / "bundled-libraries.txt"  # written by make_package.py with the bundle
    (doc / "bundled-libraries.txt").write_text(
        listed.read_text() if listed.is_file() else bundled_libraries(bundle)
    )
    for name, data in _doc_files(version, date).items():
        (doc / name).write_bytes(data)
    for program in PROGRAMS:
        page = (linux / f"{program}.1").read_text().replace("@VERSION@", version)
        man = share / "man" / "man1" / f"{program}.1.gz"
        man.parent.mkdir(parents=True, exist_ok=True)
        man.write_bytes(gzip.compress(page.encode(), mtime=int(date.timestamp())))
    overrides = share / "lintian" / "overrides" / PACKAGE
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text("".join(f"{PACKAGE}: {tag}\n" for tag in LINTIAN_OVERRIDES))


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def _control(root: Path, version: str, arch: str, depends: str) -> str:
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {size_kb // 1024}\n"
        f"Depends: {depends}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Homepage: https://github.com/ashreports/ashreports\n"
        "Description: band-report designer and headless report engine\n"
        " AshReports designs band reports (headers, groups, details, footers) over\n"
        " SQLite, CSV and JSON data and renders them to PDF, PNG and SVG with Typst.\n"
        " .\n"
        " This package holds the designer (ashr-designer) and the command-line\n"
        " renderer (ashr) as one self-contained folder in /opt/ashreports, and\n"
        " opens .ashr report files from the desktop.\n"
    )


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # the format dpkg expects
            lines.append(f"{digest}  {path.relative_to(root)}\n")
    return "".join(lines)


def build_deb(bundle: Path, icons: Path, out_dir: Path, version: str) -> Path:
    """Stage the bundle as a Debian package and write it to `out_dir`; returns the .deb path."""
    arch = architecture()
    date = datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or 0, UTC)
    if date.year < 2000:
        date = datetime.now(UTC).replace(microsecond=0)
    depends = shlib_depends(bundle)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="ashr-deb-") as work:
        root = Path(work) / "root"
        stage(bundle, root, icons, version, date)
        (root / "DEBIAN").mkdir(mode=0o755)
        (root / "DEBIAN" / "control").write_text(_control(root, version, arch, depends))
        (root / "DEBIAN" / "md5sums").write_text(_md5sums(root))
        root.chmod(0o755)
        _run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z0", "--build", str(root), str(target)])
    return target
