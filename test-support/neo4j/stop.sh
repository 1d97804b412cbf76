#!/usr/bin/env bash
# Stop the Neo4j started by start.sh and remove its data folder.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="$HERE/data"
[ -f "$STATE/neo4j.pid" ] || exit 0
PID="$(cat "$STATE/neo4j.pid")"
if kill -0 "$PID" 2>/dev/null; then
  kill "$PID" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
  kill -0 "$PID" 2>/dev/null && kill -9 "$PID" 2>/dev/null
fi
if [ -f "$STATE/neo4j.data" ]; then
  DATA="$(cat "$STATE/neo4j.data")"
  case "$DATA" in */policykg-neo4j.*) rm -rf "$DATA" ;; esac
fi
rm -f "$STATE/neo4j.pid" "$STATE/neo4j.data" "$STATE/env"
echo "neo4j/stop.sh: stopped (pid $PID)" >&2
