# %preun: on removal ($1 = 0) stop and disable; an upgrade keeps the service running.
if [ "$1" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
	[ -d /run/systemd/system ] && systemctl stop claude-code-companion.service || true
	systemctl disable claude-code-companion.service >/dev/null 2>&1 || true
fi
exit 0
