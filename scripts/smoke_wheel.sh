#!/usr/bin/env bash
# Installed-package smoke test: build the wheel, install it into a fresh venv that cannot see the
# source tree, and from an empty temporary folder load the samples shipped in the package
# (`policykg demo --no-serve`), ask one question and validate the graph. Exits non-zero on any failure.
# Dependencies come from ./.venv (a .pth file adds its site-packages after the fresh venv's own, and
# .pth files inside it, such as the editable install's, are not run), so nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
VENV_PY=${VENV_PY:-$SRC/.venv/bin/python}
start=$(date +%s)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$SRC/build"' EXIT

# 1. build the wheel (no isolation: setuptools comes from .venv)
"$VENV_PY" -c 'import setuptools, sys; sys.exit(int(setuptools.__version__.split(".")[0]) < 70)' 2>/dev/null \
  || "$VENV_PY" -m pip install -q "setuptools>=70"
"$VENV_PY" -m pip wheel -q --no-deps --no-build-isolation -w "$TMP/dist" "$SRC"
WHEEL=$(ls "$TMP"/dist/policy_kg-*.whl)

# 2. fresh venv from the base interpreter; dependencies from .venv's site-packages
BASE_PY=$("$VENV_PY" -c 'import sys; print(sys._base_executable)')
"$BASE_PY" -m venv --without-pip "$TMP/venv"
DEPS=$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
SITE=$("$TMP/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$DEPS" > "$SITE/zz_policykg_deps.pth"
"$VENV_PY" -m pip --python "$TMP/venv/bin/python" install -q --no-deps --no-index "$WHEEL"
mkdir -p "$TMP/empty"
cd "$TMP/empty"
unset PYTHONPATH KG_QA_DIR KG_ONTOLOGY_DIR KG_STORE
PK="$TMP/venv/bin/policykg"  # the console script of the installed wheel

# 3. the package comes from the fresh venv, not from the source tree
"$TMP/venv/bin/python" - "$SITE" "$SRC" <<'PY'
import sys
import kg, kg.resources as r
site, src = sys.argv[1], sys.argv[2]
assert kg.__file__.startswith(site), f"kg imported from {kg.__file__}, not from the installed wheel"
for name in r.DATA_FOLDERS:
    f = str(r.folder(name))
    assert f.startswith(site) and not f.startswith(src), f"{name}/ read from {f}"
from kg.extract.metadata import issuer_abbreviations
assert issuer_abbreviations().get("国办发") == "国务院办公厅", "issuer lexicon not read from the package"
print("smoke: kg imported from the installed wheel;", ", ".join(r.DATA_FOLDERS), "read from the package")
PY

# 4. demo without serving, one question, validation — from an empty folder
STORE="embedded:$TMP/store"
$PK demo --no-serve --store "$STORE" > "$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log"; echo "smoke: policykg demo --no-serve failed" >&2; exit 1; }
$PK ask "谁牵头燃煤锅炉拆改" --json --store "$STORE" > "$TMP/ask.json" 2> "$TMP/ask.err" \
  || { cat "$TMP/ask.err"; echo "smoke: policykg ask failed" >&2; exit 1; }
"$TMP/venv/bin/python" - "$TMP/ask.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r = r[0] if isinstance(r, list) else r
assert r["answers"], f"no answer: {r.get('text')}"
assert any(e.get("quote") for a in r["answers"] for e in a.get("evidence", [])), "answer without evidence"
print(f"smoke: ask → intent {r['intent']}, {len(r['answers'])} answer(s): {r['text'][:60]}")
PY
$PK validate --store "$STORE" > "$TMP/validate.log" 2>&1 || { cat "$TMP/validate.log"; echo "smoke: validate failed" >&2; exit 1; }
grep -q "^SHACL: " "$TMP/validate.log" || { cat "$TMP/validate.log"; echo "smoke: validate printed no report" >&2; exit 1; }
echo "smoke: installed wheel OK in $(( $(date +%s) - start ))s"
echo "smoke: 1 passed, 0 failed"
