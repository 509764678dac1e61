# %post: state directory, config handed to the service, unit enabled (started on a first install
# when systemd runs; $1 is 1 on install, 2 and more on upgrade).
mkdir -p /var/lib/claude-code-companion
chown claude-code-companion:claude-code-companion /var/lib/claude-code-companion /etc/claude-code-companion /etc/claude-code-companion/config.yaml
chmod 0750 /var/lib/claude-code-companion /etc/claude-code-companion
chmod 0640 /etc/claude-code-companion/config.yaml
if command -v systemctl >/dev/null 2>&1; then
	systemctl enable claude-code-companion.service >/dev/null 2>&1 || true
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload || true
		if [ "$1" -eq 1 ]; then systemctl start claude-code-companion.service || true
		else systemctl try-restart claude-code-companion.service || true; fi
	fi
fi
exit 0
