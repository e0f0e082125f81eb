#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 180), one at a time,
# and prints the executions and CPU seconds per target, then a total. A
# target that crashes does not stop the others; the script exits 1 at the
# end if any did. Needs `cargo install cargo-fuzz`.
# cargo-fuzz needs nightly flags; on a stable toolchain RUSTC_BOOTSTRAP=1
# unlocks them. New corpus entries land in fuzz/corpus/TARGET; crashes in
# fuzz/artifacts/TARGET (each one becomes a regression test).
#
#   scripts/fuzz.sh            # 3 minutes per target
#   scripts/fuzz.sh 3600 sse   # one hour of the SSE target only
set -euo pipefail
SECONDS_PER_TARGET="${1:-180}"
shift || true
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo fuzz list)
fi
cargo fuzz build -O >/dev/null
mkdir -p logs
failed=()
total_execs=0
total_cpu=0
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  log="logs/$t.log"
  cpu="logs/$t.cpu"
  status=0
  # /usr/bin/time counts the CPU of libFuzzer and everything it starts.
  command -v /usr/bin/time >/dev/null && timer=(/usr/bin/time -f "%U %S" -o "$cpu") || timer=()
  "${timer[@]}" nice -n 10 cargo fuzz run -O "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 -timeout=30 \
    -print_final_stats=1 >"$log" 2>&1 || status=$?
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  secs=$( [ -s "$cpu" ] && tail -1 "$cpu" | awk '{printf "%.0f", $1 + $2}' || echo "?")
  if [ "$status" -ne 0 ]; then
    echo "$t: FAILED after ${execs:-?} executions (${secs} CPU s), see fuzz/$log and fuzz/artifacts/$t"
    grep -E 'panicked|ERROR: |SUMMARY|Test unit written' "$log" | head -10 || true
    failed+=("$t")
  else
    echo "$t: ${SECONDS_PER_TARGET}s, ${execs:-?} executions, ${secs} CPU s, 0 crashes"
  fi
  total_execs=$((total_execs + ${execs:-0}))
  [ "$secs" != "?" ] && total_cpu=$((total_cpu + secs))
done
echo "total: ${#TARGETS[@]} targets, $total_execs executions, ${total_cpu} CPU s, ${#failed[@]} failed${failed[*]:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
