#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, benchmarks and `make run-fleet`: Debian's server
# binaries, a data folder under DIR, listening on 127.0.0.1:PORT only, stopped and deleted by
# `stop`. initdb refuses to run as root, so as root the cluster belongs to the `postgres` user
# the Debian package creates.
#
#   tests/pg/cluster.sh start DIR PORT   → prints the URL (postgres://postgres@127.0.0.1:PORT/postgres)
#                                          (PORT `auto`: the first free one from 55433)
#   tests/pg/cluster.sh stop DIR
#
# WEFT_PG_OPTIONS adds server settings to `start`, e.g. "-c autovacuum_naptime=1" (the fleet
# benchmark's statistics experiment: a fresh database is analysed by autovacuum only after its
# first naptime, one minute by default).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
	port=${3:?port}
	if [ "$port" = auto ]; then
		port=55433
		while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
	fi
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
			|| { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	# Durable settings (fsync on): the figures measured on it are what a real server would do.
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB ${WEFT_PG_OPTIONS:-}" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgres://postgres@127.0.0.1:$port/postgres"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac
