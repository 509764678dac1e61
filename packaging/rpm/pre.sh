# %pre of the claude-code-companion .rpm: the service's own account exists before its files.
getent group claude-code-companion >/dev/null || groupadd --system claude-code-companion
getent passwd claude-code-companion >/dev/null || useradd --system --gid claude-code-companion \
	--home-dir /var/lib/claude-code-companion --no-create-home --shell /sbin/nologin \
	--comment "Claude Code Companion" claude-code-companion
exit 0
