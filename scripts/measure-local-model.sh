#!/usr/bin/env bash
# Measure mockround against real local models served by scripts/local-model.sh:
# per model, scripted practice rounds (what the interviewer said and how long
# each turn took) and a batch graded by the judge (how many replies were
# valid JSON). Run it on an otherwise idle machine: every figure is time.
#
#   scripts/measure-local-model.sh [--rounds N] [--answers N] [MODEL ...]
#
# MODEL: any of `scripts/local-model.sh models`; each is started in turn
# (switching the server); with none, the model that is up now is measured.
# --rounds N   scripted rounds per model (default 12), cycling over
#              tests/fixtures/scripts/<problem>_<label>.txt (6 scripts, 5 problems)
# --answers N  calibration answers graded per model (default 20; 0 skips grading)
#
# Environment: MOCKROUND_JUDGE_MAX_TOKENS (default 600) and MOCKROUND_JUDGE_SCOPE
# (default key-concepts, as the llamacpp profile of config.example.toml: with
# "all", a 1.5B model's replies are cut at the 600-token ceiling) for the judge; MOCKROUND_BIN, an already built
# binary (default: cargo build --release); MOCKROUND_MEASURE_DIR, where results go
# (default build/measure/<time>): per model the session journals, the timed
# stdout of each round, results.jsonl, and summary.json; and summary.txt, the table.
#
# Per model it reports
# - interviewer turns the model was asked for, split into kept (the model's own
#   words), copied (kept, but the template word for word: the journal's `copied`
#   field, recorded by builds that detect it) and replaced by the template (with
#   the journal's reasons); turns said by the template by design are counted apart;
# - kept replies that name the candidate's own component or number: a product
#   from rubrics/components.toml, a snake_case identifier or a number that the
#   candidate said earlier in the round and the interviewer had not said before
#   (and, for context, the same counting terms the interviewer had said too);
#   how many of them the notes offered one of the candidate's figures, and how
#   many used it (the journal's `offered` field, recorded by builds that offer one);
# - seconds per model-asked turn (median, p90), timed on the round's stdout from
#   the interviewer's label to the end of the turn;
# - prompt and generation tokens/s from the server's log;
# - judge replies that were valid JSON (judge_status ok or repaired) over the batch.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LM="$ROOT/scripts/local-model.sh"
ROUNDS=12
ANSWERS=20
MODELS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --answers) ANSWERS="$2"; shift 2 ;;
    -h | --help) sed -n '2,36p' "$0"; exit 0 ;;
    -*) echo "measure: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) MODELS+=("$1"); shift ;;
  esac
done
OUT="${MOCKROUND_MEASURE_DIR:-${MOCKROUND_BUILD_DIR:-$ROOT/build}/measure/$(date -u +%Y%m%dT%H%M%S)}"

if [ ${#MODELS[@]} -eq 0 ]; then
  up="$("$LM" model 2>/dev/null)" || {
    echo "measure: no model server at $("$LM" url); name the models to measure, or start one with scripts/local-model.sh start" >&2
    exit 1
  }
  MODELS=("$up")
fi

cd "$ROOT"
BIN="${MOCKROUND_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/mockround"
fi
mkdir -p "$OUT"
echo "measure: results in $OUT" >&2

for model in "${MODELS[@]}"; do
  if [ "$("$LM" model 2>/dev/null || true)" != "$model" ]; then
    "$LM" start "$model" >/dev/null
  fi
  dir="$OUT/$model"
  mkdir -p "$dir"
  LOG="$("$LM" log)"
  python3 "$ROOT/scripts/measure_local_model.py" run \
    --bin "$BIN" --url "$("$LM" url)" --model "$model" --out "$dir" \
    --rounds "$ROUNDS" --answers "$ANSWERS" --server-log "$LOG" \
    --judge-max-tokens "${MOCKROUND_JUDGE_MAX_TOKENS:-600}" \
    --judge-scope "${MOCKROUND_JUDGE_SCOPE:-key-concepts}"
done
python3 "$ROOT/scripts/measure_local_model.py" table "$OUT" "${MODELS[@]}" | tee "$OUT/summary.txt"
