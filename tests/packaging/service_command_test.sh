#!/usr/bin/env bash
# `claude-code-companion service install|status|uninstall` in a staged root (--root) and a
# temporary HOME, with every external command (systemctl, useradd, chown, launchctl) handed to a
# recorder through CCC_SERVICE_RUN: nothing is installed or started on this machine.
#   usage: service_command_test.sh BINARY
set -euo pipefail
BIN=$1
T=$(mktemp -d /tmp/ccc-svc-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/calls" ] && { echo "--- recorded commands:" >&2; cat "$T/calls" >&2; }; exit 1; }
printf '#!/bin/sh\necho "$*" >> %s/calls\n' "$T" > "$T/rec.sh"
chmod +x "$T/rec.sh"
export CCC_SERVICE_RUN="$T/rec.sh"
called() { grep -qxF -- "$1" "$T/calls" || fail "expected the command: $1"; }
R="$T/root"
UNIT="$R/etc/systemd/system/claude-code-companion.service"
CONF="$R/etc/claude-code-companion/config.yaml"

# --- system-wide systemd service ---
"$BIN" service install --platform=systemd --system --root="$R" > "$T/out" 2>&1 || fail "install: $(cat "$T/out")"
[ -f "$UNIT" ] || fail "no unit at $UNIT"
grep -qxF "ExecStart=$BIN --config=/etc/claude-code-companion/config.yaml" "$UNIT" || fail "ExecStart: $(grep ExecStart "$UNIT")"
grep -qxF "User=claude-code-companion" "$UNIT" || fail "User="
[ -f "$CONF" ] || fail "no default config at $CONF"
grep -q "log_directory: .*/var/lib/claude-code-companion/logs" "$CONF" || fail "config log_directory: $(grep log_directory "$CONF")"
[ -d "$R/var/lib/claude-code-companion" ] || fail "no state directory"
called "useradd --system --user-group --home-dir /var/lib/claude-code-companion --no-create-home --shell /usr/sbin/nologin claude-code-companion"
called "chown claude-code-companion:claude-code-companion $CONF $R/etc/claude-code-companion $R/var/lib/claude-code-companion"
called "systemctl daemon-reload"
called "systemctl enable --now claude-code-companion.service"
# The unit is the same text the package ships (one template), apart from the binary's path.
"$BIN" service print-unit --platform=systemd --system | sed "s|$BIN|/usr/bin/claude-code-companion|" > "$T/printed"
[ -n "${CCC_PACKAGED_UNIT:-}" ] && { diff -u "$CCC_PACKAGED_UNIT" "$T/printed" || fail "service install and the package disagree"; }
echo "ok: system install"

echo "# edited by hand" >> "$CONF"
"$BIN" service install --platform=systemd --system --root="$R" > "$T/out" 2>&1 || fail "re-install"
grep -q "^# edited by hand" "$CONF" || fail "a re-install overwrote the config"
"$BIN" service status --platform=systemd --system --root="$R" > "$T/out" 2>&1 || fail "status of an installed service must be 0"
grep -q "^installed: $UNIT" "$T/out" || fail "status says: $(cat "$T/out")"
called "systemctl status --no-pager claude-code-companion.service"
: > "$T/calls"
"$BIN" service uninstall --platform=systemd --system --root="$R" > "$T/out" 2>&1 || fail "uninstall"
[ ! -e "$UNIT" ] || fail "the unit is still there"
[ -f "$CONF" ] || fail "uninstall removed the config"
called "systemctl disable --now claude-code-companion.service"
called "systemctl daemon-reload"
rc=0; "$BIN" service status --platform=systemd --system --root="$R" > "$T/out" 2>&1 || rc=$?
[ $rc -eq 3 ] || fail "status of a missing service: exit $rc, want 3"
echo "ok: status, re-install keeps the config, uninstall"

# --- per-user systemd unit (HOME is temporary, so no --root) ---
: > "$T/calls"
HOME="$T/home" XDG_CONFIG_HOME='' "$BIN" service install --platform=systemd --user > "$T/out" 2>&1 || fail "user install: $(cat "$T/out")"
UU="$T/home/.config/systemd/user/claude-code-companion.service"
[ -f "$UU" ] || fail "no user unit"
grep -qxF "ExecStart=$BIN --config=$T/home/.config/claude-code-companion/config.yaml" "$UU" || fail "user ExecStart"
grep -q "^User=" "$UU" && fail "a user unit must not set User="
grep -q "log_directory: ./logs" "$T/home/.config/claude-code-companion/config.yaml" || fail "user config log_directory"
called "systemctl --user daemon-reload"
called "systemctl --user enable --now claude-code-companion.service"
grep -q "useradd" "$T/calls" && fail "a user install must not create accounts"
echo "ok: user install"

# --- launchd (generated and checked here; launchctl only recorded) ---
: > "$T/calls"
HOME="$T/mac" "$BIN" service install --platform=launchd --user > "$T/out" 2>&1 || fail "launchd install: $(cat "$T/out")"
PL="$T/mac/Library/LaunchAgents/com.claude-code-companion.plist"
[ -f "$PL" ] || fail "no LaunchAgent plist"
grep -qF "<string>--config=$T/mac/Library/Application Support/Claude Code Companion/config.yaml</string>" "$PL" || fail "plist config"
called "launchctl load -w $PL"
HOME="$T/mac" "$BIN" service uninstall --platform=launchd --user > "$T/out" 2>&1 || fail "launchd uninstall"
[ ! -e "$PL" ] || fail "plist still there"
called "launchctl unload -w $PL"
echo "ok: launchd agent"

# --- without a runner and without systemd (this machine): print the commands, run nothing ---
unset CCC_SERVICE_RUN
: > "$T/calls"
if [ ! -d /run/systemd/system ]; then
	"$BIN" service install --platform=systemd --system --root="$T/root2" > "$T/out" 2>&1 || fail "install without systemd: $(cat "$T/out")"
	grep -q "systemd is not running here; when it is, run:" "$T/out" || fail "no advice printed: $(cat "$T/out")"
	grep -q "^  systemctl enable --now claude-code-companion.service" "$T/out" || fail "advice: $(cat "$T/out")"
	[ ! -s "$T/calls" ] || fail "commands were run"
	echo "ok: no systemd: commands printed"
fi
"$BIN" service install --platform=systemd --system --root="$T/root3" --dry-run > "$T/out" 2>&1 || fail "dry run"
[ ! -e "$T/root3" ] || fail "--dry-run wrote files"
grep -q "^would write $T/root3/etc/systemd/system/claude-code-companion.service" "$T/out" || fail "dry run output: $(cat "$T/out")"
rc=0; "$BIN" service frobnicate > "$T/out" 2>&1 || rc=$?
[ $rc -eq 64 ] || fail "unknown action: exit $rc, want 64"
echo "ok: dry run, usage"
