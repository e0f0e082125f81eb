#!/usr/bin/env bash
# The scorer's CPU time per ~1,500-word answer, side by side with the scorer
# before the design model (commit 0b014f8), on this machine.
#
#   scripts/bench-scorer-vs-old.sh [ROUNDS] [ANSWERS]
#
# Builds both bench binaries (the old one in a git worktree under
# target/old-scorer), then alternates them ROUNDS times (default 5), each
# scoring the answer ANSWERS times (default 500), and reports the minimum
# CPU time per answer (user + sys, setup subtracted) and the ratio.
# Instructions, which do not drift with the machine, come from valgrind:
#   SCORER_ITERS=1 and =21 under `setarch -R valgrind --tool=callgrind`, difference / 20.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
answers=${2:-500}
old_rev=0b014f8
old_dir=target/old-scorer
if [ ! -e "$old_dir/.git" ]; then
  git worktree add --detach "$old_dir" "$old_rev" >/dev/null
fi
# The bench executable cargo builds in directory $1, as a path from here.
bench_bin() {
  local exe
  exe=$( (cd "$1" && cargo bench --bench scorer --no-run 2>&1) |
    sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)
  [ -n "$exe" ] || { echo "could not build the scorer bench in $1" >&2; exit 1; }
  case "$exe" in /*) echo "$exe" ;; *) echo "$1/$exe" ;; esac
}
new_bin=$(bench_bin .)
old_bin=$(bench_bin "$old_dir")
python3 - "$rounds" "$answers" "$new_bin" "$old_bin" <<'PY'
import os, subprocess, sys
rounds, n, new, old = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
def cpu(binary, iters):
    env = dict(os.environ, SCORER_ITERS=str(iters))
    p = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit(f"{binary} failed (status {status})")
    return ru.ru_utime + ru.ru_stime
best = {b: [float("inf"), float("inf")] for b in (new, old)}
for _ in range(rounds):
    for b in (new, old):
        best[b][0] = min(best[b][0], cpu(b, 0))
        best[b][1] = min(best[b][1], cpu(b, n))
per = {b: (v[1] - v[0]) / n * 1e6 for b, v in best.items()}
print(f"scorer now:             {per[new]:7.1f} us per answer")
print(f"before the design model: {per[old]:7.1f} us per answer")
print(f"ratio:                  {per[new] / per[old]:7.2f}x (goal: 1.5x or less)")
PY
