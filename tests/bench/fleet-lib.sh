# What the fleet benchmarks share (sourced by fleet.sh and fleet-statements.sh): the 50 ms
# endpoint, the queued runs, the servers and the wait for the runs to end. Expects $here,
# $weft and $work; sets $port, $slow_pid and ${pids[@]}.

sql() { psql -X -q -At "$1" -c "$2"; }

start_slow_endpoint() { # → $port, $slow_pid: every request is answered after 50 ms
	# Node: a timer per request, no thread, so the harness takes little of the two cores the
	# servers and PostgreSQL share.
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	node -e '
const http = require("http");
http.createServer((req, res) => setTimeout(() => { res.writeHead(200, { "Content-Length": "2" }); res.end("ok"); }, 50))
  .listen(Number(process.argv[1]), "127.0.0.1");
' "$port" &
	slow_pid=$!
}

queue_runs() { # URL KIND RUNS → the 10-step workflow "Bench" imported into URL, RUNS runs of it queued
	local url=$1 kind=$2 runs=$3 file
	file=$(mktemp "$work/bench.XXXXXX.weft.json")
	python3 "$here/tests/bench/fleet-workflow.py" Bench "$kind" "$port" >"$file"
	"$weft" --store "$url" --db "$work/local.db" import "$file" >/dev/null
	for _ in $(seq "$runs"); do
		"$weft" --store "$url" --db "$work/local.db" command Bench run-now --wait 0 >/dev/null 2>&1 || [ $? = 3 ]
	done
}

serve() { # URL N → starts N servers (8 slots each); their pids in ${pids[@]}
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
