#!/usr/bin/env bash
# What PostgreSQL does per step of a fleet, by statement: N `weft serve` (8 slots) run RUNS
# 10-step runs (KIND wait50: HTTP steps answered after 50 ms, or instant: Set variables) on a
# throwaway cluster with pg_stat_statements and auto_explain loaded; prints runs per second, the
# statements by calls per step with their execution time, and the totals per step.
#   WEFT=target/release/weft [N=4] [RUNS=192] [KIND=wait50] [EXTRA_PG="-c auto_explain.log_min_duration=1 -c auto_explain.log_analyze=on"] tests/bench/fleet-statements.sh
# With EXTRA_PG's auto_explain settings the server log (the plans) is kept as fleet-statements.log
# in the current folder.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
weft=${WEFT:?path to the weft binary}
n=${N:-4}; runs=${RUNS:-192}; kind=${KIND:-wait50}
work=$(mktemp -d /tmp/weft-st.XXXXXX); pgdir=$(mktemp -d /tmp/weft-pg.XXXXXX)
pids=(); slow=""
cleanup() { for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; [ -n "$slow" ] && kill "$slow" 2>/dev/null; "$here/tests/pg/cluster.sh" stop "$pgdir"; rm -rf "$work"; }
trap cleanup EXIT
admin=$(WEFT_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements,auto_explain -c pg_stat_statements.track=all ${EXTRA_PG:-}" "$here/tests/pg/cluster.sh" start "$pgdir" auto)
base=${admin%/postgres}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The 50 ms endpoint, as in fleet.sh.
node -e 'require("http").createServer((q, r) => setTimeout(() => { r.writeHead(200, {"Content-Length": "2"}); r.end("ok"); }, 50)).listen(Number(process.argv[1]), "127.0.0.1");' "$port" & slow=$!
python3 "$here/tests/bench/fleet-workflow.py" Bench "$kind" "$port" > "$work/w.weft.json"
psql -X -q "$admin" -c "CREATE DATABASE b" -c "CREATE EXTENSION pg_stat_statements"
url="$base/b"
"$weft" --store "$url" --db "$work/local.db" import "$work/w.weft.json" >/dev/null
for _ in $(seq "$runs"); do "$weft" --store "$url" --db "$work/local.db" command Bench run-now --wait 0 >/dev/null 2>&1 || true; done
psql -X -q "$admin" -c "SELECT pg_stat_statements_reset()" >/dev/null
for i in $(seq "$n"); do "$weft" --store "$url" --db "$work/local.db" serve --no-webhooks --slots 8 >/dev/null 2>"$work/s$i.log" & pids+=($!); done
# One session polls inside PostgreSQL (a psql per poll would take CPU from the servers).
psql -X -q "$url" -c "DO \$\$ BEGIN FOR i IN 1..3000 LOOP EXIT WHEN (SELECT count(*) FROM runs WHERE status NOT IN ('pending','running')) >= $runs; PERFORM pg_sleep(0.2); END LOOP; END \$\$"
psql -X -At "$url" -c "SELECT round(($runs * 1000.0 / (MAX(ended_at) - MIN(started_at)))::numeric, 1) || ' runs/s' FROM runs"
[ -n "${EXTRA_PG:-}" ] && cp "$pgdir/server.log" fleet-statements.log 2>/dev/null || true
for p in "${pids[@]}"; do kill -TERM "$p"; done; wait "${pids[@]}" 2>/dev/null || true; pids=()
steps=$((runs * 10))
psql -X "$admin" -c "SELECT round(calls::numeric / $steps, 2) AS per_step, round(total_exec_time::numeric, 0) AS ms, round((total_exec_time / calls)::numeric, 3) AS ms_each, left(regexp_replace(query, '\s+', ' ', 'g'), 150) AS query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'b') AND query NOT LIKE '%pg_sleep%' AND query NOT LIKE 'DO %' ORDER BY calls DESC LIMIT 45"
psql -X -At "$admin" -c "SELECT 'total per step: ' || round(sum(calls)::numeric / $steps, 1) || ' statements, ' || round(sum(total_exec_time)::numeric / $steps, 3) || ' ms exec' FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'b') AND query NOT LIKE '%pg_sleep%' AND query NOT LIKE 'DO %'"
