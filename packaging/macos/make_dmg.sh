#!/bin/sh
# dist/bundle/AshReports.app (built by PyInstaller on macOS) → dist/AshReports-VERSION-macos.dmg
# with the app and a link to /Applications. Runs on macOS only (hdiutil); CI: .github/workflows/package.yml.
set -eu
cd "$(dirname "$0")/../.."
VERSION="${1:?usage: make_dmg.sh VERSION}"
APP="dist/bundle/AshReports.app"
[ -d "$APP" ] || { echo "make_dmg.sh: $APP is missing; build the bundle first" >&2; exit 1; }
STAGE="build/dmg"
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
cp LICENSE THIRD_PARTY_NOTICES.md "$STAGE/"
# the .ashr document type is registered by Launch Services when the app is copied
hdiutil create -volname "AshReports $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO \
  -ov "dist/AshReports-$VERSION-macos.dmg"
echo "wrote dist/AshReports-$VERSION-macos.dmg"
