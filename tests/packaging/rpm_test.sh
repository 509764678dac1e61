#!/usr/bin/env bash
# The .rpm as CPack builds it (rpmbuild from Debian's rpm package): version split into
# Version/Release, config.yaml marked %config(noreplace), automatic library requirements, the
# systemd unit and the scriptlets that create the user. (Installing it needs an RPM-based system.)
#   usage: rpm_test.sh BUILD_DIR BINARY
set -euo pipefail
BUILD=$1 BIN=$2
T=$(mktemp -d /tmp/ccc-rpm-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cpack -G RPM --config "$BUILD/CPackConfig.cmake" -B "$T/out" > "$T/cpack.log" 2>&1 || { cat "$T/cpack.log" >&2; fail "cpack -G RPM"; }
RPM=$(ls "$T"/out/*.rpm)
VERSION=$("$BIN" --version | awk '{print $NF}')
want_version=${VERSION%%-*}
want_release=${VERSION#*-}; want_release=${want_release//-/.}
got=$(rpm -qp --queryformat '%{NAME} %{VERSION} %{RELEASE}' "$RPM")
[ "$got" = "claude-code-companion $want_version $want_release" ] || fail "rpm says '$got', binary $VERSION"
rpm -qp --configfiles "$RPM" | grep -qx /etc/claude-code-companion/config.yaml || fail "config.yaml is not %config"
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$RPM" | grep -q "^cn /etc/claude-code-companion/config.yaml" \
	|| fail "config.yaml is not %config(noreplace): $(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$RPM" | grep etc)"
rpm -qpR "$RPM" | grep -q "libPocoNet" || fail "no automatic requirement on POCO: $(rpm -qpR "$RPM" | tr '\n' ' ')"
rpm -qpl "$RPM" > "$T/files"
for f in /usr/bin/claude-code-companion /usr/lib/systemd/system/claude-code-companion.service; do
	grep -qx "$f" "$T/files" || fail "the rpm lacks $f"
done
grep -qx /etc "$T/files" && fail "the rpm must not own /etc"
rpm -qp --scripts "$RPM" | grep -q "useradd --system" || fail "no user creation in the scriptlets"
echo "ok: $(basename "$RPM")"
