#!/usr/bin/env bash
# Creates the project-local Python venv with the pinned MLflow that tests, quickstart and bench run.
# Idempotent: a venv that already holds the pinned version is left alone in well under a second.
set -euo pipefail

MLFLOW_VERSION="${MLFLOW_GATE_MLFLOW_VERSION:-3.18.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MLFLOW_GATE_VENV:-$ROOT/.mlflow-venv}"
STAMP="$VENV/.mlflow-gate-installed"
# psycopg2-binary lets the same venv serve an MLflow backed by PostgreSQL. Flask-WTF (and its
# WTForms) is MLflow's `auth` extra: `mlflow server --app-name basic-auth` does not start without it.
EXTRA_PACKAGES=("psycopg2-binary==2.9.11" "Flask-WTF==1.3.0" "WTForms==3.3.2")
# Records which EXTRA_PACKAGES a venv holds, apart from $STAMP, so that adding one installs just
# that into an existing venv (and older checkouts sharing the venv, which only read $STAMP, agree).
EXTRAS_STAMP="$VENV/.mlflow-gate-extras"

fail() { printf 'mlflow-venv: %s\n' "$*" >&2; exit 1; }
# The grep drops pip's warnings about optional local wheel folders that hold nothing for us.
pipi() {
  "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "$@" 2>&1 \
    | grep -v -e 'is ignored: it is neither a file nor a directory' \
        -e "pip's dependency resolver does not currently" -e 'requires mlflow-tracing==' \
        -e 'the source of the following dependency conflicts'
  return "${PIPESTATUS[0]}"
}

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "mlflow==$MLFLOW_VERSION" && -x "$VENV/bin/mlflow" ]]; then
  [[ -f "$EXTRAS_STAMP" && "$(cat "$EXTRAS_STAMP")" == "${EXTRA_PACKAGES[*]}" ]] && exit 0
  echo "mlflow-venv: installing ${EXTRA_PACKAGES[*]} into $VENV"
  pipi "${EXTRA_PACKAGES[@]}" || fail "pip could not install ${EXTRA_PACKAGES[*]} (see above)."
  echo "${EXTRA_PACKAGES[*]}" > "$EXTRAS_STAMP"
  exit 0
fi

PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$(command -v "$candidate")"; break; fi
  done
fi
[[ -n "$PYTHON" ]] || fail "no Python found. Install Python 3.10 or newer (e.g. 'apt-get install python3 python3-venv') or set PYTHON=/path/to/python3."
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || fail "$PYTHON is $("$PYTHON" --version 2>&1); MLflow $MLFLOW_VERSION needs Python 3.10 or newer."
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
  || fail "$PYTHON has no venv/ensurepip module. On Debian: apt-get install python3-venv."

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "mlflow-venv: creating $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV" || fail "could not create a venv at $VENV"
fi
"$VENV/bin/python" -m pip --version >/dev/null 2>&1 \
  || fail "the venv at $VENV has no working pip. Delete it and run again, or install python3-pip."

echo "mlflow-venv: installing mlflow==$MLFLOW_VERSION into $VENV (first run takes a few minutes)"
# mlflow==3.18.0 requires mlflow-tracing==3.18.0, which the package index reachable here does not
# serve (it stops at 3.17.2). mlflow-tracing ships a subset of mlflow-skinny's files and
# requirements, so we install skinny, then mlflow itself without resolving dependencies, then
# every other requirement mlflow declares. The result is the same set of files a plain
# 'pip install mlflow==3.18.0' would give.
pipi "mlflow-skinny==$MLFLOW_VERSION" "${EXTRA_PACKAGES[@]}" \
  || fail "pip could not install mlflow-skinny==$MLFLOW_VERSION. Check that PyPI is reachable (pip config list, HTTPS_PROXY) and try again."
pipi --no-deps "mlflow==$MLFLOW_VERSION" || fail "pip could not install mlflow==$MLFLOW_VERSION (see above)."
mapfile -t REQS < <("$VENV/bin/python" - <<'PY'
from importlib.metadata import requires
from packaging.requirements import Requirement
for line in requires("mlflow") or []:
    req = Requirement(line)
    if req.name in ("mlflow-skinny", "mlflow-tracing"):
        continue
    if req.marker is None or req.marker.evaluate({"extra": ""}):
        print(str(req).split(";")[0].strip())
PY
)
pipi "${REQS[@]}" || fail "pip could not install MLflow's requirements (see above)."
"$VENV/bin/mlflow" --version >/dev/null || fail "mlflow was installed but does not run; see the error above."
echo "mlflow==$MLFLOW_VERSION" > "$STAMP"
echo "${EXTRA_PACKAGES[*]}" > "$EXTRAS_STAMP"
echo "mlflow-venv: ready ($("$VENV/bin/mlflow" --version))"
