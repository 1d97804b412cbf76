#!/usr/bin/env bash
# Start a real Neo4j (Community 5.26 LTS, embedded DBMS with Bolt on 127.0.0.1) for the tests and
# print the lines to eval:
#   eval "$(bash test-support/neo4j/start.sh)"   ->  KG_TEST_NEO4J_URI / _USER / _PASSWORD
# Builds the launcher with Maven on first use (reuses ~/.m2; tries offline first). Everything but the
# export lines goes to stderr. Stop it with stop.sh. Env: KG_TEST_NEO4J_HEAP (default 1g),
# KG_TEST_NEO4J_PASSWORD (default policykg-test), KG_TEST_NEO4J_TIMEOUT (seconds, default 120).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="$HERE/data"
JAR="$HERE/target/test-neo4j-1.0.jar"
PASSWORD="${KG_TEST_NEO4J_PASSWORD:-policykg-test}"
HEAP="${KG_TEST_NEO4J_HEAP:-1g}"
TIMEOUT="${KG_TEST_NEO4J_TIMEOUT:-120}"
log() { echo "neo4j/start.sh: $*" >&2; }

command -v java >/dev/null || { log "java not found (Java 17+ needed)"; exit 1; }
mkdir -p "$STATE"

if [ -f "$STATE/neo4j.pid" ] && kill -0 "$(cat "$STATE/neo4j.pid")" 2>/dev/null && [ -f "$STATE/env" ]; then
  log "already running (pid $(cat "$STATE/neo4j.pid"))"
  cat "$STATE/env"
  exit 0
fi

if [ ! -f "$JAR" ] || [ "$HERE/pom.xml" -nt "$JAR" ] || [ "$HERE/src/main/java/policykg/TestNeo4j.java" -nt "$JAR" ] \
   || [ ! -d "$HERE/target/lib" ]; then
  command -v mvn >/dev/null || { log "mvn not found (Maven is needed to fetch Neo4j)"; exit 1; }
  log "building the Neo4j launcher with Maven (first run downloads ~120 MB)"
  if ! mvn -q -B -o -f "$HERE/pom.xml" -DskipTests package >"$STATE/mvn.log" 2>&1; then
    mvn -q -B -f "$HERE/pom.xml" -DskipTests package >"$STATE/mvn.log" 2>&1 \
      || { log "Maven build failed:"; tail -20 "$STATE/mvn.log" >&2; exit 1; }
  fi
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/policykg-neo4j.XXXXXX")"
LOG="$STATE/neo4j.log"
nohup java -Xms256m "-Xmx$HEAP" -cp "$JAR:$HERE/target/lib/*" policykg.TestNeo4j "$DATA" "$PORT" "$PASSWORD" \
  >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$STATE/neo4j.pid"
echo "$DATA" >"$STATE/neo4j.data"

waited=0
until grep -q "^READY " "$LOG" 2>/dev/null; do
  if ! kill -0 "$PID" 2>/dev/null; then
    log "Neo4j exited during start:"; tail -30 "$LOG" >&2; rm -f "$STATE/neo4j.pid"; exit 1
  fi
  if [ "$waited" -ge "$TIMEOUT" ]; then
    log "Neo4j did not start within ${TIMEOUT}s:"; tail -30 "$LOG" >&2
    kill "$PID" 2>/dev/null || true; rm -f "$STATE/neo4j.pid"; exit 1
  fi
  sleep 1; waited=$((waited + 1))
done
log "Neo4j ready on bolt://127.0.0.1:$PORT after ${waited}s (pid $PID, data $DATA)"
cat >"$STATE/env" <<ENV
export KG_TEST_NEO4J_URI=bolt://127.0.0.1:$PORT
export KG_TEST_NEO4J_USER=neo4j
export KG_TEST_NEO4J_PASSWORD=$PASSWORD
ENV
cat "$STATE/env"
