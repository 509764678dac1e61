#!/usr/bin/env bash
# Builds the macOS installer package (macOS only: pkgbuild and productbuild ship with Xcode's
# command line tools; run by .github/workflows/macos.yml, not on the Linux CI).
#   packaging/macos/build-pkg.sh BUILD_DIR OUT_DIR
# Layout installed:
#   /usr/local/bin/claude-code-companion
#   /usr/local/share/claude-code-companion/admin/          (the browser admin)
#   /Library/LaunchDaemons/com.claude-code-companion.plist  (from packaging/launchd/daemon.plist.in)
#   /Library/Application Support/Claude Code Companion/config.yaml  (written by postinstall only
#                                                            when absent: upgrades keep it)
set -euo pipefail
BUILD=${1:?build directory}
OUT=${2:?output directory}
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$("$BUILD/bin/claude-code-companion" --version | awk '{print $NF}')
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT

install -d "$ROOT/usr/local/bin" "$ROOT/usr/local/share/claude-code-companion" "$ROOT/Library/LaunchDaemons" \
	"$ROOT/usr/local/share/claude-code-companion/defaults"
install -m 0755 "$BUILD/bin/claude-code-companion" "$ROOT/usr/local/bin/"
cp -R "$BUILD/bin/admin" "$ROOT/usr/local/share/claude-code-companion/admin"
# The LaunchDaemon: the same template and the same renderer as `service install`.
"$BUILD/bin/claude-code-companion" service print-unit --platform=launchd --system \
	| sed "s|<string>$BUILD/bin/claude-code-companion</string>|<string>/usr/local/bin/claude-code-companion</string>|" \
	> "$ROOT/Library/LaunchDaemons/com.claude-code-companion.plist"
plutil -lint "$ROOT/Library/LaunchDaemons/com.claude-code-companion.plist"
"$BUILD/bin/claude-code-companion" service default-config --state-dir="/Library/Logs/Claude Code Companion" \
	> "$ROOT/usr/local/share/claude-code-companion/defaults/config.yaml"

mkdir -p "$OUT"
pkgbuild --root "$ROOT" --identifier com.claude-code-companion --version "$VERSION" \
	--scripts "$HERE/scripts" --install-location / "$OUT/claude-code-companion-component.pkg"
productbuild --package "$OUT/claude-code-companion-component.pkg" "$OUT/claude-code-companion-$VERSION.pkg"
rm "$OUT/claude-code-companion-component.pkg"
echo "wrote $OUT/claude-code-companion-$VERSION.pkg"
