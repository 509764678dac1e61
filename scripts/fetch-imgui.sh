#!/usr/bin/env bash
# Fetches Dear ImGui's sources from Debian's *source* package (libimgui-dev ships no imgui.cpp)
# and unpacks them into a cache outside the build tree, so rebuilds and `make clean` stay offline.
# Usage: scripts/fetch-imgui.sh [CACHE_DIR]   -> prints the directory holding imgui.cpp
set -euo pipefail
cache=${1:-${CCC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/claude-code-companion}}
dest="$cache/imgui"
if [ -f "$dest/imgui.cpp" ] && [ -f "$dest/backends/imgui_impl_opengl3.cpp" ]; then
	echo "$dest"; exit 0
fi
mkdir -p "$cache/apt/lists/partial" "$cache/apt/sources"
# Same mirror as the system's own sources, deb-src flavour; apt needs no root for --download-only.
mirror=$(grep -hoE '^URIs:[[:space:]]*\S+' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?https?://\S+' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $NF}')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
cat > "$cache/apt/sources/imgui-src.sources" <<SRC
Types: deb-src
URIs: $mirror
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$cache/apt/sources"
      -o "Dir::State::Lists=$cache/apt/lists" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt-get "${opts[@]}" update >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${opts[@]}" source --download-only imgui >&2)
orig=$(ls "$work"/imgui_*.orig.tar.* | head -1)
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
tar -xf "$orig" -C "$dest.tmp" --strip-components=1
test -f "$dest.tmp/imgui.cpp"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "$dest"
