#!/usr/bin/env bash
# A throwaway PostgreSQL server for the log store tests.
#   scripts/pg-test-server.sh start STATE_DIR   initdb a new cluster in a temp dir, start it on a free
#                                              loopback port, create database ccc_test; prints the
#                                              DSN and writes it to STATE_DIR/dsn
#   scripts/pg-test-server.sh stop STATE_DIR    stop that server and delete its cluster
# As root the server runs as the `postgres` user (initdb refuses root), and Debian's postgresql
# package is installed through scripts/deps.sh if missing. Any failure exits non-zero, so the tests
# that need the server fail rather than being skipped.
set -euo pipefail
cmd=${1:-}
state=${2:-}
if [ -z "$cmd" ] || [ -z "$state" ]; then
	echo "usage: $0 start|stop STATE_DIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)

find_bindir() {
	local d
	for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop_server() {
	[ -f "$state/pgdir" ] || return 0
	local pgdir bindir
	pgdir=$(cat "$state/pgdir")
	if bindir=$(find_bindir) && [ -d "$pgdir/data" ]; then
		as_pg "$bindir/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	case "$pgdir" in
		/tmp/ccc-pg.*) rm -rf "$pgdir" ;;
	esac
	rm -f "$state/pgdir" "$state/dsn"
}

case "$cmd" in
stop)
	stop_server
	exit 0
	;;
start) ;;
*)
	echo "usage: $0 start|stop STATE_DIR" >&2
	exit 2
	;;
esac

mkdir -p "$state"
stop_server # a leftover from an interrupted run

if ! bindir=$(find_bindir); then
	if [ "$(id -u)" -eq 0 ]; then
		"$here/deps.sh" pg >&2
	fi
	bindir=$(find_bindir) || {
		echo "PostgreSQL server binaries not found (Debian package postgresql); run scripts/deps.sh pg as root" >&2
		exit 1
	}
fi

pgdir=$(mktemp -d /tmp/ccc-pg.XXXXXX)
echo "$pgdir" >"$state/pgdir"
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
	chown postgres: "$pgdir"
fi
chmod 700 "$pgdir"
mkdir -p "$pgdir/sock"
[ "$(id -u)" -eq 0 ] && chown postgres: "$pgdir/sock"

as_pg "$bindir/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$pgdir/initdb.log" 2>&1 || {
	cat "$pgdir/initdb.log" >&2
	exit 1
}

# A free loopback port: try random ones until nothing answers and the server starts on it.
started=0
for _ in $(seq 1 20); do
	port=$((20000 + RANDOM % 40000))
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		continue
	fi
	if as_pg "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 30 \
		-o "-p $port -k $pgdir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null 2>&1; then
		started=1
		break
	fi
done
if [ "$started" -ne 1 ]; then
	echo "could not start PostgreSQL; server log:" >&2
	cat "$pgdir/server.log" >&2 || true
	exit 1
fi

as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE ccc_test" >&2
dsn="host=127.0.0.1 port=$port dbname=ccc_test user=postgres connect_timeout=5"
echo "$dsn" >"$state/dsn"
echo "$dsn"
