# %postun: reload systemd after removal. RPM keeps a modified config.yaml as config.yaml.rpmsave
# and has no purge: the state in /var/lib/claude-code-companion stays until removed by hand.
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
exit 0
