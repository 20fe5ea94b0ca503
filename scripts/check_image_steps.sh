#!/usr/bin/env bash
# Do what the Dockerfile does, without Docker: install requirements.lock into a fresh venv and
# the project's wheel on top, validate the knowledge baked into it, start the image's command
# (`chinabio serve`) from an empty working folder, run the image's HEALTHCHECK command against
# it, then stop it with SIGTERM and expect exit 0. Used by `make image-check` and by
# tests/ship/test_image_steps.py.
#
# Differences from the image, on purpose: pip's cache is used (speed), and the process runs as
# the current user (hadolint and tests/ship/test_dockerfile.py check the Dockerfile's USER).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chinabio-image.XXXXXX")"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '==> %s\n' "$*"; }

# Print the image's HEALTHCHECK, ENTRYPOINT or CMD (JSON form), one argument a line.
dockerfile_exec() {
  "$PYTHON" - "$ROOT/Dockerfile" "$1" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read().replace("\\\n", " ")
wanted = sys.argv[2]
for line in text.splitlines():
    words = line.strip().split(None, 1)
    if not words or words[0].upper() != wanted.split()[0]:
        continue
    rest = words[1]
    if wanted == "HEALTHCHECK":
        rest = re.sub(r"^(--\S+\s+)*CMD\s+", "", rest)
    value = json.loads(rest)
print("\n".join(value))
PY
}

step "copy the build context .dockerignore lets in (its ! lines), as docker build sends it"
# A clean copy: no build/ leftovers, caches or local data.
mkdir -p "$WORK/src"
while IFS= read -r rule; do
  entry="${rule#!}"
  entry="${entry%/}"
  cp -R "$ROOT/$entry" "$WORK/src/$entry"
done < <(grep '^!' "$ROOT/.dockerignore")
find "$WORK/src" -name __pycache__ -prune -exec rm -rf {} +
cd "$WORK/src"

# Install the lock into a fresh venv at $1 (what the Dockerfile's first RUN does).
install_lock() {
  "$PYTHON" -m venv "$1"
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
}

# In venv $1, point the `#!` lines of the scripts that name venv $2 at venv $3 instead.
repoint_scripts() {
  local script
  for script in "$1"/bin/*; do
    if [[ -f "$script" && ! -L "$script" ]] && [[ "$(head -c 2 "$script")" == "#!" ]]; then
      sed -i "1s|^#!$2/|#!$3/|" "$script"
    fi
  done
}

if [[ -z "${IMAGE_CHECK_CACHE:-}" ]]; then
  step "install the locked dependencies into a fresh venv (like: pip install --require-hashes --no-deps -r requirements.lock)"
  install_lock "$WORK/venv"
else
  # The test suite's shortcut (tests/ship/test_image_steps.py): the lock's install is kept under
  # IMAGE_CHECK_CACHE, keyed by the lock's bytes and the Python that ran it, and copied into a
  # fresh venv; a new lock or Python installs anew. `pip check` below still checks the copy.
  # Its files are read-only: the copies are hard links where they can be.
  key="$( { cat requirements.lock; "$PYTHON" -c 'import sys; print(sys.version, sys.executable)'; } | sha256sum | cut -c1-16)"
  cached="$IMAGE_CHECK_CACHE/venv-$key"
  if [[ ! -x "$cached/bin/python" ]]; then
    step "install the locked dependencies into a fresh venv, kept for the next run as $cached"
    mkdir -p "$IMAGE_CHECK_CACHE"
    building="$(mktemp -d "$IMAGE_CHECK_CACHE/building.XXXXXX")"
    install_lock "$building/venv"
    # The venv's scripts name their folder: written for the cache's place, then moved there.
    repoint_scripts "$building/venv" "$building/venv" "$cached"
    find "$building/venv/lib" -type f -exec chmod a-w {} +  # copies share them: keep them as they are
    mv -T "$building/venv" "$cached" 2>/dev/null || true  # another run may have been first
    rm -rf "$building"
  fi
  step "copy the locked dependencies' install from $cached into a fresh venv"
  # Hard links when the cache and TMPDIR share a file system (half a second, not ten).
  cp -al "$cached" "$WORK/venv" 2>/dev/null || { rm -rf "$WORK/venv"; cp -a "$cached" "$WORK/venv"; }
  repoint_scripts "$WORK/venv" "$cached" "$WORK/venv"
fi

step "build the wheel and install it on top (like: pip wheel --no-deps ., pip install --no-deps, pip check)"
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir "$WORK/wheels" .
ls "$WORK"/wheels/*.whl
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$WORK"/wheels/*.whl
"$WORK/venv/bin/python" -m pip check --disable-pip-version-check

# The image's environment: only the venv on PATH, an empty working folder, nothing from here.
mkdir -p "$WORK/app/data"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
IMAGE_ENV=(
  env -i
  "PATH=$WORK/venv/bin:/usr/local/bin:/usr/bin:/bin"
  "HOME=$WORK/app"
  "PYTHONDONTWRITEBYTECODE=1"
  "PYTHONUNBUFFERED=1"
  "DATA_DIR=$WORK/app/data"
  "PORT=$PORT"
  "HOST=127.0.0.1"
)
cd "$WORK/app"

step "validate the knowledge baked into the package (like: chinabio validate)"
"${IMAGE_ENV[@]}" chinabio validate

# A knowledge folder mounted over the baked-in one, as operators do with KNOWLEDGE_DIR.
if [[ -n "${KNOWLEDGE_DIR:-}" ]]; then
  IMAGE_ENV+=("KNOWLEDGE_DIR=$KNOWLEDGE_DIR")
fi

mapfile -t ENTRY < <(dockerfile_exec ENTRYPOINT; dockerfile_exec CMD)
step "start the image's command: ${ENTRY[*]} (port $PORT)"
"${IMAGE_ENV[@]}" "${ENTRY[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

step "run the image's HEALTHCHECK until it passes"
mapfile -t HEALTHCHECK < <(dockerfile_exec HEALTHCHECK)
healthy=""
for _ in $(seq 1 100); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/server.log"
    echo "FAIL: the server exited before it was healthy" >&2
    exit 1
  fi
  if "${IMAGE_ENV[@]}" "${HEALTHCHECK[@]}" 2>/dev/null; then
    healthy=yes
    break
  fi
  sleep 0.2
done
if [[ -z "$healthy" ]]; then
  cat "$WORK/server.log"
  echo "FAIL: HEALTHCHECK never passed" >&2
  exit 1
fi
echo "healthy"
"${IMAGE_ENV[@]}" python -c "import os, urllib.request; print(urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ['PORT'], timeout=5).read().decode())"

step "stop it as Docker does (SIGTERM) and expect exit 0"
kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
cat "$WORK/server.log"
if [[ "$status" -ne 0 ]]; then
  echo "FAIL: chinabio serve exited $status after SIGTERM" >&2
  exit 1
fi
echo "OK: the image's steps work"
