#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 180), one at a time,
# and prints the executions per target. Needs `cargo install cargo-fuzz`.
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
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  log="logs/$t.log"
  nice -n 10 cargo fuzz run -O "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -rss_limit_mb=2048 -timeout=30 \
    -print_final_stats=1 >"$log" 2>&1 || { echo "$t: FAILED, see fuzz/$log"; tail -40 "$log"; exit 1; }
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "$t: ${SECONDS_PER_TARGET}s, ${execs:-?} executions, 0 crashes"
done
