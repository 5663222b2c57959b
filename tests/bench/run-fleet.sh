#!/usr/bin/env bash
# `make run-fleet`: a throwaway PostgreSQL cluster and three `weft serve` sharing it, for a
# person to try. Ctrl-C stops the servers and deletes the cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
weft=${WEFT:?path to the weft binary}
work=$(mktemp -d /tmp/weft-fleet.XXXXXX)
# Its own folder: the cluster belongs to the postgres user, who cannot enter $work as root made it.
pgdir=$(mktemp -d /tmp/weft-pg.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$here/tests/pg/cluster.sh" stop "$pgdir"
	echo "stopped; logs were in $work"
}
trap cleanup EXIT INT TERM
url=$("$here/tests/pg/cluster.sh" start "$pgdir" auto)
for i in 1 2 3; do
	"$weft" --store "$url" --db "$work/local.db" serve --no-webhooks --slots 8 \
		>"$work/server$i.events" 2>"$work/server$i.log" &
	pids+=($!)
done
sleep 1
cat <<MSG
Three servers share $url (logs and events in $work).
Try, in another terminal:
  export WEFT_STORE=$url
  $weft import $here/workflows-templates/parallel-fetch-join.weft.json
  $weft command "Parallel fetch and join" run-now
  $weft runs
  kill -9 <one of: ${pids[*]}>   # its tasks are taken over within the 10 s lease
Ctrl-C here stops them all.
MSG
wait
