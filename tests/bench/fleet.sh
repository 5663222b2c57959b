#!/usr/bin/env bash
# `make bench-fleet`: servers sharing a PostgreSQL store, measured on this machine.
#  1. 1, 2 and 4 `weft serve` (8 slots each), 10-step runs whose steps are HTTP requests to a
#     local server that answers after 50 ms (so that the steps wait, not the two cores), then
#     10-step runs of instant steps (Set variables): runs per second, claim latency (a step's
#     attempt start minus the moment it became ready), p50 and p99.
#  2. kill -9 one of 4 servers under load: runs lost, steps started twice (and on which server
#     first), how long after the kill the killed server's steps started again.
# Figures are read from the store itself (run and attempt times). Prints Markdown tables. The
# "cores busy" column is the CPU time the servers and PostgreSQL's processes used while the runs
# ran, divided by that time, and "machine" the whole machine's (harness included, /proc/stat):
# at 2.0 the two cores are full.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
weft=${WEFT:?path to the weft binary}
work=$(mktemp -d /tmp/weft-bench-fleet.XXXXXX)
# Its own folder: the cluster belongs to the postgres user, who cannot enter $work as root made it.
pgdir=$(mktemp -d /tmp/weft-pg.XXXXXX)
pids=()
slow_pid=""
cleanup() {
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	[ -n "$slow_pid" ] && kill "$slow_pid" 2>/dev/null || true
	"$here/tests/pg/cluster.sh" stop "$pgdir"
	rm -rf "$work"
}
trap cleanup EXIT
admin=$("$here/tests/pg/cluster.sh" start "$pgdir" auto)
base=${admin%/postgres}
. "$here/tests/bench/fleet-lib.sh"
ticks() { # PID… → their CPU time so far, in clock ticks (gone processes count 0)
	local total=0 t
	for p in "$@"; do
		t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) || t=0
		total=$((total + ${t:-0}))
	done
	echo "$total"
}
hz=$(getconf CLK_TCK)

start_slow_endpoint

prepare() { # DB KIND RUNS → the database, with the workflow imported and RUNS runs queued
	sql "$admin" "CREATE DATABASE $1"
	queue_runs "$base/$1" "$2" "$3"
}

echo "| steps | servers × slots | runs | runs/s | × 1 server | claim p50 | claim p99 | cores busy: servers + PostgreSQL | machine |"
echo "|---|---|---|---|---|---|---|---|---|"
for kind in wait50 instant; do
	one=""
	for n in 1 2 4; do
		if [ "$kind" = wait50 ]; then runs=$((48 * n)); else runs=$((150 * n)); fi
		db="b_${kind}_$n"
		prepare "$db" "$kind" "$runs"
		url="$base/$db"
		pg_before=$(ticks $(pgrep -u postgres postgres))
		started=$(date +%s%N)
		read -r _ u1 n1 s1 i1 w1 q1 sq1 _ </proc/stat
		serve "$url" "$n"
		wait_done "$url" "$runs"
		read -r _ u2 n2 s2 i2 w2 q2 sq2 _ </proc/stat
		wall_ms=$((($(date +%s%N) - started) / 1000000))
		weft_ticks=$(ticks "${pids[@]}")
		pg_ticks=$(($(ticks $(pgrep -u postgres postgres)) - pg_before))
		stop_all
		# From the first step's start to the last run's end, by the store's own times.
		read -r rate p50 p99 < <(sql "$url" "
			WITH span AS (SELECT (SELECT MIN(started_at) FROM runs) AS t0, (SELECT MAX(ended_at) FROM runs) AS t1),
			     claims AS (SELECT a.started_at - t.created_at AS ms FROM attempts a JOIN tasks t ON t.id = a.task_id
			                WHERE a.attempt = 1 AND t.activity_id LIKE 's%')
			SELECT round(($runs * 1000.0 / GREATEST(t1 - t0, 1))::numeric, 1),
			       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM claims),
			       (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM claims)
			FROM span" | tr '|' ' ')
		completed=$(sql "$url" "SELECT count(*) FROM runs WHERE status = 'completed'")
		[ "$completed" = "$runs" ] || echo "warning: $completed of $runs runs completed" >&2
		[ -z "$one" ] && one=$rate
		scale=$(python3 -c "print(f'{$rate / $one:.2f}')")
		label=$([ "$kind" = wait50 ] && echo "HTTP, 50 ms" || echo "instant")
		cores=$(python3 -c "w = $wall_ms / 1000 * $hz; print(f'{($weft_ticks + $pg_ticks) / w:.2f} ({$weft_ticks / w:.2f} + {$pg_ticks / w:.2f})')")
		machine=$(python3 -c "b = ($u2 + $n2 + $s2 + $q2 + $sq2) - ($u1 + $n1 + $s1 + $q1 + $sq1); i = ($i2 + $w2) - ($i1 + $w1); print(f'{2 * b / max(b + i, 1):.2f}')")
		echo "| $label | $n × 8 | $runs | $rate | $scale | ${p50%.*} ms | ${p99%.*} ms | $cores | $machine |"
	done
done

# kill -9 one of four servers under load.
db=b_kill
runs=160
prepare "$db" wait50 "$runs"
url="$base/$db"
serve "$url" 4
sleep 3
victim=${pids[1]}
kill -KILL "$victim"
killed_at=$(date +%s%3N)
wait "$victim" 2>/dev/null || true
wait_done "$url" "$runs"
stop_all
echo
echo "| kill -9 of 1 of 4 servers (8 slots, 50 ms steps, $runs runs) | measured |"
echo "|---|---|"
sql "$url" "
	WITH twice AS (SELECT task_id FROM attempts GROUP BY task_id HAVING count(*) > 1),
	     firsts AS (SELECT a.task_id, a.worker FROM attempts a JOIN twice USING (task_id) WHERE a.attempt = (SELECT MIN(attempt) FROM attempts b WHERE b.task_id = a.task_id)),
	     seconds AS (SELECT a.task_id, a.started_at FROM attempts a JOIN twice USING (task_id) WHERE a.attempt = (SELECT MAX(attempt) FROM attempts b WHERE b.task_id = a.task_id))
	SELECT '| runs completed | ' || (SELECT count(*) FROM runs WHERE status = 'completed') || ' of $runs |' UNION ALL
	SELECT '| runs not ended | ' || (SELECT count(*) FROM runs WHERE status IN ('pending','running')) || ' |' UNION ALL
	SELECT '| steps started twice | ' || (SELECT count(*) FROM twice) || ' (first on the killed server: ' || (SELECT count(*) FROM firsts WHERE worker LIKE '%-$victim-%') || ') |' UNION ALL
	SELECT '| restart after the kill, min / max | ' || COALESCE((SELECT MIN(started_at) - $killed_at FROM seconds)::text, '-') || ' / ' || COALESCE((SELECT MAX(started_at) - $killed_at FROM seconds)::text, '-') || ' ms |'"
