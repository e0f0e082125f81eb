#!/usr/bin/env bash
# Measure mockround against the running local model server
# (scripts/local-model.sh start): wall time per round and per interviewer
# turn, how often the template replaced the model's reply and why, the
# server's prompt and generation speed, and the judge over a batch.
#
#   scripts/measure-local-model.sh rounds [N]   # N scripted rounds (default 20), cycling
#                                              # over tests/fixtures/scripts/<problem>_<label>.txt
#   scripts/measure-local-model.sh grade [N]    # grade N calibration answers (default 20) with the judge
#                                              # (reply ceiling $MOCKROUND_JUDGE_MAX_TOKENS, default 600, as the e2e test)
#
# Results go to $MOCKROUND_MEASURE_DIR (default build/measure/<mode>-<time>): the
# session journals or results.jsonl, a per-run TSV and summary.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE="${1:-}"
N="${2:-20}"
BUILD="${MOCKROUND_BUILD_DIR:-$ROOT/build}"
LOG="$BUILD/llama-server.log"
URL="$("$ROOT/scripts/local-model.sh" url)"
MODEL="${MOCKROUND_E2E_MODEL:-gemma3-270m}"
OUT="${MOCKROUND_MEASURE_DIR:-$BUILD/measure/$MODE-$(date -u +%Y%m%dT%H%M%S)}"

case "$MODE" in
  rounds | grade) ;;
  *) echo "usage: $0 rounds|grade [N]" >&2; exit 2 ;;
esac
if ! "$ROOT/scripts/local-model.sh" status >/dev/null 2>&1; then
  echo "measure: no model server at $URL; start one with scripts/local-model.sh start" >&2
  exit 1
fi

cd "$ROOT"
# MOCKROUND_BIN: an already built binary (skips the build).
BIN="${MOCKROUND_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/mockround"
fi
mkdir -p "$OUT"
# Server speed is read from the part of its log written during this run.
LOG_FROM=$(wc -c <"$LOG" 2>/dev/null || echo 0)

run() { # the binary, isolated from the user's config, on the local server
  env -u MOCKROUND_CONFIG -u MOCKROUND_BACKEND -u OPENAI_API_KEY \
    XDG_CONFIG_HOME="$OUT/xdg-config" NO_COLOR=1 "$BIN" "$@"
}

START=$(date +%s.%N)
if [ "$MODE" = rounds ]; then
  mapfile -t SCRIPTS < <(ls tests/fixtures/scripts/*_*.txt | sort)
  printf 'round\tproblem\tscript\tseconds\texit\n' >"$OUT/rounds.tsv"
  for i in $(seq 1 "$N"); do
    s="${SCRIPTS[$(((i - 1) % ${#SCRIPTS[@]}))]}"
    name="$(basename "$s" .txt)"
    problem="${name%%_*}"
    t0=$(date +%s.%N)
    code=0
    run --backend openai --base-url "$URL" --model "$MODEL" --data-dir "$OUT" \
      practice --problem "$problem" --seed "$i" --answers "$s" \
      >"$OUT/round-$i.out" 2>"$OUT/round-$i.err" || code=$?
    secs=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)")
    printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$problem" "$name" "$secs" "$code" >>"$OUT/rounds.tsv"
    echo "round $i/$N: $problem ($name) ${secs}s exit $code" >&2
  done
else
  mkdir -p "$OUT/in"
  ls tests/fixtures/answers/*.md | sort | head -n "$N" | xargs -I{} cp {} "$OUT/in/"
  cat >"$OUT/config.toml" <<EOF
default = "local"
[backends.local]
kind = "openai"
base_url = "$URL"
model = "$MODEL"
jobs = 1
judge_max_tokens = ${MOCKROUND_JUDGE_MAX_TOKENS:-600}
[backends.local.timeouts]
request_secs = 600
idle_secs = 300
[backends.local.retry]
max_attempts = 2
EOF
  code=0
  run --config "$OUT/config.toml" --data-dir "$OUT" grade "$OUT/in" --out "$OUT/results.jsonl" \
    >"$OUT/grade.out" 2>"$OUT/grade.err" || code=$?
  echo "grade exit $code" >&2
fi
END=$(date +%s.%N)

python3 - "$MODE" "$OUT" "$LOG" "$LOG_FROM" "$START" "$END" <<'PY' | tee "$OUT/summary.txt"
import glob, json, os, re, sys
mode, out, log, log_from, start, end = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
wall = end - start
def server_speed():
    try:
        with open(log, "rb") as f:
            f.seek(log_from)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    p = [(float(ms), int(n)) for ms, n in re.findall(r"prompt eval time\s*=\s*([\d.]+) ms /\s*(\d+) tokens", text)]
    g = [(float(ms), int(n)) for ms, n in re.findall(r"^\s*(?:llama_perf_context_print:\s*)?eval time\s*=\s*([\d.]+) ms /\s*(\d+) runs", text, re.M)]
    def rate(xs):
        ms, n = sum(x[0] for x in xs), sum(x[1] for x in xs)
        return (n, n / (ms / 1000) if ms else 0.0)
    return len(g), rate(p), rate(g)
print(f"mode: {mode}  output: {out}")
if mode == "rounds":
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "rounds.tsv"))][1:]
    turns = fallbacks = 0
    for path in glob.glob(os.path.join(out, "sessions", "*.jsonl")):
        for line in open(path, encoding="utf-8", errors="replace"):
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("type") == "interviewer":
                turns += 1
                fallbacks += bool(r.get("fallback"))
    ok = sum(1 for r in rows if r[4] == "0")
    print(f"rounds: {len(rows)} ({ok} exit 0), wall {wall:.0f} s, {wall / max(len(rows), 1):.0f} s per round")
    print(f"interviewer turns: {turns}, {wall / max(turns, 1):.1f} s per turn; template fallbacks: {fallbacks} ({100 * fallbacks / max(turns, 1):.0f}%)")
else:
    path = os.path.join(out, "results.jsonl")
    rows = [json.loads(l) for l in open(path)] if os.path.exists(path) else []
    status = {}
    ptok = ctok = 0
    for r in rows:
        status[r.get("judge_status")] = status.get(r.get("judge_status"), 0) + 1
        ptok += (r.get("tokens") or {}).get("prompt") or 0
        ctok += (r.get("tokens") or {}).get("completion") or 0
    print(f"rows: {len(rows)}, wall {wall:.0f} s, {wall / max(len(rows), 1):.0f} s per answer; judge status: {status}")
    print(f"tokens reported by the server: prompt {ptok}, completion {ctok}")
s = server_speed()
if s:
    n, (pn, pr), (gn, gr) = s
    print(f"server ({n} requests): prompt eval {pn} tokens at {pr:.0f} tok/s; generation {gn} tokens at {gr:.1f} tok/s")
PY
if [ "$MODE" = rounds ]; then
  "$ROOT/scripts/fallback-report.sh" "$OUT/sessions" | tee -a "$OUT/summary.txt"
fi
