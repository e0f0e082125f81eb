#!/usr/bin/env bash
# Count how often the interviewer's template replaced a model's reply, and why,
# across session journals: a measure of how well a model holds the role.
#
#   scripts/fallback-report.sh [SESSIONS_DIR]   (default ~/.local/share/mockround/sessions)
set -euo pipefail
DIR="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/mockround/sessions}"
python3 - "$DIR" <<'PY'
import collections, glob, json, os, re, sys
d = sys.argv[1]
rounds = turns = kept = 0
reasons = collections.Counter()
for path in sorted(glob.glob(os.path.join(d, "*.jsonl"))):
    for line in open(path, encoding="utf-8", errors="replace"):
        try:
            r = json.loads(line)
        except ValueError:
            continue  # a torn last line
        if r.get("type") == "start":
            rounds += 1
        if r.get("type") != "interviewer":
            continue
        turns += 1
        kept += bool(r.get("by_model"))
        why = r.get("fallback")
        if why:
            # Fold the quoted detail away so reasons group: `broke character ("x")` -> `broke character`.
            reasons[re.sub(r'\s*\(.*$', "", why).strip()] += 1
fallbacks = sum(reasons.values())
asked = kept + fallbacks
print(f"rounds: {rounds}, interviewer turns: {turns}, template fallbacks: {fallbacks}"
      + (f" ({100*fallbacks/turns:.0f}%)" if turns else ""))
# Journals from before `by_model` was recorded cannot tell kept replies from
# turns the template says by design (the problem statement, the end).
print(f"model replies kept: {kept}, replaced: {fallbacks}"
      + (f" ({100*fallbacks/asked:.0f}% of model turns)" if asked else "")
      + f"; said by the template by design: {turns - asked}")
for why, n in reasons.most_common():
    print(f"  {n:5d}  {why}")
PY
