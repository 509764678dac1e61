#!/usr/bin/env bash
# The .deb end to end, installed with dpkg on this machine (issue #9 allows it where a debootstrap
# root is too slow for CI): build it with CPack, install it, start the packaged binary as the
# packaged user with the packaged config and ask /healthz, upgrade to a newer version with a
# hand-edited config (kept), remove (config kept), purge (config gone). Runs as root; a lock
# serialises concurrent runs (two build trees on one machine), and whatever happens the package is
# purged at the end.   usage: deb_test.sh BUILD_DIR BINARY
set -euo pipefail
BUILD=$1 BIN=$2
NAME=claude-code-companion
[ "$(id -u)" -eq 0 ] || { echo "FAIL: the package test installs with dpkg and needs root" >&2; exit 1; }
exec 9> /tmp/ccc-package-test.lock
flock -w 170 9 || { echo "FAIL: another package test holds /tmp/ccc-package-test.lock" >&2; exit 1; }
T=$(mktemp -d /tmp/ccc-deb-XXXXXX)
SVC_PID=
cleanup() {
	[ -n "$SVC_PID" ] && kill -KILL "$SVC_PID" 2>/dev/null || true
	if dpkg-query -W -f='${Status}' $NAME 2>/dev/null | grep -qv "not-installed"; then
		dpkg --purge $NAME > /dev/null 2>&1 || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }
# dpkg waits for nobody: retry while another dpkg/apt holds its lock.
dpkg_do() {
	local out
	for _ in $(seq 1 30); do
		if out=$(DEBIAN_FRONTEND=noninteractive dpkg "$@" < /dev/null 2>&1); then echo "$out"; return 0; fi
		echo "$out" | grep -q "lock" || { echo "$out" >&2; return 1; }
		sleep 2
	done
	echo "$out" >&2; return 1
}

if dpkg-query -W -f='${Status}' $NAME 2>/dev/null | grep -qv "not-installed"; then
	step "purging a leftover installation"
	dpkg_do --purge $NAME > /dev/null
fi

step "cpack -G DEB"
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/out" > "$T/cpack.log" 2>&1 || { cat "$T/cpack.log" >&2; fail "cpack"; }
DEB=$(ls "$T"/out/*.deb)
VERSION=$("$BIN" --version | awk '{print $NF}')
[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] || fail "package version $(dpkg-deb -f "$DEB" Version), binary $VERSION"
[[ $VERSION =~ ^[0-9]{8}-[0-9a-f]{7,}(-dirty)?$ ]] || fail "version $VERSION is not YYYYMMDD-<hash>"
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
for lib in libpoco libyaml-cpp liblua5.4 libc6; do
	echo "$DEPENDS" | grep -q "$lib" || fail "Depends lacks $lib (dpkg-shlibdeps): $DEPENDS"
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles | grep -qx /etc/$NAME/config.yaml || fail "config.yaml is not a conffile"
dpkg-deb -c "$DEB" > "$T/contents"
for f in ./usr/bin/$NAME ./usr/lib/systemd/system/$NAME.service ./usr/lib/systemd/user/$NAME.service ./etc/$NAME/config.yaml; do
	grep -q " $f\$" "$T/contents" || fail "the package lacks $f"
done
if [ -f "$BUILD/bin/admin/index.html" ]; then
	grep -q " ./usr/share/$NAME/admin/index.html\$" "$T/contents" || fail "the package lacks the admin assets"
fi
echo "ok: $(basename "$DEB"): version, dependencies, conffile, contents"

step "dpkg -i"
dpkg_do -i "$DEB" > /dev/null || fail "dpkg -i"
getent passwd $NAME > /dev/null || fail "postinst did not create the user"
[ "$(stat -c %U /var/lib/$NAME)" = $NAME ] || fail "/var/lib/$NAME is not owned by $NAME"
[ "$(stat -c %U:%a /etc/$NAME/config.yaml)" = "$NAME:640" ] || fail "config.yaml: $(stat -c %U:%a /etc/$NAME/config.yaml)"
[ -L /etc/systemd/system/multi-user.target.wants/$NAME.service ] || fail "postinst did not enable the unit"
[ "$(/usr/bin/$NAME --version)" = "$("$BIN" --version)" ] || fail "installed --version differs"
echo "ok: installed: user, state directory, config ownership, unit enabled"

step "the packaged binary with the packaged config, as the packaged user"
port_free() { ! (exec 3<> /dev/tcp/127.0.0.1/$1) 2> /dev/null; }
PORT=0
for _ in $(seq 1 50); do p=$((20000 + RANDOM % 40000)); if port_free $p; then PORT=$p; break; fi; done
[ $PORT -ne 0 ] || fail "no free port"
# setpriv execs the binary (no parent process in between), so $! is the service itself.
setpriv --reuid=$NAME --regid=$NAME --clear-groups -- /usr/bin/$NAME --config=/etc/$NAME/config.yaml --port=$PORT > "$T/service.log" 2>&1 &
SVC_PID=$!
ok=
for _ in $(seq 1 150); do
	if curl -fsS "http://127.0.0.1:$PORT/healthz" > "$T/healthz" 2> /dev/null; then ok=1; break; fi
	kill -0 $SVC_PID 2> /dev/null || break
	sleep 0.1
done
[ -n "$ok" ] || { cat "$T/service.log" >&2; fail "/healthz did not answer"; }
grep -q "$VERSION" "$T/healthz" || fail "/healthz does not report $VERSION: $(cat "$T/healthz")"
if [ -f "$BUILD/bin/admin/index.html" ]; then
	curl -fsS -o /dev/null "http://127.0.0.1:$PORT/admin/" || fail "the packaged admin assets are not served"
fi
kill -TERM $SVC_PID
wait $SVC_PID || fail "the service exited with $? on SIGTERM"
SVC_PID=
[ -f /var/lib/$NAME/logs/logs.db ] || { cat "$T/service.log" >&2; fail "no request log store in /var/lib/$NAME/logs"; }
echo "ok: /healthz answered on 127.0.0.1:$PORT, log store in /var/lib/$NAME/logs"

step "upgrade keeps a modified config"
echo "# kept across upgrades" >> /etc/$NAME/config.yaml
dpkg-deb -R "$DEB" "$T/v2"
NEW="$VERSION+upgrade1"
sed -i "s/^Version: .*/Version: $NEW/" "$T/v2/DEBIAN/control"
dpkg-deb --root-owner-group -b "$T/v2" "$T/v2.deb" > /dev/null
dpkg_do -i "$T/v2.deb" > "$T/upgrade.log" || fail "upgrade: $(cat "$T/upgrade.log")"
[ "$(dpkg-query -W -f='${Version}' $NAME)" = "$NEW" ] || fail "not upgraded"
grep -q "^# kept across upgrades" /etc/$NAME/config.yaml || fail "the upgrade replaced the edited config"
[ ! -e /etc/$NAME/config.yaml.dpkg-new ] || fail "dpkg treated config.yaml as changed"
echo "ok: upgraded to $NEW, config kept"

step "remove keeps the config, purge removes it"
dpkg_do -r $NAME > /dev/null || fail "dpkg -r"
[ ! -e /usr/bin/$NAME ] || fail "the binary survived removal"
[ ! -e /etc/systemd/system/multi-user.target.wants/$NAME.service ] || fail "the unit is still enabled after removal"
grep -q "^# kept across upgrades" /etc/$NAME/config.yaml || fail "removal deleted the config"
dpkg_do -P $NAME > /dev/null || fail "dpkg -P"
[ ! -e /etc/$NAME ] || fail "purge left /etc/$NAME"
[ ! -e /var/lib/$NAME ] || fail "purge left /var/lib/$NAME"
echo "ok: removed (config kept), purged (config and state gone)"
