#!/usr/bin/env bash
# Benchmarks for `mockround grade` (not a timed test; numbers go in the README).
#
# 1. Judge throughput: N answers against the local mock OpenAI-compatible
#    server (examples/mock_openai.rs) that answers after DELAY_MS, with
#    --jobs JOBS. Prints wall time vs the ideal N*DELAY/JOBS and peak RSS.
# 2. Offline throughput: OFFLINE_N answers of ~1,500 words, rubric scorer
#    only, pinned to one core. Prints answers per second.
#
# Usage: scripts/bench-grade.sh            (defaults: N=1000 JOBS=16 DELAY_MS=200)
#        N=200 OFFLINE_N=300 scripts/bench-grade.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000}
JOBS=${JOBS:-16}
DELAY_MS=${DELAY_MS:-200}
PORT=${PORT:-8099}
OFFLINE_N=${OFFLINE_N:-1000}
TARGET=${CARGO_TARGET_DIR:-target}

cargo build --release --quiet --bin mockround --example mock_openai
BIN="$TARGET/release/mockround"
MOCK="$TARGET/release/examples/mock_openai"

WORK=$(mktemp -d)
MOCK_PID=""
cleanup() {
    if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# answers.jsonl generator: COUNT answers of about WORDS words each, unique
# per id, built from data engineering design sentences.
gen() {
    awk -v n="$1" -v words="$2" 'BEGIN {
        s[0] = "Clarify first: peak is 200K events/sec, dashboards need data within a minute, and the consumer is an ML feature pipeline.";
        s[1] = "Producers write JSON to Kafka with 64 partitions keyed by user_id and a 7 day retention.";
        s[2] = "Flink consumes with event-time windows and a 10 minute watermark; late events go to a side output.";
        s[3] = "We get exactly-once because Flink checkpoints every 30 seconds and the Iceberg sink commits on checkpoint.";
        s[4] = "Writes are idempotent: a MERGE on event_id makes replays safe after a crash.";
        s[5] = "Backfill reads raw Parquet from S3 and reprocesses a day at a time without touching the live job.";
        s[6] = "Schema changes go through a schema registry with Avro and backward compatibility checks.";
        s[7] = "A hot key from a viral page is salted into 16 sub-keys and re-aggregated downstream.";
        s[8] = "Tier 1 dashboards have a p95 freshness of 60 seconds; tier 2 reports refresh hourly.";
        s[9] = "Data quality checks on row counts and null rates alert on-call through PagerDuty.";
        s[10] = "If a TaskManager dies, Flink restarts from the last checkpoint and Kafka offsets rewind.";
        s[11] = "Storage costs about $23 per TB per month on S3, so we compact small files nightly.";
        for (i = 0; i < n; i++) {
            text = "Answer " i ". ";
            w = 2; k = i % 12;
            while (w < words) { text = text s[k % 12] " "; w += split(s[k % 12], tmp, " "); k++ }
            printf("{\"id\":\"a%05d\",\"problem\":\"clickstream\",\"answer\":\"%s\"}\n", i, text);
        }
    }'
}

wait_port() {
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "mock server did not start on port $1" >&2
    return 1
}

echo "== judge throughput: $N answers, --jobs $JOBS, mock server delay ${DELAY_MS} ms"
gen "$N" 400 > "$WORK/answers.jsonl"
"$MOCK" --port "$PORT" --delay-ms "$DELAY_MS" > "$WORK/mock.log" &
MOCK_PID=$!
wait_port "$PORT"
cat > "$WORK/config.toml" <<CFG
[backends.mock]
kind = "openai"
base_url = "http://127.0.0.1:$PORT/v1"
model = "gpt-4o-mini"
CFG
/usr/bin/time -f "%e %M" -o "$WORK/time.txt" \
    "$BIN" --config "$WORK/config.toml" --backend mock grade "$WORK/answers.jsonl" \
    --jobs "$JOBS" --out "$WORK/results.jsonl" 2> "$WORK/grade.log" || true
read -r SECS KB < "$WORK/time.txt"
ROWS=$(wc -l < "$WORK/results.jsonl")
OKS=$(grep -c '"judge_status":"ok"' "$WORK/results.jsonl" || true)
IDEAL=$(awk -v n="$N" -v d="$DELAY_MS" -v j="$JOBS" 'BEGIN { printf "%.2f", n * d / 1000 / j }')
OVER=$(awk -v s="$SECS" -v i="$IDEAL" 'BEGIN { printf "%.1f", (s / i - 1) * 100 }')
echo "rows: $ROWS (judge ok: $OKS)"
echo "wall: ${SECS}s  ideal: ${IDEAL}s  over ideal: ${OVER}%  peak RSS: $((KB / 1024)) MB"
tail -n 1 "$WORK/grade.log"

echo
echo "== offline: $OFFLINE_N answers of ~1,500 words, rubric scorer only, one core"
gen "$OFFLINE_N" 1500 > "$WORK/offline.jsonl"
/usr/bin/time -f "%e %M" -o "$WORK/time2.txt" \
    taskset -c 0 "$BIN" --backend offline grade "$WORK/offline.jsonl" --jobs 1 \
    --out "$WORK/offline-results.jsonl" 2> "$WORK/offline.log" || true
read -r SECS2 KB2 < "$WORK/time2.txt"
RATE=$(awk -v n="$OFFLINE_N" -v s="$SECS2" 'BEGIN { printf "%.1f", n / s }')
echo "wall: ${SECS2}s  answers/sec on one core: $RATE  peak RSS: $((KB2 / 1024)) MB"
