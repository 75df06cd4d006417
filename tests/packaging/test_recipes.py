"""The installer recipes checked without building: macOS Info.plist, the Inno Setup script, the Linux desktop files, the CI workflow."""

from __future__ import annotations

import configparser
import plistlib
import re
import subprocess
import xml.etree.ElementTree as ET

from .conftest import PACKAGING, ROOT, need_tool

MIME = "application/x-ashr+json"
APP_ID = "io.github.ashreports.AshReports"
LINUX = PACKAGING / "linux"


def test_macos_plist_declares_and_opens_the_ashr_type():
    with (PACKAGING / "macos" / "Info.plist").open("rb") as f:
        info = plistlib.load(f)
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleExecutable"] == "ashr-designer"  # the spec's windowed program
    (exported,) = info["UTExportedTypeDeclarations"]
    uti = exported["UTTypeIdentifier"]
    tags = exported["UTTypeTagSpecification"]
    assert tags["public.filename-extension"] == ["ashr"]
    assert tags["public.mime-type"] == [MIME]
    assert "public.json" in exported["UTTypeConformsTo"]
    (document,) = info["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == [uti]
    assert document["CFBundleTypeRole"] == "Editor"


def test_inno_setup_script_associates_ashr_and_adds_a_start_menu_entry():
    text = (PACKAGING / "windows" / "ashreports.iss").read_text()
    sections = dict(re.findall(r"^\[(\w+)\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S))
    assert {"Setup", "Files", "Icons", "Registry"} <= set(sections)
    assert "ChangesAssociations=yes" in sections["Setup"]
    prog_id = re.search(r'#define ProgId "([^"]+)"', text).group(1)
    registry = sections["Registry"]
    assert (
        'Subkey: "Software\\Classes\\.ashr"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"'
        in registry
    )
    assert f'ValueData: "{MIME}"' in registry
    command = re.search(r'\\shell\\open\\command".*ValueData: "(.*)"$', registry, re.M).group(1)
    assert (
        command == '""{app}\\{#AppExe}"" ""%1""'
    )  # Inno's doubled quotes: "C:\...\ashr-designer.exe" "%1"
    assert '#define AppExe "ashr-designer.exe"' in text
    assert prog_id == "AshReports.Report"
    assert re.search(
        r'^Name: "\{group\}\\AshReports Designer"; Filename: "\{app\}\\\{#AppExe\}"',
        sections["Icons"],
        re.M,
    )
    # the files it packs are the ones the spec and make_package.py write
    assert 'Source: "..\\..\\dist\\bundle\\ashreports\\*"' in sections["Files"]


def test_dmg_script_is_valid_shell():
    subprocess.run(["sh", "-n", str(PACKAGING / "macos" / "make_dmg.sh")], check=True)


def test_mime_xml_desktop_entry_and_metainfo_agree():
    root = ET.parse(LINUX / "ashreports-mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    (mime,) = root.findall("m:mime-type", ns)
    assert mime.get("type") == MIME
    assert [g.get("pattern") for g in mime.findall("m:glob", ns)] == ["*.ashr"]
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(LINUX / f"{APP_ID}.desktop")
    entry = desktop["Desktop Entry"]
    assert entry["MimeType"] == f"{MIME};"
    assert entry["Exec"] == "ashr-designer %f"
    assert entry["Icon"] == APP_ID
    meta = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == f"{APP_ID}.desktop"
    assert meta.findtext("provides/mediatype") == MIME
    assert meta.findtext("project_license") == "AGPL-3.0-or-later"


def test_desktop_entry_validates():
    proc = subprocess.run(
        [need_tool("desktop-file-validate"), str(LINUX / f"{APP_ID}.desktop")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout


def test_workflow_builds_on_the_three_systems():
    text = (ROOT / ".github" / "workflows" / "package.yml").read_text()
    assert "\t" not in text  # YAML forbids tabs for indentation
    targets = dict(re.findall(r"- os: (\S+)\n\s+target: (\w+)", text))
    assert sorted(targets.values()) == ["linux", "macos", "windows"]
    assert "run: make package package-test" in text
    assert "iscc " in text and "packaging/windows/ashreports.iss" in text
    assert "packaging/macos/make_dmg.sh" in text
