#!/usr/bin/env bash
# Install with test extras, start a real Neo4j for the store/QA suites when Java+Maven are present,
# run the whole test suite, then the installed-wheel smoke test (scripts/smoke_wheel.sh). Under CI=true a Neo4j that does not start is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  eval "$(bash test-support/neo4j/start.sh)"
  trap 'bash test-support/neo4j/stop.sh || true' EXIT
elif [ "${CI:-}" = "true" ]; then
  echo "test.sh: Java and Maven are needed to run Neo4j under CI" >&2; exit 1
fi
.venv/bin/python -m pytest -q "$@"
# the installed package (wheel in a fresh venv, run from an empty folder) must work too
if [ $# -eq 0 ]; then
  bash scripts/smoke_wheel.sh
fi
