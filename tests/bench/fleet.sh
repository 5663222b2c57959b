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
sql() { psql -X -q -At "$1" -c "$2"; }
ticks() { # PID… → their CPU time so far, in clock ticks (gone processes count 0)
	local total=0 t
	for p in "$@"; do
		t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) || t=0
		total=$((total + ${t:-0}))
	done
	echo "$total"
}
hz=$(getconf CLK_TCK)

# The slow endpoint: every request is answered after 50 ms (Node: a timer per request, no thread,
# so the harness takes little of the two cores the servers and PostgreSQL share).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node -e '
const http = require("http");
http.createServer((req, res) => setTimeout(() => { res.writeHead(200, { "Content-Length": "2" }); res.end("ok"); }, 50))
  .listen(Number(process.argv[1]), "127.0.0.1");
' "$port" &
slow_pid=$!

workflow() { # NAME KIND → a 10-step workflow file
	python3 "$here/tests/bench/fleet-workflow.py" "$1" "$2" "$port"
}

prepare() { # DB KIND RUNS → the database, with the workflow imported and RUNS runs queued
	local db=$1 kind=$2 runs=$3
	sql "$admin" "CREATE DATABASE $db"
	local url="$base/$db"
	workflow Bench "$kind" >"$work/$db.weft.json"
	"$weft" --store "$url" --db "$work/local.db" import "$work/$db.weft.json" >/dev/null
	for _ in $(seq "$runs"); do
		"$weft" --store "$url" --db "$work/local.db" command Bench run-now --wait 0 >/dev/null 2>&1 || [ $? = 3 ]
	done
}

serve() { # URL N → starts N servers; their pids in ${pids[@]}
	pids=()
	for i in $(seq "$2"); do
		"$weft" --store "$1" --db "$work/local.db" serve --no-webhooks --slots 8 >/dev/null 2>"$work/serve$i.log" &
		pids+=($!)
	done
}

wait_done() { # URL RUNS → waits until RUNS runs have ended (10 minutes at most)
	# One session polls inside PostgreSQL: a psql per poll (a process and a backend each time)
	# took 0.2 of the machine's two cores from the servers being measured.
	sql "$1" "DO \$\$ BEGIN
		FOR i IN 1..3000 LOOP
			EXIT WHEN (SELECT count(*) FROM runs WHERE status NOT IN ('pending','running')) >= $2;
			PERFORM pg_sleep(0.2);
		END LOOP;
	END \$\$"
	[ "$(sql "$1" "SELECT count(*) FROM runs WHERE status NOT IN ('pending','running')")" -ge "$2" ] && return 0
	echo "runs did not end" >&2
	return 1
}

stop_all() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait "${pids[@]}" 2>/dev/null || true
	pids=()
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
