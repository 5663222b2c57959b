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
pids=(); slow_pid=""
cleanup() { for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; [ -n "$slow_pid" ] && kill "$slow_pid" 2>/dev/null; "$here/tests/pg/cluster.sh" stop "$pgdir"; rm -rf "$work"; }
trap cleanup EXIT
admin=$(WEFT_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements,auto_explain -c pg_stat_statements.track=all ${EXTRA_PG:-}" "$here/tests/pg/cluster.sh" start "$pgdir" auto)
base=${admin%/postgres}
. "$here/tests/bench/fleet-lib.sh"
start_slow_endpoint
psql -X -q "$admin" -c "CREATE DATABASE b" -c "CREATE EXTENSION pg_stat_statements"
url="$base/b"
queue_runs "$url" "$kind" "$runs"
psql -X -q "$admin" -c "SELECT pg_stat_statements_reset()" >/dev/null
serve "$url" "$n"
wait_done "$url" "$runs"
psql -X -At "$url" -c "SELECT round(($runs * 1000.0 / (MAX(ended_at) - MIN(started_at)))::numeric, 1) || ' runs/s' FROM runs"
[ -n "${EXTRA_PG:-}" ] && cp "$pgdir/server.log" fleet-statements.log 2>/dev/null || true
stop_all
steps=$((runs * 10))
psql -X "$admin" -c "SELECT round(calls::numeric / $steps, 2) AS per_step, round(total_exec_time::numeric, 0) AS ms, round((total_exec_time / calls)::numeric, 3) AS ms_each, left(regexp_replace(query, '\s+', ' ', 'g'), 150) AS query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'b') AND query NOT LIKE '%pg_sleep%' AND query NOT LIKE 'DO %' ORDER BY calls DESC LIMIT 45"
psql -X -At "$admin" -c "SELECT 'total per step: ' || round(sum(calls)::numeric / $steps, 1) || ' statements, ' || round(sum(total_exec_time)::numeric / $steps, 3) || ' ms exec' FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'b') AND query NOT LIKE '%pg_sleep%' AND query NOT LIKE 'DO %'"
